import { HTMLContainer, type TLShape } from 'tldraw'
import { QUOTE, quoteDefaults, quoteMigrations, quoteProps } from '../../shared/shapes/quote-shape.ts'
import { CardShapeUtil } from './card-shape-util.tsx'

export type QuoteShape = TLShape<typeof QUOTE>

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
