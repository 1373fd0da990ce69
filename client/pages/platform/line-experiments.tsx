import type { ActionLineSummary, Experiment } from '../../../shared/programme.ts'
import { useI18n } from '../../i18n/i18n.tsx'

/** The experiments of this line, and those elsewhere that name it as one they might conflict with. */
export function LineExperiments({ line, experiments }: { line: ActionLineSummary; experiments: Experiment[] }) {
  const { t } = useI18n()
  const own = experiments.filter((e) => e.lineId === line.id)
  const conflicting = experiments.filter((e) => e.lineId !== line.id && e.noConflict.conflictsWith.includes(line.id))
  if (own.length === 0 && conflicting.length === 0) return null
  return (
    <div className="line-experiments" data-testid="line-experiments">
      {own.length > 0 && (
        <>
          <h4>{t('platform.experiments')}</h4>
          <ul>
            {own.map((e) => (
              <li key={e.id}>
                {e.title} <span className="muted">({t(`platform.exp.${e.state}`)})</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {conflicting.length > 0 && (
        <>
          <h4>{t('platform.mayConflict')}</h4>
          <ul data-testid="conflicting-experiments">
            {conflicting.map((e) => (
              <li key={e.id}>
                {e.title} — <span className="muted">{e.noConflict.why}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
