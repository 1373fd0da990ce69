/** What every card shape shares: a resizable box drawn as an HTML card. */
import type { ReactNode } from 'react'
import { BaseBoxShapeUtil, HTMLContainer, useEditor, useValue, type TLBaseBoxShape } from 'tldraw'
import { Say } from '../i18n/i18n.tsx'

export abstract class CardShapeUtil<S extends TLBaseBoxShape> extends BaseBoxShapeUtil<S> {
  override canEdit() {
    return false
  }

  getIndicatorPath(shape: S) {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 10)
    return path
  }
}

/** Fill colours of tldraw's note colours, for cards coloured by stakeholder group. */
export const NOTE_FILL: Record<string, string> = {
  yellow: '#fef3b0',
  blue: '#c9dcff',
  green: '#c5f0cf',
  orange: '#ffd9b3',
  violet: '#e2d4ff',
  red: '#ffc9c9',
  'light-blue': '#d8f1ff',
  'light-green': '#dcf7d5',
  'light-violet': '#f1e3ff',
  'light-red': '#ffe0e0',
  grey: '#e9ecef',
  black: '#ced4da',
}

/** The tally of a closed dot vote, on the card. */
export function VoteBadge({ votes }: { votes: unknown }) {
  if (typeof votes !== 'number' || votes <= 0) return null
  return (
    <div className="vote-badge" data-testid="vote-badge">
      <Say k="vote.badge" vars={{ n: votes }} />
    </div>
  )
}

/** Below this width on screen a card's text cannot be read: it is drawn as its coloured block. */
const READABLE_CARD_PX = 70

/**
 * A card that is drawn simply when it is small on screen (a 2,000-card board zoomed to fit):
 * tldraw's efficient zoom level holds still while the camera moves, so cards re-render when the
 * camera stops, not on every frame.
 */
export function Simplified({ w, fill, votes, children }: { w: number; fill: string; votes?: unknown; children: ReactNode }) {
  const editor = useEditor()
  const small = useValue('card is small', () => w * editor.getEfficientZoomLevel() < READABLE_CARD_PX, [editor, w])
  // The tally of a vote stays: over the whole board it is what people look for.
  if (small)
    return (
      <HTMLContainer className="card card-simple" style={{ background: fill }} data-testid="card-simple">
        <VoteBadge votes={votes} />
      </HTMLContainer>
    )
  return <>{children}</>
}
