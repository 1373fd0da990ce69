/**
 * Brings a frame into view at a size people can read. A frame that fits the window at a readable
 * zoom is shown whole; a tall one (trots & sorry has a row per stakeholder group, ~3,300 px) is
 * shown across its width from its top — it used to open at 20 %, unreadable — and people scroll
 * down for the rest.
 */
import type { Editor } from 'tldraw'

/** Below this zoom card text is too small to read on a laptop. */
const READABLE_ZOOM = 0.45
const INSET = 60
/** Room at the top for the board's header and agenda. */
const TOP_INSET = 110
/** Never closer than 100 %. */
const MAX_ZOOM = 1

export function showFrame(editor: Editor, bounds: { x: number; y: number; w: number; h: number }, { animate = true }: { animate?: boolean } = {}): void {
  const view = editor.getViewportScreenBounds()
  const fitW = (view.w - INSET * 2) / bounds.w
  const fitH = (view.h - INSET - TOP_INSET) / bounds.h
  const animation = animate ? { duration: 350 } : undefined
  if (Math.min(fitW, fitH) >= READABLE_ZOOM) {
    editor.zoomToBounds(bounds as never, { inset: INSET, targetZoom: MAX_ZOOM, animation })
    return
  }
  const z = Math.max(READABLE_ZOOM, Math.min(fitW, MAX_ZOOM))
  editor.setCamera({ x: INSET / z - bounds.x, y: TOP_INSET / z - bounds.y, z }, { animation })
}
