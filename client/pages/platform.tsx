/**
 * /p/<programme>: the programme's platform — the booklet's digital *vindplaats* (action line 7,
 * "Platform 'Samen aan de slag'"): the central task and shared values, every action line with its
 * status, trekkers, betrokkenen, themes and latest progress, filterable; each line's history.
 * Readable by anyone with the public link (no account); the aanjager also adds boards, takes
 * their action lines over, hands out trekker links and sees lines that went quiet; a trekker
 * posts progress on their own line. /p/new starts a programme.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react'
import { ACTION_LINE_STATUSES, type ActionLineStatus } from '../../shared/format/model.ts'
import type { ActionLineSummary, CreatedProgramme, Experiment, ProgrammeView, ProgressUpdate, SignedUp, SignUp } from '../../shared/programme.ts'
import { longDayInNetherlands } from '../../shared/netherlands-time.ts'
import { ApiError, request, withCreateKey } from '../api-client.ts'
import { LanguageToggle, useI18n } from '../i18n/i18n.tsx'
import { navigate } from '../navigation.ts'
import type { TakeOverResult } from '../../shared/take-over.ts'
import { takeOverMessage } from './take-over-message.ts'

/** A programme API call with the page's link as bearer (and the create key, where the server wants one). */
function call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  return request<T>(path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...withCreateKey() },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

function NewProgramme() {
  const { t } = useI18n()
  const [name, setName] = useState('')
  const [region, setRegion] = useState('')
  const [task, setTask] = useState('')
  const [municipalities, setMunicipalities] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const created = await call<CreatedProgramme>('POST', '/api/programmes', null, {
        name, region, centraleOpgave: task, municipalities: municipalities.split(',').map((m) => m.trim()).filter(Boolean),
      })
      navigate(created.links.aanjager)
    } catch (e) {
      setError((e as Error).message)
      setBusy(false)
    }
  }
  return (
    <form className="card" onSubmit={submit} data-testid="new-programme">
      <h2>{t('platform.new')}</h2>
      <p className="muted">{t('platform.newHint')}</p>
      <label htmlFor="programme-name">{t('platform.name')}</label>
      <input id="programme-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
      <label htmlFor="programme-region">{t('platform.region')}</label>
      <input id="programme-region" value={region} onChange={(e) => setRegion(e.target.value)} maxLength={200} />
      <label htmlFor="programme-task">{t('platform.task')}</label>
      <textarea id="programme-task" value={task} onChange={(e) => setTask(e.target.value)} maxLength={1000} rows={3} />
      <label htmlFor="programme-municipalities">{t('platform.municipalities')}</label>
      <input id="programme-municipalities" value={municipalities} onChange={(e) => setMunicipalities(e.target.value)} placeholder="Weert, Nederweert, Cranendonck" />
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" className="primary" disabled={busy || !name.trim()}>{t('platform.create')}</button>
    </form>
  )
}

function ago(ms: number, now: number, lang: 'nl' | 'en'): string {
  const days = Math.floor((now - ms) / 86_400_000)
  const rtf = new Intl.RelativeTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { numeric: 'auto' })
  if (days < 1) return rtf.format(0, 'day')
  if (days < 14) return rtf.format(-days, 'day')
  if (days < 70) return rtf.format(-Math.floor(days / 7), 'week')
  return rtf.format(-Math.floor(days / 30), 'month')
}

