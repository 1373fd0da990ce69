/**
 * Notes find their place on the board (geometry in shared/layout.ts): a new note goes to the
 * first free cell of its destination — an era column, a trots/sorry row, a group's frame, or the
 * phase's frame — never on top of another; after a private round's reveal the notes that landed
 * on each other are spread out; a facilitator tidies (Opruimen) or clusters a frame's notes.
 *
 * Cards stay children of the page (template frames are locked); a card belongs to the smallest
 * frame or era column its centre lies in, which is also how the report reads the board.
 */
import type { Editor, TLShape, TLShapeId } from 'tldraw'
import { arrange, centerOf, clusterByWords, contains, NOTE_GAP, overlaps, placeNote, separate, type Box, type Placed } from '../../shared/layout.ts'
import { shapeText, type AnyRecord } from '../../shared/format/extract-outcome.ts'
import { isGroupFrame, isGroupFrameOf } from '../../shared/format/group-frames.ts'
import type { DestinationOption } from './destination-choice.ts'

const CONTAINER_TYPES = new Set(['frame', 'era'])
/** Shapes that are arranged: the format's cards and tldraw's notes, text and pictures. */
const ARRANGED_TYPES = new Set(['contribution', 'theme-card', 'action-line', 'persona', 'quote', 'experiment', 'note', 'geo', 'image'])
/** An era column shows its title at the top, inside its box (up to three lines at 22 px). */
const ERA_HEADER = 110

const boxOf = (editor: Editor, shape: TLShape): Box | undefined => {
  const b = editor.getShapePageBounds(shape)
  return b ? { x: b.x, y: b.y, w: b.w, h: b.h } : undefined
}

/** The area of a container that notes may use. */
function areaOf(editor: Editor, container: TLShape): Box | undefined {
  const b = boxOf(editor, container)
  if (!b) return undefined
  return container.type === 'era' ? { x: b.x, y: b.y + ERA_HEADER, w: b.w, h: b.h - ERA_HEADER } : b
}

const containers = (editor: Editor) => editor.getCurrentPageShapes().filter((s) => CONTAINER_TYPES.has(s.type))

/** The containers whose centre lies inside another one: its era columns, rows and sub-frames. */
function containersIn(editor: Editor, outer: TLShape): TLShape[] {
  const box = boxOf(editor, outer)
  if (!box) return []
  return containers(editor).filter((s) => {
    const inner = s.id !== outer.id && boxOf(editor, s)
    return !!inner && contains(box, centerOf(inner))
  })
}

/** The smallest container whose box holds the point. */
export function containerAt(editor: Editor, point: { x: number; y: number }): TLShape | undefined {
  let best: { shape: TLShape; size: number } | undefined
  for (const shape of containers(editor)) {
    const b = boxOf(editor, shape)
    if (b && contains(b, point) && (!best || b.w * b.h < best.size)) best = { shape, size: b.w * b.h }
  }
  return best?.shape
}

export interface Destination extends DestinationOption {
  id: TLShapeId
}

/**
 * Where a note of this phase can go: the era columns or trots/sorry rows inside the phase's
 * frame, or the frame itself when it has none; the group frames (max-mix) of this phase — not
 * those of an earlier one — and the parkeerplaats come too. A row of one stakeholder group says so.
 */
export function destinationsIn(editor: Editor, phaseFrameId: TLShapeId | undefined): Destination[] {
  const frame = phaseFrameId ? editor.getShape(phaseFrameId) : undefined
  const inside = frame ? containersIn(editor, frame) : []
  const list = inside.length > 0 ? inside : frame ? [frame] : []
  const groups = containers(editor).filter((s) => s.meta.parkingLot === true || (isGroupFrame(s) && (!frame || isGroupFrameOf(s, frame))))
  return [...list, ...groups.filter((g) => !list.includes(g))]
    .sort((a, b) => boxOf(editor, a)!.y - boxOf(editor, b)!.y || boxOf(editor, a)!.x - boxOf(editor, b)!.x)
    .map((s) => ({ id: s.id, label: textOf(s), ...(typeof s.meta.groupId === 'string' && !isGroupFrame(s) ? { groupId: s.meta.groupId } : {}) }))
}

