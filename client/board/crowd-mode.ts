/**
 * Crowd mode keeps a board with 80 people readable and light: other people's cursors are
 * updated at most four times a second, and only facilitators' cursors and those near your own
 * view are drawn. It switches on by itself above CROWD_THRESHOLD people; a facilitator can force
 * it on or off for everyone.
 */
export const CROWD_THRESHOLD = 25
export const CROWD_CURSOR_MS = 250
export type CrowdSetting = 'auto' | 'on' | 'off'

export function isCrowded(setting: CrowdSetting, people: number): boolean {
  return setting === 'on' || (setting === 'auto' && people > CROWD_THRESHOLD)
}

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

/** Whether to draw someone's cursor: always outside crowd mode; in it, facilitators and people near your view. */
export function showPresence(opts: { crowded: boolean; isFacilitator: boolean; cursor: { x: number; y: number } | null; viewport: Box | null }): boolean {
  if (!opts.crowded || opts.isFacilitator) return true
  if (!opts.cursor || !opts.viewport) return false
  const { x, y, w, h } = opts.viewport
  const margin = Math.max(w, h) * 0.25
  return opts.cursor.x >= x - margin && opts.cursor.x <= x + w + margin && opts.cursor.y >= y - margin && opts.cursor.y <= y + h + margin
}
