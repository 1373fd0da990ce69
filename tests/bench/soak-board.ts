/**
 * The soak's view of a 24-uursconferentie board, read from a synced document: the agenda, where
 * a participant puts a card in each phase (the phase's frame, its era columns on the timeline,
 * the row of their own stakeholder group on trots & sorry), and the card a browser makes there.
 */
import type * as Y from 'yjs'
import { metaOf, MetaKey, recordsOf } from '../../shared/doc-layout.ts'
import { facilitationOf, readFacilitation, type AgendaItem } from '../../shared/facilitation.ts'
import { Session, type NoteColor } from '../../shared/format/model.ts'
import { OWNER_META } from '../../shared/ownership.ts'
import { ERA } from '../../shared/shapes/era-shape.ts'
import { card } from '../helpers/records.ts'

/** A place cards go: a frame (their parent) and the part of it, in its coordinates. */
export interface Section {
  parentId: string
  groupId?: string
  x: number
  y: number
  w: number
  h: number
}

export interface BoardLayout {
  agenda: AgendaItem[]
  groups: { id: string; color: NoteColor }[]
  /** Per phase frame id: where its cards go. */
  sections: Map<string, Section[]>
}

interface Shape {
  id: string
  type: string
  parentId: string
  x: number
  y: number
  props: { w?: number; h?: number }
  meta: Record<string, unknown>
}

const CARD = { w: 200, h: 140 }
const TOP = 130 // below the frame's instructions (shared/format/instantiate.ts)
const PAD = 40

export function readLayout(doc: Y.Doc): BoardLayout {
  const { agenda } = readFacilitation(facilitationOf(doc))
  const session = Session.safeParse(metaOf(doc).get(MetaKey.session))
  if (agenda.length === 0 || !session.success) throw new Error('the board has no agenda or session: was it made from the 24-uursconferentie template?')
  const shapes = [...recordsOf<Shape & { typeName: string }>(doc).values()].filter((r) => r.typeName === 'shape')
  const sections = new Map<string, Section[]>()
  for (const item of agenda) {
    const frame = shapes.find((s) => s.id === item.frameId)
    if (!frame) throw new Error(`agenda frame ${item.frameId} is not on the board`)
    const children = shapes.filter((s) => s.parentId === frame.id)
    const eras = children.filter((s) => s.type === ERA)
    const rows = children.filter((s) => s.type === 'frame' && typeof s.meta.groupId === 'string')
    const area = (parentId: string, x: number, y: number, w: number, h: number, groupId?: string): Section => ({
      parentId,
      x,
      y,
      w: Math.max(1, w - CARD.w),
      h: Math.max(1, h - CARD.h),
      ...(groupId === undefined ? {} : { groupId }),
    })
    sections.set(
      item.frameId,
      eras.length > 0
        ? eras.map((e) => area(frame.id, e.x, e.y, e.props.w!, e.props.h!))
        : rows.length > 0
          ? rows.map((r) => area(r.id, 10, 40, r.props.w! - 20, r.props.h! - 50, r.meta.groupId as string))
          : [area(frame.id, PAD, TOP, frame.props.w! - PAD * 2, frame.props.h! - TOP - PAD)],
    )
  }
  return { agenda, groups: session.data.groups.map((g) => ({ id: g.id, color: g.color })), sections }
}

/** A section of the phase for a participant of `groupId` (their own row where rows are per group). */
export function sectionFor(layout: BoardLayout, frameId: string, groupId: string): Section | undefined {
  const all = layout.sections.get(frameId) ?? []
  const own = all.filter((s) => s.groupId === undefined || s.groupId === groupId || s.groupId === '')
  const pool = own.length > 0 ? own : all
  return pool[Math.floor(Math.random() * pool.length)]
}

export const spotIn = (s: Section) => ({ x: Math.round(s.x + Math.random() * s.w), y: Math.round(s.y + Math.random() * s.h) })

/** A card as the browser makes it: its maker's key hash as owner, their name and group. */
export function newCard(
  id: string,
  text: string,
  section: Section,
  maker: { keyHash: string; name: string; groupId: string; color: NoteColor },
  meta: Record<string, unknown> = {},
) {
  const base = card(id, text, { ...spotIn(section), parentId: section.parentId, meta: { ...meta, [OWNER_META]: maker.keyHash } })
  return { ...base, props: { ...base.props, author: maker.name, groupId: maker.groupId, color: maker.color } }
}

/** The sections' parents of a phase: a card is in the phase when its parent is one of them. */
export function parentsOf(layout: BoardLayout, frameId: string): Set<string> {
  return new Set((layout.sections.get(frameId) ?? []).map((s) => s.parentId))
}
