import { HTMLContainer, type TLShape } from 'tldraw'
import { THEME_CARD, themeCardDefaults, themeCardMigrations, themeCardProps } from '../../shared/shapes/theme-card-shape.ts'
import { Say } from '../i18n/i18n.tsx'
import { CardShapeUtil, VoteBadge } from './card-shape-util.tsx'

export type ThemeCardShape = TLShape<typeof THEME_CARD>

export class ThemeCardShapeUtil extends CardShapeUtil<ThemeCardShape> {
  static override type = THEME_CARD
  static override props = themeCardProps
  static override migrations = themeCardMigrations

  getDefaultProps() {
    return themeCardDefaults()
  }

  component(shape: ThemeCardShape) {
    return (
      <HTMLContainer className="card card-theme" data-testid="theme-card">
        <div className="card-kicker">
          <Say k="card.theme" />
        </div>
        <div className="card-title">{shape.props.title || '…'}</div>
        <div className="card-text">{shape.props.sharedValue}</div>
        <VoteBadge votes={shape.meta.votes} />
      </HTMLContainer>
    )
  }
}
