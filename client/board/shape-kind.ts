/**
 * A shape's kind in words, for any type a board may hold — our cards (their "add" label) and
 * tldraw's own text, notes, drawings…; a type this app does not know is "an item", never a crash.
 */
import { isMessageKey, type MessageKey } from '../i18n/i18n.tsx'

export function shapeKindKey(type: unknown): MessageKey {
  for (const key of [`panel.add.${String(type)}`, `shape.kind.${String(type)}`]) if (isMessageKey(key)) return key
  return 'shape.kind.other'
}
