/**
 * History: the board's snapshots (GET /api/boards/<id>/snapshots) in a header menu, and a
 * snapshot opened read-only beside the live board, where it can be compared with now or with
 * another snapshot, reverted to, copied into a new board or downloaded. Facilitators also take
 * snapshots, close the session and delete the board here.
 */
import { timeInNetherlands } from '../../shared/netherlands-time.ts'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import { createTLStore, loadSnapshot, Tldraw, type Editor, type TLComponents, type TLErrorFallbackComponent, type TLStoreSnapshot } from 'tldraw'
import type { RecordDiff, SnapshotSummary } from '../../shared/snapshot.ts'
import type { TldrFile } from '../../shared/tldr-file.ts'
import { api, fileUrl } from '../api-client.ts'
import { useI18n, type MessageKey } from '../i18n/i18n.tsx'
import { navigate } from '../navigation.ts'
import { drawableShapeUtils } from '../shapes/contained.ts'
import { useBoard, type OpenSnapshot } from './board-context.tsx'
import { downloadImage, fileBase } from './export-menu.tsx'
import { ShapeErrorFallback } from './canvas-fallbacks.tsx'
import { PanelBoundary } from './panel-boundary.tsx'

const assetUrls = getAssetUrlsByImport()
const shapeUtils = drawableShapeUtils
/** A snapshot's editor that fails leaves its viewer standing: tldraw's screen off (null), our boundary instead. */
const snapshotComponents: TLComponents = { ErrorFallback: null as unknown as TLErrorFallbackComponent, ShapeErrorFallback }

function useTime() {
  const { lang } = useI18n()
  return (ms: number) => timeInNetherlands(ms, lang, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })
}

/** The header menu: list, take, open; close the session and delete the board (facilitators). */
export function HistoryMenu() {
  const board = useBoard()
  const { t } = useI18n()
  const time = useTime()
  const [list, setList] = useState<SnapshotSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const menu = useRef<HTMLDetailsElement>(null)
  const facilitator = board.role === 'facilitator' && !board.closedAt
  const load = () => api.snapshots(board.boardId, board.token).then(setList, (e: unknown) => setError((e as Error).message))
  const run = (work: Promise<unknown>) => {
    setBusy(true)
    setError(null)
    work.then(load, (e: unknown) => setError((e as Error).message)).finally(() => setBusy(false))
  }
  const take = (event: FormEvent) => {
    event.preventDefault()
    if (!name.trim()) return
    run(api.takeSnapshot(board.boardId, board.token, name.trim(), board.identity.name).then(() => setName('')))
  }
  const closeSession = () => {
    if (confirm(t('history.confirmClose'))) run(api.closeSession(board.boardId, board.token, board.identity.name))
  }
  const deleteBoard = () => {
    const answer = prompt(t('history.confirmDelete', { title: board.title || t('board.untitled') }))
    if (answer === null) return
    if (answer.trim() !== (board.title || t('board.untitled')).trim()) return setError(t('history.deleteMismatch'))
    run(api.deleteBoard(board.boardId, board.token).then(() => navigate('/')))
  }

  return (
    <details ref={menu} className="report-menu history-menu" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && void load()}>
      <summary data-testid="history-menu">{t('history.menu')}</summary>
      <div className="history-panel" data-testid="history-panel">
        {facilitator && (
          <form className="history-take" onSubmit={take}>
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={120}
              placeholder={t('history.namePlaceholder')}
              aria-label={t('history.name')}
              data-testid="snapshot-name"
            />
            <button type="submit" className="primary" disabled={busy || !name.trim()} data-testid="snapshot-take">
              {t('history.take')}
            </button>
          </form>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {!list && !error && <p className="muted">{t('history.loading')}</p>}
        {list?.length === 0 && <p className="muted">{t('history.none')}</p>}
        <ul className="history-list" data-testid="snapshot-list">
          {list?.map((s) => (
            <li key={s.id}>
              <img src={fileUrl(board.boardId, board.token, 'thumbnail.svg', s.id)} alt="" width={96} height={58} loading="lazy" />
              <span className="history-item">
                <strong>{s.name}</strong>
                <span className="muted">
                  {t(`history.kind.${s.kind}` as MessageKey)} · {time(s.createdAt)}
                  {s.createdBy ? ` · ${s.createdBy}` : ''}
                </span>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    board.openSnapshot({ snapshot: s, all: list })
                    if (menu.current) menu.current.open = false
                  }}
                  data-testid="snapshot-open"
                >
                  {t('history.open')}
                </button>
              </span>
            </li>
          ))}
        </ul>
        {facilitator && (
          <p className="history-danger">
            <button type="button" onClick={closeSession} disabled={busy} data-testid="session-close">
              {t('history.close')}
            </button>
            <button type="button" className="danger" onClick={deleteBoard} disabled={busy} data-testid="board-delete">
              {t('history.delete')}
            </button>
          </p>
        )}
      </div>
    </details>
  )
}

