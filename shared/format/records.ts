/** Plain builders for the tldraw records a board starts with; validated in tests against the board schema. */
import { getIndices } from '@tldraw/utils'
import type { IndexKey } from '@tldraw/utils'
import { FACILITATOR_LOCK } from '../roles.ts'
import { toRichText } from './rich-text.ts'

export interface ShapeRecord {
  id: string
  typeName: 'shape'
  type: string
  x: number
  y: number
  rotation: number
  index: IndexKey
  parentId: string
  isLocked: boolean
  opacity: number
  meta: Record<string, unknown>
  props: Record<string, unknown>
}

export type BoardRecord = ShapeRecord | (Record<string, unknown> & { id: string; typeName: string })

export const PAGE_ID = 'page:page'

const STRUCTURE = { [FACILITATOR_LOCK]: true }

export function pageRecord(name: string): BoardRecord {
  return { id: PAGE_ID, typeName: 'page', name, index: 'a1', meta: {} }
}

export function documentRecord(): BoardRecord {
  return { id: 'document:document', typeName: 'document', gridSize: 10, name: '', meta: {} }
}

/** Hands out shape ids and z-order indices in creation order. */
export class ShapeBuilder {
  readonly shapes: ShapeRecord[] = []
  private readonly indices = getIndices(2_000)
  private counter = 0
  private readonly prefix: string

  constructor(prefix: string) {
    this.prefix = prefix
  }

  add(
    type: string,
    x: number,
    y: number,
    props: Record<string, unknown>,
    opts: { parentId?: string; meta?: Record<string, unknown>; id?: string; isLocked?: boolean } = {},
  ): string {
    const id = `shape:${opts.id ?? `${this.prefix}-${++this.counter}`}`
    this.shapes.push({
      id,
      typeName: 'shape',
      type,
      x,
      y,
      rotation: 0,
      index: this.indices[this.shapes.length]!,
      parentId: opts.parentId ?? PAGE_ID,
      isLocked: opts.isLocked ?? false,
      opacity: 1,
      meta: opts.meta ?? {},
      props,
    })
    return id
  }

  /** Frames and texts a template lays out are structure: locked for participants from the start. */
  frame(x: number, y: number, w: number, h: number, name: string, meta: Record<string, unknown>, parentId?: string): string {
    return this.add('frame', x, y, { w, h, name, color: 'black' }, { meta: { ...meta, ...STRUCTURE }, parentId, isLocked: true })
  }

  /** A text; structure (locked) unless `structure: false` (information a facilitator may move). */
  text(
    x: number,
    y: number,
    w: number,
    text: string,
    opts: { parentId?: string; size?: 's' | 'm' | 'l' | 'xl'; id?: string; structure?: boolean } = {},
  ): string {
    const structure = opts.structure ?? true
    return this.add(
      'text',
      x,
      y,
      {
        color: 'black',
        size: opts.size ?? 's',
        font: 'sans',
        textAlign: 'start',
        w,
        richText: toRichText(text),
        scale: 1,
        autoSize: false,
      },
      { parentId: opts.parentId, id: opts.id, meta: structure ? STRUCTURE : {}, isLocked: structure },
    )
  }
}