function LineCard({ line, view, token, onChanged }: { line: ActionLineSummary; view: ProgrammeView; token: string; onChanged(): void }) {
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
  const base = `/api/programmes/${view.programme.id}/lines/${encodeURIComponent(line.id)}`
  const load = useCallback(() => {
    call<{ updates: ProgressUpdate[] }>('GET', base, token).then((r) => setHistory(r.updates), (e: unknown) => setError((e as Error).message))
  }, [base, token])
  useEffect(() => {
    if (open) load()
    if (open && mayPost) {
      call<SignUp[]>('GET', `/api/programmes/${view.programme.id}/signups?line=${encodeURIComponent(line.id)}`, token).then(
        (list) => setSignups(list.filter((x) => x.lineId === line.id)), () => setSignups(null))
    }
  }, [open, load, mayPost, view.programme.id, line.id, token])
  const post = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      localStorage.setItem('platform.author', author)
      await call('POST', `${base}/updates`, token, { text, author, ...(status ? { status } : {}) })
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
      <h3 id={headingId}><span className="line-number">{line.number}</span> {line.title}</h3>
      {line.motto && <p className="motto">{line.motto}</p>}
      <p className="line-meta">
        <span className={`status-badge status-${line.status}`} data-testid="line-status">{t(`status.${line.status}`)}</span>
        {line.stale && <span className="stale-flag" data-testid="line-stale">{t('platform.stale', { weeks: String(view.programme.staleWeeks) })}</span>}
        {view.role === 'trekker' && view.lineId === line.id && <span className="mine-flag">{t('platform.yourLine')}</span>}
      </p>
      <dl className="line-facts">
        <dt>{t('platform.trekkers')}</dt><dd>{line.trekkers.map((p) => p.name + (p.organisation ? ` (${p.organisation})` : '')).join(', ') || '—'}</dd>
        <dt>{t('platform.betrokkenen')}</dt><dd>{line.betrokkenen.length}</dd>
        <dt>{t('platform.themes')}</dt><dd>{line.themes.map((th) => th.title).join(', ') || '—'}</dd>
        {line.gemeenteRol && <><dt>{t('platform.gemeenteRol')}</dt><dd>{line.gemeenteRol}</dd></>}
        {line.nextMeeting && <><dt>{t('platform.nextMeeting')}</dt><dd>{line.nextMeeting}</dd></>}
        <dt>{t('platform.lastUpdate')}</dt>
        <dd data-testid="line-last-update">{line.lastUpdate ? <>{line.lastUpdate.text} <span className="muted">— {line.lastUpdate.author}, {ago(line.lastUpdate.at, Date.now(), lang)}</span></> : <span className="muted">{t('platform.noUpdate')}</span>}</dd>
      </dl>
      <div className="line-actions">
        <button type="button" onClick={() => setOpen(!open)} aria-expanded={open} aria-controls={`${headingId}-more`}>{open ? t('platform.less') : t('platform.more')}</button>
        {line.werkplaatsLink && <a href={line.werkplaatsLink} data-testid="werkplaats-link">{t('platform.openWerkplaats')}</a>}
        {!line.werkplaatsLink && mayPost && (
          <button type="button" data-testid="make-werkplaats" onClick={() => call<{ link: string }>('POST', `${base}/werkplaats`, token).then(() => onChanged(), (e: unknown) => setError((e as Error).message))}>{t('platform.makeWerkplaats')}</button>
        )}
        {view.role === 'aanjager' && (
          <button type="button" data-testid="trekker-link" onClick={() => call<{ link: string }>('GET', `${base}/trekker-link`, token).then((r) => setTrekkerLink(location.origin + r.link), (e: unknown) => setError((e as Error).message))}>{t('platform.trekkerLink')}</button>
        )}
      </div>
      {trekkerLink && <input readOnly value={trekkerLink} aria-label={t('platform.trekkerLink')} onFocus={(e) => e.target.select()} data-testid="trekker-link-value" />}
      {open && (
        <div id={`${headingId}-more`} className="line-more">
          {line.description && <p className="line-description">{line.description}</p>}
          {line.themes.length > 0 && (
            <ul className="shared-values line-values">{line.themes.map((th) => <li key={th.title}>{th.sharedValue ? <details><summary>{th.title}</summary><p>{th.sharedValue}</p></details> : <strong>{th.title}</strong>}</li>)}</ul>
          )}
          <p className="muted">{t('platform.source', { board: line.source.boardTitle })}</p>
          <LineExperiments line={line} experiments={view.experiments} />
          <h4>{t('platform.history')}</h4>
          {!history && !error && <p className="muted">{t('history.loading')}</p>}
          {history?.length === 0 && <p className="muted">{t('platform.noUpdate')}</p>}
          <ol className="line-history" data-testid="line-history">
            {history?.map((u) => (
              <li key={u.id}><span className="muted">{date(u.at)} — {u.author}</span>{u.status && <> · <span className={`status-badge status-${u.status}`}>{t(`status.${u.status}`)}</span></>}<br />{u.text}</li>
            ))}
          </ol>
          {mayPost && (
            <form className="update-form" onSubmit={(e) => { e.preventDefault(); call('PATCH', base, token, { nextMeeting: nextMeeting || null }).then(onChanged, (err: unknown) => setError((err as Error).message)) }}>
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
                {ACTION_LINE_STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
              </select>
              <button type="submit" className="primary" disabled={!text.trim() || !author.trim()}>{t('platform.post')}</button>
            </form>
          )}
          {signups && (
            <>
              <h4>{t('platform.signups', { n: String(signups.length) })}</h4>
              <ul className="line-signups" data-testid="line-signups">
                {signups.map((x) => <li key={x.id}>{x.name}{x.organisation ? ` (${x.organisation})` : ''} — {x.contact}</li>)}
              </ul>
            </>
          )}
          <SignUpForm programmeId={view.programme.id} line={line} token={token} onDone={onChanged} />
          {error && <p className="error" role="alert">{error}</p>}
        </div>
      )}
    </article>
  )
}

