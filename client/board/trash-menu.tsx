/**
 * The Prullenbak for facilitators: cards deleted from the board, newest first, with who deleted
 * them and when; *Terugzetten* puts back that one card (shared/trash.ts) — the rest of the board
 * stays as it is.
 */
import { timeInNetherlands } from '../../shared/netherlands-time.ts'
import { useCallback } from 'react'
import { useEditor, type TLShape } from 'tldraw'
import type * as Y from 'yjs'
import { readTrash, trashLabel, trashOf, type TrashEntry } from '../../shared/trash.ts'
import { useI18n } from '../i18n/i18n.tsx'
import { useBoard, useFacilitationInfo } from './board-context.tsx'
import { shapeKindKey } from './shape-kind.ts'
import { useMapValue } from './use-map-value.ts'
import { restoredShape } from './trash-restore.ts'

export function TrashMenu() {
  const { doc } = useBoard()
  const { actions } = useFacilitationInfo()
  const editor = useEditor()
  const { t, lang } = useI18n()
  const read = useCallback(() => (doc ? readTrash(doc) : []), [doc])
  const entries = useMapValue<TrashEntry[]>(doc ? (trashOf(doc) as Y.Map<unknown>) : null, read, [])
  if (!actions) return null
  const restore = (entry: TrashEntry) => {
    const shape = restoredShape(editor, entry.record as unknown as TLShape)
    editor.markHistoryStoppingPoint('restore card')
    editor.store.put([shape])
    editor.select(shape.id)
    editor.zoomToSelection({ animation: { duration: 200 } })
  }
  const when = (at: number) => timeInNetherlands(at, lang, { dateStyle: 'short', timeStyle: 'short' })
  return (
    <details className="report-menu trash-menu">
      <summary data-testid="trash-menu">{t('trash.menu', { n: String(entries.length) })}</summary>
      <div className="history-panel">
        {entries.length === 0 ? (
          <p className="muted">{t('trash.empty')}</p>
        ) : (
          <ul className="history-list" data-testid="trash-list">
            {entries.map((entry) => (
              <li key={entry.record.id}>
                <strong>{trashLabel(entry) || t('trash.noText')}</strong>
                <span className="muted">
                  {' '}
                  · <span data-testid="trash-kind">{t(shapeKindKey(entry.record.type))}</span> ·{' '}
                  {t('trash.deletedBy', { name: entry.by || '?', when: when(entry.at) })}
                </span>{' '}
                <button type="button" className="link-button" onClick={() => restore(entry)} data-testid="trash-restore">
                  {t('trash.restore')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </details>
  )
}
