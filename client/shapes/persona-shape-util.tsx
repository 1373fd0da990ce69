import { HTMLContainer, type TLShape } from 'tldraw'
import { PERSONA, personaDefaults, personaMigrations, personaProps } from '../../shared/shapes/persona-shape.ts'
import { Say } from '../i18n/i18n.tsx'
import { CardShapeUtil } from './card-shape-util.tsx'

export type PersonaShape = TLShape<typeof PERSONA>

export class PersonaShapeUtil extends CardShapeUtil<PersonaShape> {
  static override type = PERSONA
  static override props = personaProps
  static override migrations = personaMigrations
  getDefaultProps() {
    return personaDefaults()
  }
  component(shape: PersonaShape) {
    return (
      <HTMLContainer className="card card-persona">
        <div className="card-kicker">
          <Say k="card.persona" />
        </div>
        <div className="card-title">{shape.props.name || '…'}</div>
        <div className="card-text">
          <strong>
            <Say k="card.then" />:
          </strong>{' '}
          {shape.props.then}
        </div>
        <div className="card-text">
          <strong>
            <Say k="card.now" />:
          </strong>{' '}
          {shape.props.now}
        </div>
      </HTMLContainer>
    )
  }
}