const textOf = (shape: TLShape) => shapeText(shape as unknown as AnyRecord)

/** What lies in a container (and in none of its sub-containers): the notes and the rest. */
function contentOf(editor: Editor, container: TLShape) {
  const notes: (Placed & { shape: TLShape })[] = []
  const obstacles: Box[] = []
  /** The era columns and frames inside it (also obstacles): a note there counts as theirs. */
  const inner: Box[] = []
  const area = areaOf(editor, container)
  const whole = boxOf(editor, container)
  if (!area || !whole) return { notes, obstacles, inner }
  for (const shape of editor.getCurrentPageShapes()) {
    if (shape.id === container.id || editor.hasAncestor(container, shape.id)) continue
    const box = boxOf(editor, shape)
    if (!box) continue
    const center = centerOf(box)
    if (CONTAINER_TYPES.has(shape.type)) {
      // A smaller container that reaches into this one is in the way, and a note whose centre lies
      // in it counts as its (containerAt); one around this container is not. Found by the session
      // fuzzer (seed 11): an era column added inside another, as big as its area, and one moved
      // half over its neighbour.
      if (overlaps(area, box) && box.w * box.h <= whole.w * whole.h) {
        obstacles.push(box)
        inner.push(box)
      }
      continue
    }
    if (containerAt(editor, center)?.id !== container.id) continue
    if (ARRANGED_TYPES.has(shape.type) && !shape.isLocked) notes.push({ id: shape.id, box, shape })
    else obstacles.push(box)
  }
  return { notes, obstacles, inner }
}

/**
 * The page point for a new note of `size` in a container: its first free cell. A full container
 * keeps the note inside it (the report reads where a note lies), on the last row, slightly offset;
 * the facilitator's Opruimen then makes room.
 */
export function placeIn(
  editor: Editor,
  containerId: TLShapeId,
  size: { w: number; h: number },
  hidden: readonly Box[] = [],
): { x: number; y: number } | undefined {
  const container = editor.getShape(containerId)
  const area = container && areaOf(editor, container)
  if (!container || !area) return undefined
  const { notes, obstacles, inner } = contentOf(editor, container)
  return placeNote(area, size, [...obstacles, ...notes.map((n) => n.box)], hidden, notes.length, inner, boxOf(editor, container))
}

/**
 * Makes a container (and the frames around it) tall enough for notes down to `bottom` (page y).
 * Template frames are locked against participants; this runs in a facilitator's browser.
 */
function growTo(editor: Editor, container: TLShape, bottom: number) {
  const updates: { id: TLShapeId; type: string; props: { h: number } }[] = []
  for (let shape: TLShape | undefined = container; shape && CONTAINER_TYPES.has(shape.type); shape = editor.getShape(shape.parentId as TLShapeId)) {
    const box = boxOf(editor, shape)
    const h = (shape.props as { h?: number }).h
    if (!box || typeof h !== 'number' || box.y + box.h >= bottom + NOTE_GAP) continue
    updates.push({ id: shape.id, type: shape.type, props: { h: h + (bottom + NOTE_GAP - (box.y + box.h)) } })
  }
  if (updates.length > 0) editor.run(() => editor.updateShapes(updates as never), { ignoreShapeLock: true })
}

/** Moves notes, growing the container first when they reach below it. */
function moveWithin(editor: Editor, container: TLShape, moves: Map<string, { x: number; y: number }>, notes: readonly Placed[]): number {
  const sizes = new Map(notes.map((n) => [n.id, n.box]))
  const bottom = Math.max(-Infinity, ...[...moves].map(([id, at]) => at.y + (sizes.get(id)?.h ?? 0)))
  const area = areaOf(editor, container)
  if (area && bottom > area.y + area.h) growTo(editor, container, bottom)
  return moveTo(editor, moves)
}

