/**
 * Valid board records for tests: the server validates every record written (record-rules.ts),
 * so fixtures are whole tldraw records, built here rather than copied around.
 */
import { FACILITATOR_LOCK } from '../../shared/roles.ts'
import { contributionDefaults } from '../../shared/shapes/contribution-shape.ts'
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
    id, typeName: 'shape', type: 'contribution', x, y, rotation: 0, index, parentId, isLocked: false, opacity: 1,
    meta: locked ? { ...meta, [FACILITATOR_LOCK]: true } : meta,
    props: { ...contributionDefaults(), text },
  }
}
