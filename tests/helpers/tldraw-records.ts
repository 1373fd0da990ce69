/**
 * tldraw's own shapes with its default props, and arrow bindings, for tests of what tldraw can
 * draw. Apart from records.ts: it loads tldraw (in jsdom, import helpers/jsdom-gaps.ts first).
 */
import { defaultShapeUtils, GroupShapeUtil } from 'tldraw'
import { PAGE_ID } from '../../shared/format/records.ts'

/** A tldraw shape of `type` with tldraw's default props (ShapeUtil.getDefaultProps), `props` over them. */
export function tldrawShape(id: string, type: string, props: Record<string, unknown> = {}, fields: Record<string, unknown> = {}) {
  const Util = [...defaultShapeUtils, GroupShapeUtil].find((u) => u.type === type)
  if (!Util) throw new Error(`no tldraw shape type ${type}`)
  // getDefaultProps reads nothing of the editor.
  const defaults = new Util(undefined as never).getDefaultProps() as Record<string, unknown>
  return {
    id,
    typeName: 'shape',
    type,
    x: 0,
    y: 0,
    rotation: 0,
    index: 'a1',
    parentId: PAGE_ID,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: { ...defaults, ...props },
    ...fields,
  }
}

/** An arrow binding from `fromId` to `toId`. */
export function arrowBinding(id: string, fromId: string, toId: string, props: Record<string, unknown> = {}) {
  return {
    id,
    typeName: 'binding',
    type: 'arrow',
    fromId,
    toId,
    meta: {},
    props: { terminal: 'end', normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none', ...props },
  }
}