function moveTo(editor: Editor, moves: Map<string, { x: number; y: number }>) {
  const updates = [...moves].flatMap(([id, page]) => {
    const shape = editor.getShape(id as TLShapeId)
    if (!shape) return []
    const local = editor.getPointInParentSpace(shape, page)
    return Math.abs(local.x - shape.x) < 0.5 && Math.abs(local.y - shape.y) < 0.5 ? [] : [{ id: shape.id, type: shape.type, x: local.x, y: local.y }]
  })
  if (updates.length > 0) editor.updateShapes(updates as never)
  return updates.length
}

/** The containers to work on: the container itself and those inside it. */
const workAreas = (editor: Editor, container: TLShape): TLShape[] => [container, ...containersIn(editor, container)]

type Layout = (area: Box, notes: Placed[], obstacles: Box[]) => Map<string, { x: number; y: number }>

/** Lays out the notes of a container and of each area inside it; returns how many moved. */
function layOut(editor: Editor, containerId: TLShapeId, layout: Layout): number {
  const container = editor.getShape(containerId)
  if (!container) return 0
  let moved = 0
  for (const c of workAreas(editor, container)) {
    const { notes, obstacles } = contentOf(editor, c)
    moved += moveWithin(editor, c, layout(areaOf(editor, c)!, notes, obstacles), notes)
  }
  return moved
}

/** Spreads out the notes that lie on others (after a reveal); returns how many moved. */
export const separateNotes = (editor: Editor, containerId: TLShapeId): number => layOut(editor, containerId, separate)

/** Opruimen: the notes of a frame in a grid, in reading order (top to bottom, left to right). */
export const tidyNotes = (editor: Editor, containerId: TLShapeId): number =>
  layOut(editor, containerId, (area, notes, obstacles) =>
    arrange(
      area,
      [...notes].sort((a, b) => Math.round((a.box.y - b.box.y) / 60) || a.box.x - b.box.x),
      obstacles,
    ),
  )

/**
 * Clusteren: notes that share words next to each other (shared/layout.ts clusterByWords), one
 * cluster after another, a blank cell between clusters. Returns the clusters found.
 */
export function clusterNotes(editor: Editor, containerId: TLShapeId): { ids: string[]; words: string[] }[] {
  const container = editor.getShape(containerId)
  if (!container) return []
  const all: { ids: string[]; words: string[] }[] = []
  for (const c of workAreas(editor, container)) {
    const { notes, obstacles } = contentOf(editor, c)
    const clusters = clusterByWords(notes.map((n) => ({ id: n.id, text: textOf(n.shape) })))
    const byId = new Map(notes.map((n) => [n.id, n]))
    const area = areaOf(editor, c)!
    const taken = [...obstacles]
    const moves = new Map<string, { x: number; y: number }>()
    for (const cluster of clusters) {
      const members = cluster.ids.map((id) => byId.get(id)!)
      const placed = arrange(area, members, taken)
      for (const [id, at] of placed) {
        moves.set(id, at)
        const n = byId.get(id)!
        // Each note keeps a gap's worth of margin, so the next cluster starts visibly apart.
        taken.push({ x: at.x - NOTE_GAP, y: at.y, w: n.box.w + NOTE_GAP * 2, h: n.box.h })
      }
    }
    moveWithin(editor, c, moves, notes)
    all.push(...clusters)
  }
  return all
}

/** The parts of the canvas the board's own panels cover (header, agenda, card panel), in page coordinates. */
export function coveredByChrome(editor: Editor): Box[] {
  return [...document.querySelectorAll('.board-top > *, .card-panel, .contribute')].flatMap((el) => {
    const r = el.getBoundingClientRect()
    if (r.width === 0 || r.height === 0) return []
    const a = editor.screenToPage({ x: r.left, y: r.top })
    const b = editor.screenToPage({ x: r.right, y: r.bottom })
    return [{ x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y }]
  })
}
