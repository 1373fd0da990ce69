/** The simpler cards: persona, quote, experiment and the timeline's era column. */
import { HTMLContainer, type TLShape } from 'tldraw'
import { ERA, eraDefaults, eraMigrations, eraProps } from '../../shared/shapes/era-shape.ts'
import { EXPERIMENT, experimentDefaults, experimentMigrations, experimentProps } from '../../shared/shapes/experiment-shape.ts'
import { PERSONA, personaDefaults, personaMigrations, personaProps } from '../../shared/shapes/persona-shape.ts'
import { QUOTE, quoteDefaults, quoteMigrations, quoteProps } from '../../shared/shapes/quote-shape.ts'
import { EXPERIMENT_CRITERIA } from '../../shared/format/model.ts'
import { Say } from '../i18n/i18n.tsx'
import { CardShapeUtil } from './card-shape-util.tsx'

export type PersonaShape = TLShape<typeof PERSONA>
export type QuoteShape = TLShape<typeof QUOTE>
export type ExperimentShape = TLShape<typeof EXPERIMENT>
export type EraShape = TLShape<typeof ERA>

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
        <div className="card-kicker"><Say k="card.persona" /></div>
        <div className="card-title">{shape.props.name || '…'}</div>
        <div className="card-text"><strong><Say k="card.then" />:</strong> {shape.props.then}</div>
        <div className="card-text"><strong><Say k="card.now" />:</strong> {shape.props.now}</div>
      </HTMLContainer>
    )
  }
}

export class QuoteShapeUtil extends CardShapeUtil<QuoteShape> {
  static override type = QUOTE
  static override props = quoteProps
  static override migrations = quoteMigrations
  getDefaultProps() {
    return quoteDefaults()
  }
  component(shape: QuoteShape) {
    const by = [shape.props.name, shape.props.organisation].filter(Boolean).join(', ')
    return (
      <HTMLContainer className="card card-quote">
        <div className="card-quote-text">“{shape.props.text || '…'}”</div>
        {by && <div className="card-author">— {by}</div>}
      </HTMLContainer>
    )
  }
}


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
        <div className="card-kicker"><Say k="card.experiment" /></div>
        <div className="card-title">{shape.props.title || '…'}</div>
        <div className="card-text">{shape.props.description}</div>
        <ul className="card-checks">
          {EXPERIMENT_CRITERIA.map((key) => <li key={key} className={shape.props[key] ? 'ok' : 'open'}>{shape.props[key] ? '✔' : '○'} <Say k={`check.${key}`} /></li>)}
        </ul>
      </HTMLContainer>
    )
  }
}

export class EraShapeUtil extends CardShapeUtil<EraShape> {
  static override type = ERA
  static override props = eraProps
  static override migrations = eraMigrations
  getDefaultProps() {
    return eraDefaults()
  }
  override canBind() {
    return false
  }
  component(shape: EraShape) {
    return (
      <HTMLContainer className="card card-era">
        <div className="card-title">{shape.props.title || '…'}</div>
      </HTMLContainer>
    )
  }
}
