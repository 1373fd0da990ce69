/**
 * Valid board records for tests: the server validates every record written (record-rules.ts),
 * so fixtures are whole tldraw records, built here rather than copied around.
 */
import { FACILITATOR_LOCK } from '../../shared/roles.ts'
import { contributionDefaults } from '../../shared/shapes/contribution-shape.ts'
import { b64Vecs } from '@tldraw/tlschema'
import { PAGE_ID } from '../../shared/format/records.ts'

export interface CardOptions {
  x?: number
  y?: number
  locked?: boolean
  parentId?: string
  index?: string
  meta?: Record<string, unknown>
}

/** A participant's card (`contribution` shape) with `text`. */
export function card(id: string, text: string, { x = 0, y = 0, locked = false, parentId = PAGE_ID, index = 'a1', meta = {} }: CardOptions = {}) {
  return {
    id,
    typeName: 'shape',
    type: 'contribution',
    x,
    y,
    rotation: 0,
    index,
    parentId,
    isLocked: false,
    opacity: 1,
    meta: locked ? { ...meta, [FACILITATOR_LOCK]: true } : meta,
    props: { ...contributionDefaults(), text },
  }
}

/** A freehand stroke (`draw` or `highlight` shape) through `strokes`, each a list of points (tldraw's own encoding). */
export function drawing(
  id: string,
  strokes: { x: number; y: number }[][],
  { type = 'draw', x = 0, y = 0, parentId = PAGE_ID, index = 'a1' }: { type?: 'draw' | 'highlight' } & CardOptions = {},
) {
  const segments = strokes.map((points) => ({ type: 'free' as const, path: b64Vecs.encodePoints(points.map((p) => ({ ...p, z: 0.5 }))) }))
  const style = type === 'draw' ? { fill: 'none', dash: 'draw', isClosed: false } : {}
  return {
    id,
    typeName: 'shape',
    type,
    x,
    y,
    rotation: 0,
    index,
    parentId,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: { color: 'black', size: 'm', segments, isComplete: true, isPen: false, scale: 1, scaleX: 1, scaleY: 1, ...style },
  }
}
