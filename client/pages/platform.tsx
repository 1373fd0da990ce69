/**
 * /p/<programme>: the programme's platform — the booklet's digital *vindplaats* (action line 7,
 * "Platform 'Samen aan de slag'"): the central task and shared values, every action line with its
 * status, trekkers, betrokkenen, themes and latest progress, filterable; each line's history.
 * Readable by anyone with the public link (no account); the aanjager also adds boards, takes
 * their action lines over, hands out trekker links and sees lines that went quiet; a trekker
 * posts progress on their own line. /p/new starts a programme.
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import { ACTION_LINE_STATUSES } from '../../shared/format/model.ts'
import type { ProgrammeView } from '../../shared/programme.ts'
import { ApiError, programmeApi, programmeFileUrl } from '../api-client.ts'
import { LanguageToggle, useI18n } from '../i18n/i18n.tsx'
import { AanjagerTools } from './platform/aanjager-tools.tsx'
import { Experiments } from './platform/experiments.tsx'
import { LineCard } from './platform/line-card.tsx'
import { MyData } from './platform/my-data.tsx'
import { NewProgramme } from './platform/new-programme.tsx'

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
    // A sign-up's own link (?signup=&key=) carries no programme token: her data page asks nothing else.
    if (!programmeId || (signupParam && keyParam && !token)) return
    programmeApi.view(programmeId, token, lineParam).then(
      (v) => (setView(v), setError(null)),
      (e: unknown) => setError(e instanceof ApiError && (e.status === 401 || e.status === 403) ? t('platform.badLink') : (e as Error).message),
    )
  }, [programmeId, token, lineParam, signupParam, keyParam, t])
  useEffect(load, [load])

  const themes = useMemo(() => [...new Set(view?.lines.flatMap((l) => l.themes.map((th) => th.title)) ?? [])].sort(), [view])
  const municipalities = useMemo(
    () => [...new Set([...(view?.programme.municipalities ?? []), ...(view?.lines.flatMap((l) => l.municipalities) ?? [])])].sort(),
    [view],
  )
  const shown = (view?.lines ?? []).filter(
    (l) =>
      (!theme || l.themes.some((th) => th.title === theme)) && (!status || l.status === status) && (!municipality || l.municipalities.includes(municipality)),
  )

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
      {!programmeId ? (
        <NewProgramme />
      ) : signupParam && keyParam ? (
        <MyData programmeId={programmeId} signupId={signupParam} keyValue={keyParam} />
      ) : (
        <>
          {error && (
            <div className="card">
              <p className="error" role="alert">
                {error}
              </p>
              <a href="/">{t('board.toLobby')}</a>
            </div>
          )}
          {!view && !error && (
            <p className="muted" aria-busy="true">
              {t('history.loading')}
            </p>
          )}
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
                        {view.programme.sharedValues.map((v) => (
                          <li key={v.theme}>
                            <details>
                              <summary>{v.theme}</summary>
                              <p>{v.value}</p>
                            </details>
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                </section>
              )}
              {view.role === 'aanjager' && <AanjagerTools view={view} token={token} onChanged={load} />}
              <section aria-labelledby="lines-heading" className="platform-lines">
                <h2 id="lines-heading">{t('platform.lines', { n: String(view.lines.length) })}</h2>
                <div className="platform-filters" role="group" aria-label={t('platform.filter')}>
                  <label>
                    {t('platform.themes')}
                    <select value={theme} onChange={(e) => setTheme(e.target.value)} data-testid="filter-theme">
                      <option value="">{t('platform.all')}</option>
                      {themes.map((th) => (
                        <option key={th} value={th}>
                          {th}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {t('platform.status')}
                    <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="filter-status">
                      <option value="">{t('platform.all')}</option>
                      {ACTION_LINE_STATUSES.map((s) => (
                        <option key={s} value={s}>
                          {t(`status.${s}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                  {municipalities.length > 0 && (
                    <label>
                      {t('platform.municipality')}
                      <select value={municipality} onChange={(e) => setMunicipality(e.target.value)} data-testid="filter-municipality">
                        <option value="">{t('platform.all')}</option>
                        {municipalities.map((m) => (
                          <option key={m} value={m}>
                            {m}
                          </option>
                        ))}
                      </select>
                    </label>
                  )}
                </div>
                {view.lines.length === 0 && <p className="muted">{t('platform.noLines')}</p>}
                {view.lines.length > 0 && shown.length === 0 && <p className="muted">{t('platform.noneMatch')}</p>}
                {shown.map((line) => (
                  <LineCard key={line.id} line={line} view={view} token={token} onChanged={load} />
                ))}
              </section>
              <Experiments view={view} token={token} onChanged={load} />
              {view.smoelenboek.length > 0 && (
                <section className="card" aria-labelledby="smoelenboek" data-testid="smoelenboek">
                  <h2 id="smoelenboek">{t('platform.smoelenboek')}</h2>
                  <ul className="smoelenboek">
                    {view.smoelenboek.map((p) => (
                      <li key={`${p.role}${p.name}${p.organisation}`}>
                        <strong>{p.name}</strong>
                        {p.organisation ? ` — ${p.organisation}` : ''}
                        {p.group ? ` (${p.group})` : ''}
                        <span className="muted">
                          {' '}
                          · {t(p.role === 'trekker' ? 'platform.roleTrekker' : 'platform.roleBetrokkene')} {p.lines.map((l) => l.number).join(', ')}
                        </span>
                      </li>
                    ))}
                  </ul>
                </section>
              )}
              <section className="card" aria-labelledby="reports">
                <h2 id="reports">{t('platform.reports')}</h2>
                <p className="line-actions">
                  {(['report.html', 'report.md', 'report.json', 'meetings.ics'] as const).map((file) => (
                    <a
                      key={file}
                      href={programmeFileUrl(view.programme.id, token, file, lang)}
                      {...(file === 'report.html' ? { target: '_blank', rel: 'noopener' } : { download: true })}
                    >
                      {t(`platform.file.${file}`)}
                    </a>
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
