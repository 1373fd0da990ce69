import { HTMLContainer, type TLShape } from 'tldraw'
import { EXPERIMENT_CRITERIA } from '../../shared/format/model.ts'
import { EXPERIMENT, experimentDefaults, experimentMigrations, experimentProps } from '../../shared/shapes/experiment-shape.ts'
import { Say } from '../i18n/i18n.tsx'
import { CardShapeUtil } from './card-shape-util.tsx'

export type ExperimentShape = TLShape<typeof EXPERIMENT>

export class ExperimentShapeUtil extends CardShapeUtil<ExperimentShape> {
  static override type = EXPERIMENT
  static override props = experimentProps
  static override migrations = experimentMigrations
  getDefaultProps() {
    return experimentDefaults()
  }
  component(shape: ExperimentShape) {
    return (
      <HTMLContainer className="card card-experiment">
        <div className="card-kicker">
          <Say k="card.experiment" />
        </div>
        <div className="card-title">{shape.props.title || '…'}</div>
        <div className="card-text">{shape.props.description}</div>
        <ul className="card-checks">
          {EXPERIMENT_CRITERIA.map((key) => (
            <li key={key} className={shape.props[key] ? 'ok' : 'open'}>
              {shape.props[key] ? '✔' : '○'} <Say k={`check.${key}`} />
            </li>
          ))}
        </ul>
      </HTMLContainer>
    )
  }
}
