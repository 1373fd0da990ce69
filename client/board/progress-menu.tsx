/**
 * In the report menu of an action line's werkplaats board (its document's meta names the
 * programme and the line — the header keeps its width): the facilitators — the line's trekkers — post progress to the programme's platform from the
 * board itself, without the trekker link at hand (server/http/routes/programmes.ts,
 * POST /api/boards/<id>/line-updates, authorised by this board's facilitator token).
 */
import { useState, type FormEvent } from 'react'
import { ACTION_LINE_STATUSES, type ActionLineStatus } from '../../shared/format/model.ts'
import { metaOf } from '../../shared/doc-layout.ts'
import { api } from '../api-client.ts'
import { useI18n } from '../i18n/i18n.tsx'
import { useBoard } from './board-context.tsx'

export function ProgressMenu() {
  const board = useBoard()
  const { t } = useI18n()
  const [text, setText] = useState('')
  const [status, setStatus] = useState<ActionLineStatus | ''>('')
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const linked = board.doc ? (metaOf(board.doc).get('programme') as { programmeId?: string } | undefined) : undefined
  if (board.role !== 'facilitator' || !linked?.programmeId) return null
  const post = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setMessage(null)
    try {
      await api.postLineUpdate(board.boardId, board.token, { text, author: board.identity.name || '?', ...(status ? { status } : {}) })
      setText('')
      setStatus('')
      setMessage({ error: false, text: t('progress.posted') })
    } catch (e) {
      setMessage({ error: true, text: (e as Error).message })
    } finally {
      setBusy(false)
    }
  }
  return (
    <li className="progress-item">
      <details className="progress-menu">
        <summary data-testid="progress-menu">{t('progress.menu')}</summary>
        <div onKeyDown={(e) => e.stopPropagation()}>
          <p className="muted">{t('progress.hint')}</p>
          <form onSubmit={post} className="progress-form">
            <label htmlFor="progress-text">{t('platform.update')}</label>
            <textarea id="progress-text" rows={3} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} data-testid="progress-text" />
            <label htmlFor="progress-status">{t('platform.newStatus')}</label>
            <select id="progress-status" value={status} onChange={(e) => setStatus(e.target.value as ActionLineStatus | '')}>
              <option value="">{t('platform.sameStatus')}</option>
              {ACTION_LINE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
            <button type="submit" className="primary" disabled={busy || !text.trim()} data-testid="progress-post">
              {t('platform.post')}
            </button>
          </form>
          {message && (
            <p className={message.error ? 'error' : 'muted'} role={message.error ? 'alert' : 'status'}>
              {message.text}
            </p>
          )}
        </div>
      </details>
    </li>
  )
}
