/**
 * Whether tldraw's renderer can draw a record that its schema already accepts. tldraw's schema
 * lets through records its ShapeUtils cannot measure — a stroke without points made every
 * browser on the board show its error screen, two groups each the other's parent froze them —
 * so the server refuses these (live and in imports) and the client's store binding skips any a
 * board already holds.
 *
 * The real geometry cannot run here: tldraw's Editor needs a DOM to measure text, and the server
 * has none. So these are rules per shape type, read from tldraw's ShapeUtils (getGeometry and
 * the code around it), using tldraw's own DOM-free parts where those decide: its point decoder
 * for strokes, and the rich-text schema of its TipTap extensions for text. Whether they are
 * right is tldraw's call, not ours: tests/shared/drawable-property.test.ts puts every record
 * the server accepts into a real tldraw Editor and measures it. No DOM, no Node API.
 */
import { getSchema, type JSONContent } from '@tiptap/core'
import { b64Vecs, type TLRecord } from '@tldraw/tlschema'
import { tipTapDefaultExtensions } from 'tldraw'

export const DrawLimits = {
  /**
   * A shape's size in units of the page (w, h, points, bend… times its scale). tldraw lays
   * circles, arcs and dashes out in vertices every ~20 units: a 10-million-unit ellipse took
   * 3.7 s and 1.5 M vertices to measure, a bend of 1e308 ran out of memory. 100,000 units is 26
   * times the widest frame of the 24-uursconferentie board.
   */
  maxExtent: 100_000,
  /**
   * A shape's distance from its parent's origin (the conference board's farthest: ~11,000): two
   * shapes at ±1e308 made tldraw's page bounds infinitely wide.
   */
  maxPosition: 1_000_000,
  /**
   * tldraw's own scales are 1 / zoom (0.05–20 with its zoom steps). A dot's circle is its stroke
   * width times the scale: at a scale of a million it took 1.4 M vertices.
   */
  maxScale: 1_000,
} as const

/** A stroke's point path: canonical base64 (browsers with a native decoder refuse anything else). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
/** Numbers in props that are no lengths (video time in seconds, a stroke segment's dimensions) or that scale the others. */
const NOT_LENGTHS = new Set(['scale', 'scaleX', 'scaleY', 'time', 'dim'])

type Shape = Extract<TLRecord, { typeName: 'shape' }>
type Binding = Extract<TLRecord, { typeName: 'binding' }>
type AnyProps = Record<string, unknown>

let richTextSchema: ReturnType<typeof getSchema> | undefined
/** tldraw renders rich text through ProseMirror's Node.fromJSON with these extensions' schema. */
function richTextProblem(value: unknown): string | null {
  richTextSchema ??= getSchema(tipTapDefaultExtensions)
  try {
    richTextSchema.nodeFromJSON(value as JSONContent)
    return null
  } catch (error) {
    return `its text cannot be read (${(error as Error).message.slice(0, 80)})`
  }
}

/** The first number in `value` (props, not rich text) past `limit` once multiplied by `factor`. */
function tooLong(value: unknown, factor: number, limit: number, path: string): string | null {
  if (typeof value === 'number') return Math.abs(value) * factor > limit ? path : null
  if (typeof value !== 'object' || value === null) return null
  for (const [key, child] of Object.entries(value)) {
    if (NOT_LENGTHS.has(key) || key === 'richText') continue
    const found = tooLong(child, factor, limit, path ? `${path}.${key}` : key)
    if (found) return found
  }
  return null
}

/** The points of one stroke segment as tldraw decodes them, or why it cannot. */
function segmentPoints(segment: { path: string; dim?: 2 | 3 }): { x: number; y: number; z?: number }[] | string {
  const { path, dim } = segment
  if (path === '') return []
  if (!BASE64.test(path)) return 'its points are not base64'
  const bytes = (path.length / 4) * 3 - (path.endsWith('==') ? 2 : path.endsWith('=') ? 1 : 0)
  const [first, each] = dim === 2 ? [8, 4] : [12, 6]
  if (bytes < first || (bytes - first) % each !== 0) return `its points are cut off (${bytes} bytes)`
  try {
    return b64Vecs.decodePoints(path, dim)
  } catch (error) {
    return `its points cannot be read (${(error as Error).message.slice(0, 60)})`
  }
}

function strokeProblem(props: AnyProps, scale: number): string | null {
  const segments = props.segments as { path: string; dim?: 2 | 3 }[]
  const scaleX = props.scaleX as number
  const scaleY = props.scaleY as number
  let count = 0
  for (const segment of segments) {
    const points = segmentPoints(segment)
    if (typeof points === 'string') return points
    for (const { x, y, z = 0.5 } of points) {
      if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) return 'it has a point that is not a number'
      // A straight segment is drawn through a point every 16 units: stretched a million times, the
      // call that spread them overflowed the stack.
      if (Math.max(Math.abs(x * scaleX), Math.abs(y * scaleY)) * scale > DrawLimits.maxExtent) return `it reaches past ${DrawLimits.maxExtent} units`
    }
    count += points.length
  }
  // DrawShapeUtil and HighlightShapeUtil build a Polyline2d or Polygon2d of the points.
  return count === 0 ? 'it is a stroke without points' : null
}

