/** What only the aanjager does: share the public link, add or make boards, take action lines over, start a terugkomdag. */
import { useState } from 'react'
import type { ProgrammeBoard, ProgrammeView } from '../../../shared/programme.ts'
import { programmeApi } from '../../api-client.ts'
import { useI18n } from '../../i18n/i18n.tsx'
import { takeOverMessage } from '../take-over-message.ts'

export function AanjagerTools({ view, token, onChanged }: { view: ProgrammeView; token: string; onChanged(): void }) {
  const { t, lang } = useI18n()
  const [meeting, setMeeting] = useState<string | null>(null)
  const [newBoard, setNewBoard] = useState<string | null>(null)
  const [boardLink, setBoardLink] = useState('')
  const [kind, setKind] = useState<ProgrammeBoard['kind']>('conference')
  const [message, setMessage] = useState<{ error: boolean; text: string; details?: string[] } | null>(null)
  /** `done`: the message, or how to say what the call answered. */
  const run = async <T,>(fn: () => Promise<T>, done: string | ((result: T) => { text: string; details: string[] })) => {
    setMessage(null)
    try {
      const result = await fn()
      setMessage({ error: false, ...(typeof done === 'string' ? { text: done } : done(result)) })
      onChanged()
    } catch (e) {
      setMessage({ error: true, text: (e as Error).message })
    }
  }
  const id = view.programme.id
  return (
    <section className="card" aria-labelledby="aanjager-tools" data-testid="aanjager-tools">
      <h2 id="aanjager-tools">{t('platform.aanjager')}</h2>
      {view.links && (
        <>
          <label htmlFor="public-link">{t('platform.publicLink')}</label>
          <input id="public-link" readOnly value={location.origin + view.links.public} onFocus={(e) => e.target.select()} data-testid="public-link" />
        </>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void run(() => programmeApi.addBoard(id, token, boardLink, kind), t('platform.boardAdded')).then(() => setBoardLink(''))
        }}
      >
        <label htmlFor="board-link">{t('platform.addBoard')}</label>
        <input id="board-link" value={boardLink} onChange={(e) => setBoardLink(e.target.value)} placeholder="https://…/b/…?token=…" data-testid="board-link" />
        <label htmlFor="board-kind">{t('platform.boardKind')}</label>
        <select id="board-kind" value={kind} onChange={(e) => setKind(e.target.value as ProgrammeBoard['kind'])}>
          {(['conference', 'terugkomdag', 'werkplaats', 'other'] as const).map((k) => (
            <option key={k} value={k}>
              {t(`platform.kind.${k}`)}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!boardLink.trim()}>
          {t('platform.add')}
        </button>
      </form>
      <div className="line-actions">
        <button
          type="button"
          data-testid="new-conference"
          onClick={() => void run(async () => setNewBoard((await programmeApi.newBoard(id, token, lang)).link), t('platform.conferenceMade'))}
        >
          {t('platform.newConference')}
        </button>
        {newBoard && (
          <a href={newBoard} data-testid="new-conference-link">
            {t('platform.openConference')}
          </a>
        )}
      </div>
      <div className="line-actions">
        <button
          type="button"
          data-testid="start-terugkomdag"
          onClick={() => void run(async () => setMeeting((await programmeApi.startTerugkomdag(id, token, lang)).link), t('platform.terugkomdagStarted'))}
        >
          {t('platform.startTerugkomdag')}
        </button>
        {meeting && (
          <a href={meeting} data-testid="terugkomdag-link">
            {t('platform.openTerugkomdag')}
          </a>
        )}
      </div>
      <p className="muted">{t('platform.terugkomdagHint')}</p>
      {view.boards.length > 0 && (
        <ul className="programme-boards">
          {view.boards.map((b) => (
            <li key={b.boardId}>
              {b.title || b.boardId} <span className="muted">({t(`platform.kind.${b.kind}`)})</span>{' '}
              {b.kind === 'conference' && (
                <button
                  type="button"
                  data-testid="take-over"
                  onClick={() =>
                    void run(
                      () => programmeApi.takeOver(id, token, b.boardId),
                      (result) => takeOverMessage(result, t),
                    )
                  }
                >
                  {t('platform.takeOver')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {message && (
        <div className={message.error ? 'error' : 'muted'} role={message.error ? 'alert' : 'status'} data-testid="aanjager-message">
          <p>{message.text}</p>
          {message.details && message.details.length > 0 && (
            <ul>
              {message.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  )
}
