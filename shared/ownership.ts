/**
 * Whose card is it. Every shape a person makes carries `meta.owner`: the SHA-256 of their
 * browser's member key (the hash the server derives from the key the connection sends beside its
 * token, server/server.ts — never the one a presence shows, which anyone can copy off a card). A participant may move anyone's card — sorting and clustering
 * notes is the work of the room — but change the content of, or delete, only their own.
 * Facilitators may do anything. Shapes without an owner (a template's, an older board's) stay
 * as open as they were. A move made from an older copy of someone else's card carries that
 * copy's content (a record is one value): it counts as a move, and the card keeps its owner's
 * current content (asMove). The server enforces this (server/policy/update-policy.ts); the client only
 * mirrors it so nobody's connection is closed for a click.
 */

export const OWNER_META = 'owner'

/** Fields anyone may change on someone else's shape: where it is, not what it says. */
const POSITION_FIELDS = new Set(['x', 'y', 'rotation', 'index', 'parentId'])

/** Props of a card everyone may change: the sign-up lists of an action line ("ik doe mee"). */
const OPEN_PROPS: Record<string, ReadonlySet<string>> = { 'action-line': new Set(['trekkers', 'betrokkenen']) }

/**
 * Shape types tldraw itself rewrites when another shape changes (an arrow's ends follow or drop
 * the shapes they are bound to); they stay open like bindings.
 */
const FOLLOWING_TYPES = new Set(['arrow'])

/** The owner hash of a record, when it is a shape that has one. */
export function ownerOf(record: unknown): string | undefined {
  if (typeof record !== 'object' || record === null) return undefined
  const r = record as { typeName?: unknown; type?: unknown; meta?: Record<string, unknown> }
  if (r.typeName !== 'shape' || FOLLOWING_TYPES.has(r.type as string)) return undefined
  const owner = r.meta?.[OWNER_META]
  return typeof owner === 'string' ? owner : undefined
}

/**
 * Whether `next` is `prev` moved (position, order or parent changed) or signed up to (an open
 * prop changed); nothing else.
 */
export function onlyMoved(prev: unknown, next: unknown): boolean {
  if (typeof prev !== 'object' || prev === null || typeof next !== 'object' || next === null) return false
  const a = prev as Record<string, unknown>
  const b = next as Record<string, unknown>
  const open = OPEN_PROPS[a.type as string]
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (POSITION_FIELDS.has(key)) continue
    if (key === 'props' && open) {
      if (!sameExcept(a.props, b.props, open)) return false
    } else if (!sameJson(a[key], b[key])) return false
  }
  return true
}

/**
 * `current` (the card as the board has it) with what someone else may change of it taken from
 * `written` (their write): its position fields and, on an action line, the sign-up lists. The
 * server makes a move written from an older copy of the card into this (server/policy/update-policy.ts):
 * the older copy's content is not what the mover meant to write.
 */
export function asMove<R>(current: R, written: unknown): R {
  if (typeof current !== 'object' || current === null || typeof written !== 'object' || written === null) return current
  const a = current as Record<string, unknown>
  const b = written as Record<string, unknown>
  const merged: Record<string, unknown> = { ...a }
  for (const key of POSITION_FIELDS) {
    if (Object.hasOwn(b, key)) merged[key] = b[key]
    else delete merged[key]
  }
  const open = OPEN_PROPS[a.type as string]
  if (open && typeof a.props === 'object' && a.props !== null && typeof b.props === 'object' && b.props !== null) {
    const props: Record<string, unknown> = { ...(a.props as Record<string, unknown>) }
    for (const key of open) {
      if (Object.hasOwn(b.props, key)) props[key] = (b.props as Record<string, unknown>)[key]
      else delete props[key]
    }
    merged.props = props
  }
  return merged as R
}

function sameExcept(a: unknown, b: unknown, except: ReadonlySet<string>): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return sameJson(a, b)
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].every((k) => except.has(k) || sameJson(x[k], y[k]))
}

/** Deep equality of JSON values, independent of key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  return ka.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

/** Whether a person (their key hash; undefined: not known yet) may change or delete a shape's content. */
export function mayChangeContent(record: unknown, keyHash: string | undefined): boolean {
  const owner = ownerOf(record)
  return owner === undefined || owner === keyHash
}
