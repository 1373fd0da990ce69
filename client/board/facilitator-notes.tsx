/**
 * Notes for facilitators only (the running order, who needs attention): kept by the server
 * beside the board, never in the board itself, so participants and viewers cannot receive them.
 * Refreshed while the menu is open, so co-facilitators see each other's notes.
 */
import { timeInNetherlands } from '../../shared/netherlands-time.ts'
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { api, type FacilitatorNote } from '../api-client.ts'
import { useI18n } from '../i18n/i18n.tsx'
import { useBoard } from './board-context.tsx'

const REFRESH_MS = 10_000

export function FacilitatorNotesMenu() {
  const board = useBoard()
  const { t, lang } = useI18n()
  const [open, setOpen] = useState(false)
  const [notes, setNotes] = useState<FacilitatorNote[] | null>(null)
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const { boardId, token } = board
  const refresh = useCallback(() => {
    api.facilitatorNotes(boardId, token).then(setNotes, (e: unknown) => setError((e as Error).message))
  }, [boardId, token])
  useEffect(() => {
    if (!open) return
    refresh()
    const timer = setInterval(refresh, REFRESH_MS)
    return () => clearInterval(timer)
  }, [open, refresh])
  if (board.role !== 'facilitator') return null

  const add = (event: FormEvent) => {
    event.preventDefault()
    if (!text.trim()) return setError(t('fnotes.empty'))
    setBusy(true)
    api
      .addFacilitatorNote(board.boardId, board.token, text.trim(), board.identity.name)
      .then(
        () => {
          setText('')
          setError(null)
          refresh()
        },
        (e: unknown) => setError((e as Error).message),
      )
      .finally(() => setBusy(false))
  }
  const remove = (note: FacilitatorNote) => {
    if (!confirm(t('fnotes.confirmDelete', { text: note.text.slice(0, 60) }))) return
    api.deleteFacilitatorNote(board.boardId, board.token, note.id).then(refresh, (e: unknown) => setError((e as Error).message))
  }
  const when = (at: number) => timeInNetherlands(at, lang, { hour: '2-digit', minute: '2-digit' })
  return (
    <details className="report-menu fnotes-menu" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary data-testid="fnotes-menu">{t('fnotes.menu')}</summary>
      <div className="history-panel" onKeyDown={(e) => e.stopPropagation()}>
        <p className="muted">{t('fnotes.hint')}</p>
        <form onSubmit={add} className="fnotes-form">
          <label className="visually-hidden" htmlFor="fnote-text">
            {t('fnotes.label')}
          </label>
          <textarea id="fnote-text" rows={2} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} data-testid="fnote-text" />
          <button type="submit" className="primary" disabled={busy} data-testid="fnote-add">
            {t('fnotes.add')}
          </button>
        </form>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {notes === null ? (
          <p className="muted" aria-busy="true">
            {t('board.loading')}
          </p>
        ) : (
          <ul className="history-list" data-testid="fnotes-list">
            {notes.length === 0 && <li className="muted">{t('fnotes.none')}</li>}
            {notes.map((n) => (
              <li key={n.id}>
                <span className="history-item">
                  <span>{n.text}</span>
                  <span className="muted">
                    {n.createdBy || '?'} · {when(n.createdAt)}
                  </span>
                </span>
                <button type="button" className="link-button" onClick={() => remove(n)} aria-label={t('fnotes.delete')}>
                  ✕
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </details>
  )
}
