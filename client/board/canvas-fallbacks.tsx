/**
 * tldraw's error screens, in Dutch and without losing work. The board's Y.Doc and its connection
 * live outside the editor (use-board-connection.ts), so when the editor fails they stay: *Opnieuw
 * proberen* mounts a fresh editor on the same doc, and *Pagina herladen* first waits until the
 * server has every change of this page (deliver-changes.ts). One shape that fails shows a small
 * placeholder in its place.
 */
import { createContext, useContext, useEffect, useState } from 'react'
import type { TLErrorFallbackComponent, TLShapeErrorFallbackComponent } from 'tldraw'
import { reportClientError } from '../client-errors.ts'
import { Say, useI18n } from '../i18n/i18n.tsx'
import type { ConnectionState } from './use-board-connection.ts'

export interface CanvasRecovery {
  /** A new editor on the same doc and connection. */
  retry(): void
  /** Reloads the page once the server has every change this page made. */
  reload(): void
  connection: ConnectionState
}

export const CanvasRecoveryContext = createContext<CanvasRecovery | null>(null)

export const BoardErrorFallback: TLErrorFallbackComponent = ({ error }) => {
  const recovery = useContext(CanvasRecoveryContext)
  const { t } = useI18n()
  const [reloading, setReloading] = useState(false)
  useEffect(() => reportClientError('canvas', error), [error])
  const reload = () => {
    setReloading(true)
    if (recovery) recovery.reload()
    else location.reload()
  }
  const connected = recovery?.connection.kind === 'connected'
  return (
    <div className="board-crash" data-testid="board-crash">
      <div className="card message" role="alert">
        <h2>{t('crash.title')}</h2>
        <p>{t('crash.body')}</p>
        {reloading && (
          <p className="muted" role="status">
            {t(connected ? 'crash.sending' : 'crash.offline')}
          </p>
        )}
        <div className="actions">
          {recovery && (
            <button type="button" className="primary" onClick={recovery.retry} data-testid="crash-retry">
              {t('board.retry')}
            </button>
          )}
          <button type="button" onClick={reload} disabled={reloading} data-testid="crash-reload">
            {t('board.reload')}
          </button>
        </div>
      </div>
    </div>
  )
}

export const ShapeErrorFallback: TLShapeErrorFallbackComponent = ({ error }) => {
  useEffect(() => reportClientError('shape', error), [error])
  return (
    <div className="shape-fallback" data-testid="shape-fallback">
      <Say k="shape.failed" />
    </div>
  )
}
