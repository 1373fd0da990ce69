/** The programme's experiments with their three checks; the aanjager accepts or declines them. */
import { useState } from 'react'
import type { ProgrammeView } from '../../../shared/programme.ts'
import { programmeApi } from '../../api-client.ts'
import { useI18n } from '../../i18n/i18n.tsx'
import { ProposeExperiment } from './propose-experiment.tsx'

export function Experiments({ view, token, onChanged }: { view: ProgrammeView; token: string; onChanged(): void }) {
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
    programmeApi.decideExperiment(view.programme.id, token, id, decision, reasons[id] ?? '').then(onChanged, (e: unknown) => setError((e as Error).message))
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
              <span className="muted">
                {' '}
                · {lineTitle(e.lineId)} · {e.proposer}
              </span>
              {e.description && <p>{e.description}</p>}
              <ul className="checks">
                <li>
                  {e.horizon.ok ? '✓' : '✗'} {t('platform.check.horizon')}: {e.horizon.why}
                </li>
                <li>
                  {e.noConflict.ok ? '✓' : '✗'} {t('platform.check.noConflict')}: {e.noConflict.why}
                  {e.noConflict.conflictsWith.length > 0 && <> ({e.noConflict.conflictsWith.map(lineTitle).join(', ')})</>}
                </li>
                <li>
                  {e.transformation.ok ? '✓' : '✗'} {t('platform.check.transformation')}: {e.transformation.why}
                </li>
              </ul>
              {e.reason && (
                <p>
                  <em>{e.reason}</em>
                </p>
              )}
              {view.role === 'aanjager' && e.state === 'proposed' && (
                <div className="line-actions">
                  <button type="button" onClick={() => decide(e.id, 'accepted')} data-testid="accept-experiment">
                    {t('platform.accept')}
                  </button>
                  <label>
                    {t('platform.declineReason')}
                    <input value={reasons[e.id] ?? ''} onChange={(ev) => setReasons({ ...reasons, [e.id]: ev.target.value })} data-testid="decline-reason" />
                  </label>
                  <button type="button" onClick={() => decide(e.id, 'declined')} disabled={!(reasons[e.id] ?? '').trim()} data-testid="decline-experiment">
                    {t('platform.decline')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {view.lines.length > 0 &&
        (proposing ? (
          <ProposeExperiment view={view} token={token} onDone={() => (setProposing(false), onChanged())} />
        ) : (
          <button type="button" onClick={() => setProposing(true)} data-testid="propose-experiment">
            {t('platform.propose')}
          </button>
        ))}
    </section>
  )
}