/** The experiments of this line, and those elsewhere that name it as one they might conflict with. */
function LineExperiments({ line, experiments }: { line: ActionLineSummary; experiments: Experiment[] }) {
  const { t } = useI18n()
  const own = experiments.filter((e) => e.lineId === line.id)
  const conflicting = experiments.filter((e) => e.lineId !== line.id && e.noConflict.conflictsWith.includes(line.id))
  if (own.length === 0 && conflicting.length === 0) return null
  return (
    <div className="line-experiments" data-testid="line-experiments">
      {own.length > 0 && <><h4>{t('platform.experiments')}</h4><ul>{own.map((e) => <li key={e.id}>{e.title} <span className="muted">({t(`platform.exp.${e.state}`)})</span></li>)}</ul></>}
      {conflicting.length > 0 && (
        <><h4>{t('platform.mayConflict')}</h4><ul data-testid="conflicting-experiments">{conflicting.map((e) => <li key={e.id}>{e.title} — <span className="muted">{e.noConflict.why}</span></li>)}</ul></>
      )}
    </div>
  )
}

function Experiments({ view, token, onChanged }: { view: ProgrammeView; token: string; onChanged(): void }) {
  const { t } = useI18n()
  const [proposing, setProposing] = useState(false)
  const [reasons, setReasons] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const lineTitle = (id: string) => {
    const line = view.lines.find((l) => l.id === id)
    return line ? `${line.number}. ${line.title}` : id
  }
  const decide = (id: string, decision: 'accepted' | 'declined') => {
    setError(null)
    call('POST', `/api/programmes/${view.programme.id}/experiments/${id}/decision`, token, { decision, reason: reasons[id] ?? '' }).then(onChanged, (e: unknown) => setError((e as Error).message))
  }
  return (
    <section className="card" aria-labelledby="experiments" data-testid="experiments">
      <h2 id="experiments">{t('platform.experiments')}</h2>
      <p className="muted">{t('platform.experimentsHint')}</p>
      {view.experiments.length > 0 && (
        <ul className="experiments">
          {view.experiments.map((e) => (
            <li key={e.id} data-testid="experiment">
              <strong>{e.title}</strong> <span className={`exp-state exp-${e.state}`}>{t(`platform.exp.${e.state}`)}</span>
              <span className="muted"> · {lineTitle(e.lineId)} · {e.proposer}</span>
              {e.description && <p>{e.description}</p>}
              <ul className="checks">
                <li>{e.horizon.ok ? '✓' : '✗'} {t('platform.check.horizon')}: {e.horizon.why}</li>
                <li>{e.noConflict.ok ? '✓' : '✗'} {t('platform.check.noConflict')}: {e.noConflict.why}{e.noConflict.conflictsWith.length > 0 && <> ({e.noConflict.conflictsWith.map(lineTitle).join(', ')})</>}</li>
                <li>{e.transformation.ok ? '✓' : '✗'} {t('platform.check.transformation')}: {e.transformation.why}</li>
              </ul>
              {e.reason && <p><em>{e.reason}</em></p>}
              {view.role === 'aanjager' && e.state === 'proposed' && (
                <div className="line-actions">
                  <button type="button" onClick={() => decide(e.id, 'accepted')} data-testid="accept-experiment">{t('platform.accept')}</button>
                  <label>{t('platform.declineReason')}
                    <input value={reasons[e.id] ?? ''} onChange={(ev) => setReasons({ ...reasons, [e.id]: ev.target.value })} data-testid="decline-reason" />
                  </label>
                  <button type="button" onClick={() => decide(e.id, 'declined')} disabled={!(reasons[e.id] ?? '').trim()} data-testid="decline-experiment">{t('platform.decline')}</button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {view.lines.length > 0 && (proposing
        ? <ProposeExperiment view={view} token={token} onDone={() => (setProposing(false), onChanged())} />
        : <button type="button" onClick={() => setProposing(true)} data-testid="propose-experiment">{t('platform.propose')}</button>)}
    </section>
  )
}

function ProposeExperiment({ view, token, onDone }: { view: ProgrammeView; token: string; onDone(): void }) {
  const { t } = useI18n()
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const [proposer, setProposer] = useState(() => localStorage.getItem('platform.author') ?? '')
  const [lineId, setLineId] = useState(view.lines[0]?.id ?? '')
  const [checks, setChecks] = useState({ horizon: { ok: false, why: '' }, noConflict: { ok: false, why: '' }, transformation: { ok: false, why: '' } })
  const [conflicts, setConflicts] = useState<string[]>([])
  const [error, setError] = useState<string | null>(null)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      await call('POST', `/api/programmes/${view.programme.id}/experiments`, token, {
        title, description, proposer, lineId, horizon: checks.horizon, transformation: checks.transformation, noConflict: { ...checks.noConflict, conflictsWith: conflicts },
      })
      onDone()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const check = (key: keyof typeof checks) => (
    <fieldset className="check-field">
      <legend>{t(`platform.check.${key}`)}</legend>
      <label className="check"><input type="checkbox" checked={checks[key].ok} onChange={(e) => setChecks({ ...checks, [key]: { ...checks[key], ok: e.target.checked } })} /> {t('platform.checkMet')}</label>
      <label htmlFor={`why-${key}`}>{t('platform.why')}</label>
      <textarea id={`why-${key}`} value={checks[key].why} onChange={(e) => setChecks({ ...checks, [key]: { ...checks[key], why: e.target.value } })} required maxLength={2000} rows={2} />
    </fieldset>
  )
  return (
    <form onSubmit={submit} className="experiment-form" data-testid="experiment-form">
      <label htmlFor="exp-title">{t('platform.expTitle')}</label>
      <input id="exp-title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      <label htmlFor="exp-description">{t('platform.expDescription')}</label>
      <textarea id="exp-description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={4000} rows={3} />
      <label htmlFor="exp-proposer">{t('platform.author')}</label>
      <input id="exp-proposer" value={proposer} onChange={(e) => setProposer(e.target.value)} required maxLength={120} />
      <label htmlFor="exp-line">{t('platform.expLine')}</label>
      <select id="exp-line" value={lineId} onChange={(e) => setLineId(e.target.value)}>
        {view.lines.map((l) => <option key={l.id} value={l.id}>{l.number}. {l.title}</option>)}
      </select>
      {check('horizon')}
      {check('noConflict')}
      <details className="compare">
        <summary>{t('platform.compare')}</summary>
        {view.programme.sharedValues.length > 0 && <ul>{view.programme.sharedValues.map((v) => <li key={v.theme}><strong>{v.theme}</strong></li>)}</ul>}
        <fieldset>
          <legend>{t('platform.conflictsWith')}</legend>
          {view.lines.map((l) => (
            <label key={l.id} className="check"><input type="checkbox" checked={conflicts.includes(l.id)} onChange={(e) => setConflicts(e.target.checked ? [...conflicts, l.id] : conflicts.filter((c) => c !== l.id))} /> {l.number}. {l.title}</label>
          ))}
        </fieldset>
      </details>
      {check('transformation')}
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" className="primary">{t('platform.submitExperiment')}</button>
    </form>
  )
}

function SignUpForm({ programmeId, line, token, onDone }: { programmeId: string; line: ActionLineSummary; token: string; onDone(): void }) {
  const { t } = useI18n()
  const [name, setName] = useState('')
  const [contact, setContact] = useState('')
  const [organisation, setOrganisation] = useState('')
  const [group, setGroup] = useState('')
  const [consent, setConsent] = useState(false)
  const [smoelenboek, setSmoelenboek] = useState(false)
  const [done, setDone] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const id = `signup-${line.id}`
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      const result = await call<SignedUp>('POST', `/api/programmes/${programmeId}/lines/${encodeURIComponent(line.id)}/signups`, token, { name, contact, organisation, group, consent, smoelenboek })
      setDone(location.origin + result.manageLink)
      onDone()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  if (done) {
    return (
      <div className="card signup-done" role="status" data-testid="signup-done">
        <p>{t('platform.signedUp')}</p>
        <label htmlFor={`${id}-manage`}>{t('platform.manageLink')}</label>
        <input id={`${id}-manage`} readOnly value={done} onFocus={(e) => e.target.select()} data-testid="manage-link" />
      </div>
    )
  }
  return (
    <form onSubmit={submit} className="signup-form" data-testid="signup-form">
      <h4>{t('platform.join')}</h4>
      <label htmlFor={`${id}-name`}>{t('platform.yourName')}</label>
      <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} autoComplete="name" />
      <label htmlFor={`${id}-contact`}>{t('platform.contact')}</label>
      <input id={`${id}-contact`} value={contact} onChange={(e) => setContact(e.target.value)} required maxLength={200} autoComplete="email" />
      <label htmlFor={`${id}-organisation`}>{t('platform.organisation')}</label>
      <input id={`${id}-organisation`} value={organisation} onChange={(e) => setOrganisation(e.target.value)} maxLength={160} autoComplete="organization" />
      <label htmlFor={`${id}-group`}>{t('platform.group')}</label>
      <input id={`${id}-group`} value={group} onChange={(e) => setGroup(e.target.value)} maxLength={100} />
      <label className="check"><input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} required /> {t('platform.consent')}</label>
      <label className="check"><input type="checkbox" checked={smoelenboek} onChange={(e) => setSmoelenboek(e.target.checked)} /> {t('platform.inSmoelenboek')}</label>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" className="primary" disabled={!consent || !name.trim() || !contact.trim()}>{t('platform.signUp')}</button>
    </form>
  )
}

/** The page a signed-up person's own link opens: their data, to download or remove. */
function MyData({ programmeId, signupId, keyValue }: { programmeId: string; signupId: string; keyValue: string }) {
  const { t } = useI18n()
  const path = `/api/programmes/${programmeId}/signups/${encodeURIComponent(signupId)}?key=${encodeURIComponent(keyValue)}`
  const [data, setData] = useState<{ signup: SignUp; line: { number: number; title: string }; programme: string } | null>(null)
  const [state, setState] = useState<'loading' | 'shown' | 'deleted' | 'missing'>('loading')
  useEffect(() => {
    call<typeof data>('GET', path, null).then((d) => (setData(d), setState('shown')), () => setState('missing'))
  }, [path])
  const remove = async () => {
    if (!confirm(t('platform.deleteConfirm'))) return
    await call('DELETE', path, null).then(() => setState('deleted'), () => setState('missing'))
  }
  return (
    <section className="card" aria-labelledby="my-data" data-testid="my-data">
      <h2 id="my-data">{t('platform.myData')}</h2>
      {state === 'loading' && <p className="muted">{t('history.loading')}</p>}
      {state === 'missing' && <p role="alert">{t('platform.myDataMissing')}</p>}
      {state === 'deleted' && <p role="status" data-testid="my-data-deleted">{t('platform.myDataDeleted')}</p>}
      {state === 'shown' && data && (
        <>
          <dl className="line-facts">
            <dt>{t('platform.yourName')}</dt><dd>{data.signup.name}</dd>
            <dt>{t('platform.contact')}</dt><dd>{data.signup.contact}</dd>
            <dt>{t('platform.organisation')}</dt><dd>{data.signup.organisation || '—'}</dd>
            <dt>{t('platform.group')}</dt><dd>{data.signup.group || '—'}</dd>
            <dt>{t('platform.lines', { n: '1' })}</dt><dd>{data.line.number}. {data.line.title}</dd>
            <dt>{t('platform.inSmoelenboek')}</dt><dd>{data.signup.smoelenboek ? '✓' : '—'}</dd>
          </dl>
          <div className="line-actions">
            <a href={path} download>{t('platform.download')}</a>
            <button type="button" onClick={() => void remove()} data-testid="delete-my-data">{t('platform.deleteMyData')}</button>
          </div>
        </>
      )}
    </section>
  )
}

function AanjagerTools({ view, token, onChanged }: { view: ProgrammeView; token: string; onChanged(): void }) {
  const { t, lang } = useI18n()
  const [meeting, setMeeting] = useState<string | null>(null)
  const [newBoard, setNewBoard] = useState<string | null>(null)
  const [boardLink, setBoardLink] = useState('')
  const [kind, setKind] = useState('conference')
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
  const base = `/api/programmes/${view.programme.id}`
  return (
    <section className="card" aria-labelledby="aanjager-tools" data-testid="aanjager-tools">
      <h2 id="aanjager-tools">{t('platform.aanjager')}</h2>
      {view.links && (
        <>
          <label htmlFor="public-link">{t('platform.publicLink')}</label>
          <input id="public-link" readOnly value={location.origin + view.links.public} onFocus={(e) => e.target.select()} data-testid="public-link" />
        </>
      )}
      <form onSubmit={(e) => { e.preventDefault(); void run(() => call('POST', `${base}/boards`, token, { boardLink, kind }), t('platform.boardAdded')).then(() => setBoardLink('')) }}>
        <label htmlFor="board-link">{t('platform.addBoard')}</label>
        <input id="board-link" value={boardLink} onChange={(e) => setBoardLink(e.target.value)} placeholder="https://…/b/…?token=…" data-testid="board-link" />
        <label htmlFor="board-kind">{t('platform.boardKind')}</label>
        <select id="board-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          {(['conference', 'terugkomdag', 'werkplaats', 'other'] as const).map((k) => <option key={k} value={k}>{t(`platform.kind.${k}`)}</option>)}
        </select>
        <button type="submit" disabled={!boardLink.trim()}>{t('platform.add')}</button>
      </form>
      <div className="line-actions">
        <button type="button" data-testid="new-conference" onClick={() => void run(async () => setNewBoard((await call<{ link: string }>('POST', `${base}/boards/new`, token, { lang })).link), t('platform.conferenceMade'))}>{t('platform.newConference')}</button>
        {newBoard && <a href={newBoard} data-testid="new-conference-link">{t('platform.openConference')}</a>}
      </div>
      <div className="line-actions">
        <button type="button" data-testid="start-terugkomdag" onClick={() => void run(async () => setMeeting((await call<{ link: string }>('POST', `${base}/terugkomdag?lang=${lang}`, token)).link), t('platform.terugkomdagStarted'))}>{t('platform.startTerugkomdag')}</button>
        {meeting && <a href={meeting} data-testid="terugkomdag-link">{t('platform.openTerugkomdag')}</a>}
      </div>
      <p className="muted">{t('platform.terugkomdagHint')}</p>
      {view.boards.length > 0 && (
        <ul className="programme-boards">
          {view.boards.map((b) => (
            <li key={b.boardId}>
              {b.title || b.boardId} <span className="muted">({t(`platform.kind.${b.kind}`)})</span>{' '}
              {b.kind === 'conference' && <button type="button" data-testid="take-over" onClick={() => void run(() => call<TakeOverResult>('POST', `${base}/boards/${b.boardId}/action-lines`, token), (result) => takeOverMessage(result, t))}>{t('platform.takeOver')}</button>}
            </li>
          ))}
        </ul>
      )}
      {message && (
        <div className={message.error ? 'error' : 'muted'} role={message.error ? 'alert' : 'status'} data-testid="aanjager-message">
          <p>{message.text}</p>
          {message.details && message.details.length > 0 && <ul>{message.details.map((d) => <li key={d}>{d}</li>)}</ul>}
        </div>
      )}
    </section>
  )
}

export function Platform({ programmeId }: { programmeId: string | null }) {
  const { t, lang } = useI18n()
  const params = new URLSearchParams(location.search)
  const token = params.get('token') ?? ''
  const lineParam = params.get('line')
  const signupParam = params.get('signup')
  const keyParam = params.get('key')
  const [view, setView] = useState<ProgrammeView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [theme, setTheme] = useState('')
  const [status, setStatus] = useState('')
  const [municipality, setMunicipality] = useState('')

  const load = useCallback(() => {
    if (!programmeId) return
    call<ProgrammeView>('GET', `/api/programmes/${programmeId}${lineParam ? `?line=${encodeURIComponent(lineParam)}` : ''}`, token).then(
      (v) => (setView(v), setError(null)),
      (e: unknown) => setError(e instanceof ApiError && (e.status === 401 || e.status === 403) ? t('platform.badLink') : (e as Error).message),
    )
  }, [programmeId, token, lineParam, t])
  useEffect(load, [load])

  const themes = useMemo(() => [...new Set(view?.lines.flatMap((l) => l.themes.map((th) => th.title)) ?? [])].sort(), [view])
  const municipalities = useMemo(() => [...new Set([...(view?.programme.municipalities ?? []), ...(view?.lines.flatMap((l) => l.municipalities) ?? [])])].sort(), [view])
  const shown = (view?.lines ?? []).filter((l) => (!theme || l.themes.some((th) => th.title === theme)) && (!status || l.status === status) && (!municipality || l.municipalities.includes(municipality)))

  return (
    <main className="page platform">
      <header className="lobby-header">
        <div>
          <p className="muted">{t('platform.kicker')}</p>
          <h1>{view?.programme.name ?? t('platform.title')}</h1>
          {view?.programme.region && <p className="muted">{view.programme.region}</p>}
        </div>
        <LanguageToggle />
      </header>
      {!programmeId ? <NewProgramme /> : signupParam && keyParam ? <MyData programmeId={programmeId} signupId={signupParam} keyValue={keyParam} /> : (
        <>
          {error && <div className="card"><p className="error" role="alert">{error}</p><a href="/">{t('board.toLobby')}</a></div>}
          {!view && !error && <p className="muted" aria-busy="true">{t('history.loading')}</p>}
          {view && (
            <>
              {(view.programme.centraleOpgave || view.programme.sharedValues.length > 0) && (
                <section className="card" aria-labelledby="horizon">
                  <h2 id="horizon">{t('platform.horizon')}</h2>
                  {view.programme.centraleOpgave && <p className="horizon">{view.programme.centraleOpgave}</p>}
                  {view.programme.sharedValues.length > 0 && (
                    <>
                      <h3>{t('platform.sharedValues')}</h3>
                      <ul className="shared-values">
                        {view.programme.sharedValues.map((v) => <li key={v.theme}><details><summary>{v.theme}</summary><p>{v.value}</p></details></li>)}
                      </ul>
                    </>
                  )}
                </section>
              )}
              {view.role === 'aanjager' && <AanjagerTools view={view} token={token} onChanged={load} />}
              <section aria-labelledby="lines-heading" className="platform-lines">
                <h2 id="lines-heading">{t('platform.lines', { n: String(view.lines.length) })}</h2>
                <div className="platform-filters" role="group" aria-label={t('platform.filter')}>
                  <label>{t('platform.themes')}
                    <select value={theme} onChange={(e) => setTheme(e.target.value)} data-testid="filter-theme">
                      <option value="">{t('platform.all')}</option>
                      {themes.map((th) => <option key={th} value={th}>{th}</option>)}
                    </select>
                  </label>
                  <label>{t('platform.status')}
                    <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="filter-status">
                      <option value="">{t('platform.all')}</option>
                      {ACTION_LINE_STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
                    </select>
                  </label>
                  {municipalities.length > 0 && (
                    <label>{t('platform.municipality')}
                      <select value={municipality} onChange={(e) => setMunicipality(e.target.value)} data-testid="filter-municipality">
                        <option value="">{t('platform.all')}</option>
                        {municipalities.map((m) => <option key={m} value={m}>{m}</option>)}
                      </select>
                    </label>
                  )}
                </div>
                {view.lines.length === 0 && <p className="muted">{t('platform.noLines')}</p>}
                {view.lines.length > 0 && shown.length === 0 && <p className="muted">{t('platform.noneMatch')}</p>}
                {shown.map((line) => <LineCard key={line.id} line={line} view={view} token={token} onChanged={load} />)}
              </section>
              <Experiments view={view} token={token} onChanged={load} />
              {view.smoelenboek.length > 0 && (
                <section className="card" aria-labelledby="smoelenboek" data-testid="smoelenboek">
                  <h2 id="smoelenboek">{t('platform.smoelenboek')}</h2>
                  <ul className="smoelenboek">
                    {view.smoelenboek.map((p) => (
                      <li key={`${p.role}${p.name}${p.organisation}`}>
                        <strong>{p.name}</strong>{p.organisation ? ` — ${p.organisation}` : ''}{p.group ? ` (${p.group})` : ''}
                        <span className="muted"> · {t(p.role === 'trekker' ? 'platform.roleTrekker' : 'platform.roleBetrokkene')} {p.lines.map((l) => l.number).join(', ')}</span>
                      </li>
                    ))}
                  </ul>
                </section>
              )}
              <section className="card" aria-labelledby="reports">
                <h2 id="reports">{t('platform.reports')}</h2>
                <p className="line-actions">
                  {(['report.html', 'report.md', 'report.json', 'meetings.ics'] as const).map((file) => (
                    <a key={file} href={`/api/programmes/${view.programme.id}/${file}?token=${encodeURIComponent(token)}&lang=${lang}`} {...(file === 'report.html' ? { target: '_blank', rel: 'noopener' } : { download: true })}>{t(`platform.file.${file}`)}</a>
                  ))}
                </p>
              </section>
            </>
          )}
        </>
      )}
    </main>
  )
}
