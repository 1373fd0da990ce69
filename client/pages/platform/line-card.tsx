/** One action line on the platform: its facts, history, progress form, next meeting, werkplaats and sign-ups. */
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { ACTION_LINE_STATUSES, type ActionLineStatus } from '../../../shared/format/model.ts'
import { longDayInNetherlands } from '../../../shared/netherlands-time.ts'
import type { ActionLineSummary, ProgrammeView, ProgressUpdate, SignUp } from '../../../shared/programme.ts'
import { programmeApi } from '../../api-client.ts'
import { useI18n } from '../../i18n/i18n.tsx'
import { LineExperiments } from './line-experiments.tsx'
import { SignUpForm } from './sign-up-form.tsx'

function ago(ms: number, now: number, lang: 'nl' | 'en'): string {
  const days = Math.floor((now - ms) / 86_400_000)
  const rtf = new Intl.RelativeTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { numeric: 'auto' })
  if (days < 1) return rtf.format(0, 'day')
  if (days < 14) return rtf.format(-days, 'day')
  if (days < 70) return rtf.format(-Math.floor(days / 7), 'week')
  return rtf.format(-Math.floor(days / 30), 'month')
}

export function LineCard({ line, view, token, onChanged }: { line: ActionLineSummary; view: ProgrammeView; token: string; onChanged(): void }) {
  const { t, lang } = useI18n()
  const [open, setOpen] = useState(false)
  const [history, setHistory] = useState<ProgressUpdate[] | null>(null)
  const [text, setText] = useState('')
  const [author, setAuthor] = useState(() => localStorage.getItem('platform.author') ?? '')
  const [status, setStatus] = useState<ActionLineStatus | ''>('')
  const [error, setError] = useState<string | null>(null)
  const [trekkerLink, setTrekkerLink] = useState<string | null>(null)
  const mayPost = view.role === 'aanjager' || (view.role === 'trekker' && view.lineId === line.id)
  const [signups, setSignups] = useState<SignUp[] | null>(null)
  const [nextMeeting, setNextMeeting] = useState(line.nextMeeting ?? '')
  const programmeId = view.programme.id
  const load = useCallback(() => {
    programmeApi.line(programmeId, token, line.id).then(
      (r) => setHistory(r.updates),
      (e: unknown) => setError((e as Error).message),
    )
  }, [programmeId, line.id, token])
  useEffect(() => {
    if (open) load()
    if (open && mayPost) {
      programmeApi.signUps(view.programme.id, token, line.id).then(
        (list) => setSignups(list.filter((x) => x.lineId === line.id)),
        () => setSignups(null),
      )
    }
  }, [open, load, mayPost, view.programme.id, line.id, token])
  const post = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      localStorage.setItem('platform.author', author)
      await programmeApi.addUpdate(programmeId, token, line.id, { text, author, ...(status ? { status } : {}) })
      setText('')
      setStatus('')
      load()
      onChanged()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const date = (ms: number) => longDayInNetherlands(ms, lang)
  const headingId = `line-${line.id}`
  return (
    <article className={`card platform-line${line.stale ? ' stale' : ''}`} aria-labelledby={headingId} data-testid="platform-line" data-line={line.id}>
      <h3 id={headingId}>
        <span className="line-number">{line.number}</span> {line.title}
      </h3>
      {line.motto && <p className="motto">{line.motto}</p>}
      <p className="line-meta">
        <span className={`status-badge status-${line.status}`} data-testid="line-status">
          {t(`status.${line.status}`)}
        </span>
        {line.stale && (
          <span className="stale-flag" data-testid="line-stale">
            {t('platform.stale', { weeks: String(view.programme.staleWeeks) })}
          </span>
        )}
        {view.role === 'trekker' && view.lineId === line.id && <span className="mine-flag">{t('platform.yourLine')}</span>}
      </p>
      <dl className="line-facts">
        <dt>{t('platform.trekkers')}</dt>
        <dd>{line.trekkers.map((p) => p.name + (p.organisation ? ` (${p.organisation})` : '')).join(', ') || '—'}</dd>
        <dt>{t('platform.betrokkenen')}</dt>
        <dd>{line.betrokkenen.length}</dd>
        <dt>{t('platform.themes')}</dt>
        <dd>{line.themes.map((th) => th.title).join(', ') || '—'}</dd>
        {line.gemeenteRol && (
          <>
            <dt>{t('platform.gemeenteRol')}</dt>
            <dd>{line.gemeenteRol}</dd>
          </>
        )}
        {line.nextMeeting && (
          <>
            <dt>{t('platform.nextMeeting')}</dt>
            <dd>{line.nextMeeting}</dd>
          </>
        )}
        <dt>{t('platform.lastUpdate')}</dt>
        <dd data-testid="line-last-update">
          {line.lastUpdate ? (
            <>
              {line.lastUpdate.text}{' '}
              <span className="muted">
                — {line.lastUpdate.author}, {ago(line.lastUpdate.at, Date.now(), lang)}
              </span>
            </>
          ) : (
            <span className="muted">{t('platform.noUpdate')}</span>
          )}
        </dd>
      </dl>
      <div className="line-actions">
        <button type="button" onClick={() => setOpen(!open)} aria-expanded={open} aria-controls={`${headingId}-more`}>
          {open ? t('platform.less') : t('platform.more')}
        </button>
        {line.werkplaatsLink && (
          <a href={line.werkplaatsLink} data-testid="werkplaats-link">
            {t('platform.openWerkplaats')}
          </a>
        )}
        {!line.werkplaatsLink && mayPost && (
          <button
            type="button"
            data-testid="make-werkplaats"
            onClick={() =>
              programmeApi.makeWerkplaats(programmeId, token, line.id).then(
                () => onChanged(),
                (e: unknown) => setError((e as Error).message),
              )
            }
          >
            {t('platform.makeWerkplaats')}
          </button>
        )}
        {view.role === 'aanjager' && (
          <button
            type="button"
            data-testid="trekker-link"
            onClick={() =>
              programmeApi.trekkerLink(programmeId, token, line.id).then(
                (r) => setTrekkerLink(location.origin + r.link),
                (e: unknown) => setError((e as Error).message),
              )
            }
          >
            {t('platform.trekkerLink')}
          </button>
        )}
      </div>
      {trekkerLink && (
        <input readOnly value={trekkerLink} aria-label={t('platform.trekkerLink')} onFocus={(e) => e.target.select()} data-testid="trekker-link-value" />
      )}
      {open && (
        <div id={`${headingId}-more`} className="line-more">
          {line.description && <p className="line-description">{line.description}</p>}
          {line.themes.length > 0 && (
            <ul className="shared-values line-values">
              {line.themes.map((th) => (
                <li key={th.title}>
                  {th.sharedValue ? (
                    <details>
                      <summary>{th.title}</summary>
                      <p>{th.sharedValue}</p>
                    </details>
                  ) : (
                    <strong>{th.title}</strong>
                  )}
                </li>
              ))}
            </ul>
          )}
          <p className="muted">{t('platform.source', { board: line.source.boardTitle })}</p>
          <LineExperiments line={line} experiments={view.experiments} />
          <h4>{t('platform.history')}</h4>
          {!history && !error && <p className="muted">{t('history.loading')}</p>}
          {history?.length === 0 && <p className="muted">{t('platform.noUpdate')}</p>}
          <ol className="line-history" data-testid="line-history">
            {history?.map((u) => (
              <li key={u.id}>
                <span className="muted">
                  {date(u.at)} — {u.author}
                </span>
                {u.status && (
                  <>
                    {' '}
                    · <span className={`status-badge status-${u.status}`}>{t(`status.${u.status}`)}</span>
                  </>
                )}
                <br />
                {u.text}
              </li>
            ))}
          </ol>
          {mayPost && (
            <form
              className="update-form"
              onSubmit={(e) => {
                e.preventDefault()
                programmeApi
                  .setNextMeeting(programmeId, token, line.id, nextMeeting || null)
                  .then(onChanged, (err: unknown) => setError((err as Error).message))
              }}
            >
              <label htmlFor={`${headingId}-next`}>{t('platform.nextMeeting')}</label>
              <input id={`${headingId}-next`} type="date" value={nextMeeting} onChange={(e) => setNextMeeting(e.target.value)} data-testid="next-meeting" />
              <button type="submit">{t('platform.saveMeeting')}</button>
            </form>
          )}
          {mayPost && (
            <form onSubmit={post} className="update-form" data-testid="update-form">
              <label htmlFor={`${headingId}-text`}>{t('platform.update')}</label>
              <textarea id={`${headingId}-text`} value={text} onChange={(e) => setText(e.target.value)} required maxLength={4000} rows={3} />
              <label htmlFor={`${headingId}-author`}>{t('platform.author')}</label>
              <input id={`${headingId}-author`} value={author} onChange={(e) => setAuthor(e.target.value)} required maxLength={120} />
              <label htmlFor={`${headingId}-status`}>{t('platform.newStatus')}</label>
              <select id={`${headingId}-status`} value={status} onChange={(e) => setStatus(e.target.value as ActionLineStatus | '')}>
                <option value="">{t('platform.sameStatus')}</option>
                {ACTION_LINE_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`status.${s}`)}
                  </option>
                ))}
              </select>
              <button type="submit" className="primary" disabled={!text.trim() || !author.trim()}>
                {t('platform.post')}
              </button>
            </form>
          )}
          {signups && (
            <>
              <h4>{t('platform.signups', { n: String(signups.length) })}</h4>
              <ul className="line-signups" data-testid="line-signups">
                {signups.map((x) => (
                  <li key={x.id}>
                    {x.name}
                    {x.organisation ? ` (${x.organisation})` : ''} — {x.contact}
                  </li>
                ))}
              </ul>
            </>
          )}
          <SignUpForm programmeId={view.programme.id} line={line} token={token} onDone={onChanged} />
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </article>
  )
}
