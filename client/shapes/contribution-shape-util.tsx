import { HTMLContainer, type TLShape } from 'tldraw'
import { CONTRIBUTION, contributionDefaults, contributionMigrations, contributionProps } from '../../shared/shapes/contribution-shape.ts'
import { CardShapeUtil, NOTE_FILL, Simplified, VoteBadge } from './card-shape-util.tsx'

export type ContributionShape = TLShape<typeof CONTRIBUTION>

export class ContributionShapeUtil extends CardShapeUtil<ContributionShape> {
  static override type = CONTRIBUTION
  static override props = contributionProps
  static override migrations = contributionMigrations

  getDefaultProps() {
    return contributionDefaults()
  }

  component(shape: ContributionShape) {
    const { text, author, color } = shape.props
    return (
      <Simplified w={shape.props.w} fill={NOTE_FILL[color] ?? NOTE_FILL.yellow!} votes={shape.meta.votes}>
        <HTMLContainer className="card card-contribution" style={{ background: NOTE_FILL[color] }} data-testid="contribution-card">
          <div className="card-text">{text || '…'}</div>
          {author && <div className="card-author">{author}</div>}
          <VoteBadge votes={shape.meta.votes} />
        </HTMLContainer>
      </Simplified>
    )
  }
}
