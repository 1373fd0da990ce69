/**
 * The names and shapes of a board's top-level Yjs types. Client, server and tests read the
 * document only through these.
 *
 * - `records`: Y.Map<TLRecord> keyed by record id, each value the plain JSON record.
 *   Chosen over y-utility's YKeyValue by `npm run bench` (tests/bench/records-layout.bench.ts):
 *   200 shapes, one of them moved 10,000 times. Document growth is identical
 *   (1 writer: 70,583 → 70,952 bytes for both; 2 alternating writers: → 160,822 B Y.Map vs
 *   160,843 B YKeyValue, 9.0 B per move for both), but Y.Map writes were 2–7× faster
 *   (2 writers: 461 ms vs 3,549 ms; 8 writers: 2.4 s vs 16.4 s). Yjs's GC already drops
 *   overwritten map values, which is the problem YKeyValue was made to solve.
 * - `meta`: Y.Map with `schema`, the serialized tldraw schema the records are written in, and
 *   for boards made from a template `session` and `template`.
 */
import type * as Y from 'yjs'
import { ContentLimits } from './protocol.ts'

export const DocKey = {
  records: 'records',
  meta: 'meta',
  /** Facilitator state (shared/facilitation.ts): only facilitators write it. */
  facilitation: 'facilitation',
  /** Deleted cards (shared/trash.ts): only the server writes it. */
  trash: 'trash',
} as const
export type DocKey = (typeof DocKey)[keyof typeof DocKey]

export const MetaKey = {
  schema: 'schema',
  /** The session (shared/format/model.ts Session) of a board made from a template. */
  session: 'session',
  /** The id of the template the board was made from. */
  template: 'template',
  /** When a facilitator closed the session (ms since epoch): from then on nobody may change it. */
  closedAt: 'closedAt',
} as const

export function isClosed(doc: Y.Doc): boolean {
  return typeof metaOf(doc).get(MetaKey.closedAt) === 'number'
}

/** Whether a stored value is a record at all: an object with a string id and typeName, not absurdly deep. */
function isWellFormed(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const record = value as { id?: unknown; typeName?: unknown }
  if (typeof record.id !== 'string' || typeof record.typeName !== 'string') return false
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    if (depth > ContentLimits.maxRecordDepth) return false
    for (const child of Object.values(node as object)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
  }
  return true
}

/**
 * The board's records for reading (reports, exports, snapshots). The server refuses malformed
 * records, but a board stored before it did may hold one: it is skipped (and counted in
 * `skipped`), so one bad value cannot break the report, the archive or closing the session.
 */
export function boardRecords<R = unknown>(doc: Y.Doc, skipped: { count: number } = { count: 0 }): R[] {
  const list: R[] = []
  for (const value of recordsOf(doc).values()) {
    if (isWellFormed(value)) list.push(value as R)
    else skipped.count++
  }
  return list
}

export function recordsOf<R = unknown>(doc: Y.Doc): Y.Map<R> {
  return doc.getMap<R>(DocKey.records)
}

export function metaOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(DocKey.meta)
}

/** The id of the template the board was made from ('' for a blank or imported board). */
export function templateOf(doc: Y.Doc): string {
  const template = metaOf(doc).get(MetaKey.template)
  return typeof template === 'string' ? template : ''
}
