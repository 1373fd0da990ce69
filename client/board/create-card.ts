/**
 * How a card is made, once, for the card panel, the phone view and whatever comes later: the
 * type's defaults, its maker stamped into the record — the owner (shared/ownership.ts) and, on a
 * contribution, the author with their stakeholder group's colour — and a free spot to land in.
 *
 * board-canvas.tsx still stamps the owner on whatever else a person makes (tldraw's own tools, a
 * paste, a duplicate); a card made here already carries it, so that stamp changes nothing on it.
 */
import { createShapeId, type Editor, type TLShapeId } from 'tldraw'
import type { StakeholderGroup } from '../../shared/format/model.ts'
import { OWNER_META } from '../../shared/ownership.ts'
import { actionLineDefaults } from '../../shared/shapes/action-line-shape.ts'
import { contributionDefaults } from '../../shared/shapes/contribution-shape.ts'
import { eraDefaults } from '../../shared/shapes/era-shape.ts'
import { experimentDefaults } from '../../shared/shapes/experiment-shape.ts'
import { personaDefaults } from '../../shared/shapes/persona-shape.ts'
import { quoteDefaults } from '../../shared/shapes/quote-shape.ts'
import { themeCardDefaults } from '../../shared/shapes/theme-card-shape.ts'
import type { Identity } from '../identity.ts'

const DEFAULTS = {
  contribution: contributionDefaults,
  'theme-card': themeCardDefaults,
  'action-line': actionLineDefaults,
  persona: personaDefaults,
  quote: quoteDefaults,
  experiment: experimentDefaults,
  era: eraDefaults,
} as const
export type CardType = keyof typeof DEFAULTS
export const CARD_TYPES = Object.keys(DEFAULTS) as CardType[]
export const isCardType = (type: string): type is CardType => Object.hasOwn(DEFAULTS, type)

/** Who makes the card: this browser's person, its member key's hash, the board's stakeholder groups. */
export interface Maker {
  identity: Identity
  keyHash: string
  groups: readonly StakeholderGroup[]
}

export interface NewCard {
  type: CardType
  maker: Maker
  /** Where a card of this size goes (card-panel.tsx useDestinations). */
  spotFor(size: { w: number; h: number }): { x: number; y: number }
  /** Props over the defaults (the phone view's text). */
  props?: Record<string, unknown>
  /** Given when the caller needs the id before the card exists. */
  id?: TLShapeId
}

/** The props of a new card: its defaults, the maker's name and group on a contribution, then `extra`. */
export function cardProps(type: CardType, maker: Maker, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const props: Record<string, unknown> = { ...DEFAULTS[type]() }
  if (type === 'contribution') {
    const group = maker.groups.find((g) => g.id === maker.identity.groupId)
    Object.assign(props, { author: maker.identity.name, groupId: group?.id ?? '', color: group?.color ?? 'yellow' })
  }
  return { ...props, ...extra }
}

/** Makes the card (one undo step) and returns its id. */
export function createCard(editor: Editor, { type, maker, spotFor, props: extra, id = createShapeId() }: NewCard): TLShapeId {
  const props = cardProps(type, maker, extra)
  const at = spotFor({ w: props.w as number, h: props.h as number })
  editor.markHistoryStoppingPoint(`add ${type}`)
  editor.createShape({ id, type, x: at.x, y: at.y, props, meta: { [OWNER_META]: maker.keyHash } } as never)
  return id
}
