/** Proposing an experiment: the toetsingskader's three checks, each with why, and the lines it might conflict with. */
import { useState, type FormEvent } from 'react'
import type { ProgrammeView } from '../../../shared/programme.ts'
import { programmeApi } from '../../api-client.ts'
import { useI18n } from '../../i18n/i18n.tsx'

export function ProposeExperiment({ view, token, onDone }: { view: ProgrammeView; token: string; onDone(): void }) {
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
      await programmeApi.proposeExperiment(view.programme.id, token, {
        title,
        description,
        proposer,
        lineId,
        horizon: checks.horizon,
        transformation: checks.transformation,
        noConflict: { ...checks.noConflict, conflictsWith: conflicts },
      })
      onDone()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const check = (key: keyof typeof checks) => (
    <fieldset className="check-field">
      <legend>{t(`platform.check.${key}`)}</legend>
      <label className="check">
        <input type="checkbox" checked={checks[key].ok} onChange={(e) => setChecks({ ...checks, [key]: { ...checks[key], ok: e.target.checked } })} />{' '}
        {t('platform.checkMet')}
      </label>
      <label htmlFor={`why-${key}`}>{t('platform.why')}</label>
      <textarea
        id={`why-${key}`}
        value={checks[key].why}
        onChange={(e) => setChecks({ ...checks, [key]: { ...checks[key], why: e.target.value } })}
        required
        maxLength={2000}
        rows={2}
      />
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
        {view.lines.map((l) => (
          <option key={l.id} value={l.id}>
            {l.number}. {l.title}
          </option>
        ))}
      </select>
      {check('horizon')}
      {check('noConflict')}
      <details className="compare">
        <summary>{t('platform.compare')}</summary>
        {view.programme.sharedValues.length > 0 && (
          <ul>
            {view.programme.sharedValues.map((v) => (
              <li key={v.theme}>
                <strong>{v.theme}</strong>
              </li>
            ))}
          </ul>
        )}
        <fieldset>
          <legend>{t('platform.conflictsWith')}</legend>
          {view.lines.map((l) => (
            <label key={l.id} className="check">
              <input
                type="checkbox"
                checked={conflicts.includes(l.id)}
                onChange={(e) => setConflicts(e.target.checked ? [...conflicts, l.id] : conflicts.filter((c) => c !== l.id))}
              />{' '}
              {l.number}. {l.title}
            </label>
          ))}
        </fieldset>
      </details>
      {check('transformation')}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary">
        {t('platform.submitExperiment')}
      </button>
    </form>
  )
}