/** A snapshot, read-only, on the right half of the screen. */
export function SnapshotViewer({ open, onClose }: { open: OpenSnapshot; onClose(): void }) {
  const board = useBoard()
  const { t } = useI18n()
  const time = useTime()
  const { snapshot, all } = open
  const [file, setFile] = useState<TldrFile | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [against, setAgainst] = useState('live')
  const [diff, setDiff] = useState<RecordDiff | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const facilitator = board.role === 'facilitator' && !board.closedAt

  useEffect(() => {
    setFile(null)
    setDiff(null)
    api.snapshotRecords(board.boardId, board.token, snapshot.id).then(setFile, (e: unknown) => setError((e as Error).message))
  }, [board.boardId, board.token, snapshot.id])

  const store = useMemo(() => {
    if (!file) return null
    const created = createTLStore({ shapeUtils })
    loadSnapshot(created, { schema: file.schema, store: Object.fromEntries(file.records.map((r) => [r.id, r])) } as TLStoreSnapshot)
    return created
  }, [file])

  const compare = () => api.compare(board.boardId, board.token, snapshot.id, against).then(setDiff, (e: unknown) => setError((e as Error).message))
  const revert = () => {
    if (!confirm(t('history.confirmRevert', { name: snapshot.name }))) return
    api.revert(board.boardId, board.token, snapshot.id, board.identity.name).then(
      (result) => setNotice(t('history.reverted', { before: result.before.name })),
      (e: unknown) => setError((e as Error).message),
    )
  }
  const fork = () =>
    api.fork(board.boardId, board.token, snapshot.id).then(
      (created) => {
        setNotice(t('history.forked', { title: created.title }))
        window.open(created.links.facilitator, '_blank', 'noopener')
      },
      (e: unknown) => setError((e as Error).message),
    )
  // Escape inside the viewer closes it (Escape on the live board stays the board's).
  const section = useRef<HTMLElement>(null)
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && section.current?.contains(event.target as Node)) onClose()
    }
    addEventListener('keydown', onKey)
    return () => removeEventListener('keydown', onKey)
  }, [onClose])
  const viewerEditor = useRef<Editor | null>(null)
  const onMount = (editor: Editor) => {
    viewerEditor.current = editor
    editor.updateInstanceState({ isReadonly: true })
    editor.zoomToFit()
  }
  const image = (format: 'png' | 'svg') => {
    const editor = viewerEditor.current
    if (!editor) return
    // The selection in the viewer (e.g. one frame), else the whole snapshot.
    downloadImage(editor, editor.getSelectedShapeIds(), format, fileBase(`${board.title} ${snapshot.name}`)).catch((e: unknown) =>
      setError((e as Error).message),
    )
  }

  return (
    <section
      ref={section}
      className="snapshot-viewer"
      role="dialog"
      aria-modal="false"
      aria-label={t('history.viewing', { name: snapshot.name })}
      data-testid="snapshot-viewer"
    >
      <header className="snapshot-bar">
        <strong>{t('history.viewing', { name: snapshot.name })}</strong>
        <span className="muted">
          {time(snapshot.createdAt)} · {t('history.readOnly')}
        </span>
        <span className="snapshot-actions">
          <label>
            {t('history.compareWith')}{' '}
            <select value={against} onChange={(e) => setAgainst(e.target.value)} data-testid="compare-with">
              <option value="live">{t('history.now')}</option>
              {all
                .filter((s) => s.id !== snapshot.id)
                .map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({time(s.createdAt)})
                  </option>
                ))}
            </select>
          </label>
          <button type="button" onClick={() => void compare()} data-testid="compare">
            {t('history.compare')}
          </button>
          {facilitator && (
            <button type="button" onClick={revert} data-testid="snapshot-revert">
              {t('history.revert')}
            </button>
          )}
          {board.role === 'facilitator' && (
            <button type="button" onClick={() => void fork()} data-testid="snapshot-fork">
              {t('history.fork')}
            </button>
          )}
          <button type="button" className="link-button" onClick={() => image('png')} data-testid="snapshot-png">
            PNG
          </button>
          <button type="button" className="link-button" onClick={() => image('svg')}>
            SVG
          </button>
          <a href={fileUrl(board.boardId, board.token, 'export.tldr', snapshot.id)} download>
            .tldr
          </a>
          <a href={fileUrl(board.boardId, board.token, 'archive.zip', snapshot.id)} download>
            zip
          </a>
          <a href={fileUrl(board.boardId, board.token, 'outcome.html', snapshot.id)} target="_blank" rel="noopener">
            {t('report.menu')}
          </a>
          <button type="button" className="primary" onClick={onClose} data-testid="snapshot-close">
            {t('history.closeViewer')}
          </button>
        </span>
      </header>
      {notice && (
        <p className="notice" role="status" data-testid="snapshot-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="snapshot-body">
        <div className="snapshot-canvas">
          {store ? (
            <PanelBoundary where="snapshot-canvas">
              <Tldraw
                store={store}
                shapeUtils={shapeUtils}
                components={snapshotComponents}
                assetUrls={assetUrls}
                licenseKey={import.meta.env.VITE_TLDRAW_LICENSE_KEY}
                onMount={onMount}
              />
            </PanelBoundary>
          ) : (
            <p className="muted">{t('history.loading')}</p>
          )}
        </div>
        {diff && <DiffList diff={diff} against={against === 'live' ? t('history.now') : (all.find((s) => s.id === against)?.name ?? '')} />}
      </div>
    </section>
  )
}

