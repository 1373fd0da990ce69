/**
 * What a participant's update may change, judged before it is applied. A Yjs update is decoded
 * to find every (root type, key) it writes or deletes: the records map may be changed except
 * records a facilitator locked, the meta map only in `schema`, and nothing else (facilitation
 * state, votes). Anything the check cannot place is refused.
 */
import * as Y from 'yjs'
import { DocKey, MetaKey } from '../shared/doc-layout.ts'
import { FACILITATOR_LOCK } from '../shared/roles.ts'

export type Verdict = { ok: true } | { ok: false; reason: string }

interface Target {
  root: string
  key: string | null
}

/** Deleted ranges are walked item by item; a crafted range larger than this is refused. */
const MAX_DELETED_ITEMS = 100_000

const isLocked = (value: unknown) =>
  typeof value === 'object' && value !== null && (value as { meta?: Record<string, unknown> }).meta?.[FACILITATOR_LOCK] === true

function targetOfStored(item: Y.Item): Target | null {
  const parent = item.parent as Y.AbstractType<unknown> | null
  if (!parent || parent._item !== null) return null
  return { root: Y.findRootTypeKey(parent), key: item.parentSub }
}

/** The stored struct holding `id`: an Item, or a GC struct for content already deleted and collected. */
function storedStruct(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | null {
  try {
    const struct = Y.getItem(doc.store, id) as Y.Item | Y.GC | undefined
    return struct instanceof Y.Item || struct instanceof Y.GC ? struct : null
  } catch {
    return null
  }
}

function storedItem(doc: Y.Doc, id: Y.ID): Y.Item | null {
  const struct = storedStruct(doc, id)
  return struct instanceof Y.Item ? struct : null
}

export function checkParticipantUpdate(doc: Y.Doc, update: Uint8Array): Verdict {
  const { structs, ds } = Y.decodeUpdate(update)
  const items = structs.filter((s): s is Y.Item => s instanceof Y.Item)
  const inUpdate = (id: Y.ID) => items.find((i) => i.id.client === id.client && id.clock >= i.id.clock && id.clock < i.id.clock + i.length)

  const targetOf = (item: Y.Item, depth = 0): Target | null => {
    if (typeof item.parent === 'string') return { root: item.parent, key: item.parentSub }
    if (item.parent !== null || depth > 10_000) return null // a nested type: not part of the board's layout
    const ref = item.origin ?? item.rightOrigin
    if (!ref) return null
    const sibling = inUpdate(ref)
    if (sibling) return targetOf(sibling, depth + 1)
    const stored = storedItem(doc, ref)
    return stored ? targetOfStored(stored) : null
  }

  const records = doc.getMap(DocKey.records)
  const judge = (target: Target | null, newValue?: unknown): Verdict => {
    if (!target) return { ok: false, reason: 'change outside the board layout' }
    if (target.root === DocKey.records) {
      if (target.key !== null && isLocked(records.get(target.key))) return { ok: false, reason: `record ${target.key} is locked by a facilitator` }
      if (isLocked(newValue)) return { ok: false, reason: 'only facilitators lock records' }
      return { ok: true }
    }
    if (target.root === DocKey.meta && target.key === MetaKey.schema) return { ok: true }
    return { ok: false, reason: `${target.root}${target.key ? '.' + target.key : ''} is facilitator state` }
  }

  for (const item of items) {
    const content = item.content
    const value = content instanceof Y.ContentAny ? content.arr[content.arr.length - 1] : undefined
    const verdict = judge(targetOf(item), value)
    if (!verdict.ok) return verdict
  }

  let walked = 0
  for (const [client, ranges] of ds.clients) {
    for (const range of ranges) {
      for (let clock = range.clock; clock < range.clock + range.len; ) {
        if (++walked > MAX_DELETED_ITEMS) return { ok: false, reason: 'delete set too large' }
        const id = Y.createID(client, clock)
        const stored = storedStruct(doc, id)
        const local = stored ? null : inUpdate(id)
        if (!stored && !local) return { ok: false, reason: 'deletes something the board does not have' }
        if (stored instanceof Y.Item && !stored.deleted) {
          const verdict = judge(targetOfStored(stored))
          if (!verdict.ok) return verdict
        }
        const struct = (stored ?? local)!
        clock = struct.id.clock + struct.length
      }
    }
  }
  return { ok: true }
}

export function isEmptyUpdate(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update)
  return structs.length === 0 && ds.clients.size === 0
}