function lineProblem(props: AnyProps): string | null {
  const points = Object.values(props.points as Record<string, { index: string }>)
  // LineShapeUtil draws through the points sorted by index, and hit-tests the segments between them.
  if (points.length < 2) return 'it is a line with fewer than two points'
  if (new Set(points.map((p) => p.index)).size !== points.length) return 'two points of the line have the same index'
  return null
}

function shapeProblem(shape: Shape): string | null {
  const props = shape.props as AnyProps
  if (Math.max(Math.abs(shape.x), Math.abs(shape.y)) > DrawLimits.maxPosition) return `it lies more than ${DrawLimits.maxPosition} units from its parent`
  const scale = typeof props.scale === 'number' ? props.scale : 1
  if (scale > DrawLimits.maxScale) return `its scale is more than ${DrawLimits.maxScale}`
  const stretch = Math.max(1, Math.abs(Number(props.scaleX ?? 1)), Math.abs(Number(props.scaleY ?? 1)))
  const long = tooLong(props, Math.max(1, scale) * stretch, DrawLimits.maxExtent, '')
  if (long) return `its ${long} reaches past ${DrawLimits.maxExtent} units`
  if ('richText' in props) {
    const problem = richTextProblem(props.richText)
    if (problem) return problem
  }
  if (shape.type === 'draw' || shape.type === 'highlight') return strokeProblem(props, scale)
  if (shape.type === 'line') return lineProblem(props)
  return null
}

function bindingProblem(binding: Binding): string | null {
  if (binding.type !== 'arrow') return null
  // tldraw's store recursed until it gave up (Maximum store update depth exceeded).
  return binding.fromId === binding.toId ? 'it binds an arrow to itself' : null
}

/**
 * Why tldraw cannot draw this record (one that its schema accepts), or null. Judged on its own;
 * undrawableAmong judges it together with the records it points at.
 */
export function undrawable(record: TLRecord): string | null {
  if (record.typeName === 'shape') return shapeProblem(record)
  if (record.typeName === 'binding') return bindingProblem(record)
  return null
}

/** A board as it will be after a change: the records written over what it held. */
export interface BoardView {
  /** The record after the change (undefined: there is none). */
  get(id: string): TLRecord | undefined
  /** The record before the change. */
  before(id: string): TLRecord | undefined
  /** Every binding after the change (read only when a shape is new or changes type). */
  bindings(): Iterable<TLRecord>
}

const isArrow = (record: TLRecord | undefined) => record?.typeName === 'shape' && record.type === 'arrow'

/** tldraw binds arrows (ArrowShapeUtil) to shapes that are not arrows (its canBind); anything else recursed until the store gave up. */
function bindingEndsProblem(binding: Binding, view: BoardView): string | null {
  if (binding.type !== 'arrow') return null
  const from = view.get(binding.fromId)
  const to = view.get(binding.toId)
  if (from && !isArrow(from)) return `it binds a ${from.typeName === 'shape' ? from.type : from.typeName} as if it were an arrow`
  if (isArrow(to)) return 'it binds an arrow to another arrow'
  return null
}

/** Whether following the parents up from `shape` comes back to it (tldraw walks up forever). */
function inParentLoop(shape: Shape, view: BoardView): boolean {
  const seen = new Set<string>()
  let id: unknown = shape.parentId
  while (typeof id === 'string' && id.startsWith('shape:') && !seen.has(id)) {
    if (id === shape.id) return true
    seen.add(id)
    const parent = view.get(id)
    if (parent?.typeName !== 'shape') return false
    id = parent.parentId
  }
  return false
}

/**
 * The first of `written` that tldraw cannot draw among the others on the board (`view`), with
 * why: a shape in a loop of parents, an arrow binding between the wrong shapes. A shape that is
 * new or changes type is checked against the bindings that already point at it.
 */
export function undrawableAmong(written: Iterable<TLRecord>, view: BoardView): { id: string; reason: string } | null {
  const changedShapes = new Set<string>()
  for (const record of written) {
    if (record.typeName === 'shape') {
      if (inParentLoop(record, view)) return { id: record.id, reason: 'its parents form a loop' }
      const before = view.before(record.id)
      if (before?.typeName !== 'shape' || before.type !== record.type) changedShapes.add(record.id)
    } else if (record.typeName === 'binding') {
      const reason = bindingEndsProblem(record, view)
      if (reason) return { id: record.id, reason }
    }
  }
  if (changedShapes.size === 0) return null
  for (const binding of view.bindings()) {
    if (binding.typeName !== 'binding' || (!changedShapes.has(binding.fromId) && !changedShapes.has(binding.toId))) continue
    const reason = bindingEndsProblem(binding, view)
    if (reason)
      return { id: changedShapes.has(binding.fromId) ? binding.fromId : binding.toId, reason: `binding ${binding.id} then ${reason.replace(/^it /, '')}` }
  }
  return null
}