function DiffList({ diff, against }: { diff: RecordDiff; against: string }) {
  const { t } = useI18n()
  const groups = [
    ['added', diff.added],
    ['removed', diff.removed],
    ['changed', diff.changed],
  ] as const
  return (
    <aside className="diff-list" data-testid="diff">
      <h3>{t('history.diffTitle', { against })}</h3>
      {groups.map(([kind, items]) => (
        <details key={kind} open={items.length > 0 && items.length < 30}>
          <summary data-testid={`diff-${kind}`}>{t(`history.diff.${kind}`, { n: String(items.length) })}</summary>
          <ul>
            {items.map((c) => (
              <li key={c.id}>
                <span className="muted">{shapeTypeName(c.type, t)}</span> {c.text || '—'}
              </li>
            ))}
          </ul>
        </details>
      ))}
    </aside>
  )
}

const CARD_TYPES = ['contribution', 'theme-card', 'action-line', 'persona', 'quote', 'experiment', 'era'] as const
const TLDRAW_TYPES = ['note', 'text', 'frame', 'geo', 'arrow', 'draw', 'image'] as const

/** A shape type as people call it ("Thema", "Notitie"), not its internal name ("theme-card"). */
function shapeTypeName(type: string, t: ReturnType<typeof useI18n>['t']): string {
  if ((CARD_TYPES as readonly string[]).includes(type)) return t(`panel.add.${type as (typeof CARD_TYPES)[number]}`)
  return t(`history.type.${(TLDRAW_TYPES as readonly string[]).includes(type) ? (type as (typeof TLDRAW_TYPES)[number]) : 'other'}`)
}
