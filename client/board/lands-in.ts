/** Where a shape being created lands: which frame a private round counts it in (private-notes.tsx). */
import { isShapeId, type Editor, type TLShape, type TLShapeId } from 'tldraw'

/**
 * Whether a shape being created lands in the frame: as its child (at any depth), or with its
 * middle on top of it — where a person sees it, and where tldraw's note tool puts the click. Its
 * corner was the rule, and an action line the panel placed 20 px over the round frame's left edge,
 * lying in it, went to everyone (session fuzzer, seed 20261203, step 316).
 */
export function landsIn(editor: Editor, shape: TLShape, frameId: TLShapeId): boolean {
  if (shape.parentId === frameId) return true
  if (isShapeId(shape.parentId)) return editor.getShapeAncestors(shape.parentId).some((a) => a.id === frameId)
  const bounds = editor.getShapePageBounds(frameId)
  if (!bounds) return false
  let size = { w: 0, h: 0 }
  try {
    // Not in the store yet: measured from the record itself.
    const own = editor.getShapeUtil(shape).getGeometry(shape).bounds
    size = { w: own.w, h: own.h }
  } catch {
    // A shape tldraw cannot measure: its corner, as before.
  }
  return bounds.containsPoint({ x: shape.x + size.w / 2, y: shape.y + size.h / 2 })
}
