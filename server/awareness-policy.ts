/**
 * Awareness (presence) is owned: a connection may set or remove only the awareness client ids it
 * introduced, at most a few of them (one per browser tab), with clocks that move forward by
 * sensible steps; the role it shows comes from its token, not from what it claims. The update is
 * decoded here (y-protocols' format: count, then client id, clock and JSON state each) and
 * re-encoded with the server's corrections, so what is relayed is what was judged.
 *
 * Entries about other people's ids are dropped, not refused: the stock y-websocket client echoes
 * every awareness change it receives back to the server, and broadcasts its own timeouts of
 * others' states — harmless as long as only an id's owner can change it. An id whose connection
 * left comes back only with a newer clock (the same tab reconnecting and moving its cursor), never
 * through an echo of its old state.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Awareness } from 'y-protocols/awareness'
import { Limits } from '../shared/protocol.ts'
import type { Role } from '../shared/roles.ts'

/** The awareness field in which clients publish who they are (client/board/members.ts). */
const MEMBER_FIELD = 'member'
const MAX_CLOCK = 2 ** 31

export type AwarenessVerdict =
  | { ok: true; update: Uint8Array; introduced: number[]; keyHash: string | undefined }
  | { ok: false; kind: 'forbidden' | 'invalid'; reason: string }

export interface AwarenessContext {
  role: Role
  /** Client ids this connection introduced so far. */
  own: ReadonlySet<number>
  /** Whether another connection introduced this client id. */
  ownedByOther(clientId: number): boolean
  /** The clock at which a departed connection's id was removed: echoes of it are not a new presence. */
  departedClock(clientId: number): number | undefined
  /** The member key hash this connection published first: its identity (votes), fixed from then on. */
  keyHash: string | undefined
}

export function judgeAwareness(awareness: Awareness, update: Uint8Array, context: AwarenessContext): AwarenessVerdict {
  const refuse = (kind: 'forbidden' | 'invalid', reason: string): AwarenessVerdict => ({ ok: false, kind, reason })
  const decoder = decoding.createDecoder(update)
  const entries: { clientId: number; clock: number; state: unknown }[] = []
  try {
    const count = decoding.readVarUint(decoder)
    if (count > 10_000) return refuse('invalid', `${count} awareness states in one message`)
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      const state: unknown = JSON.parse(decoding.readVarString(decoder))
      entries.push({ clientId, clock, state })
    }
  } catch (error) {
    return refuse('invalid', `malformed awareness update: ${(error as Error).message}`)
  }
  if (decoder.pos !== decoder.arr.length) return refuse('invalid', 'trailing bytes after the awareness update')

  const introduced: number[] = []
  const kept: typeof entries = []
  let keyHash = context.keyHash
  for (const entry of entries) {
    const { clientId, clock, state } = entry
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) return refuse('invalid', 'an awareness state is an object or null')
    if (context.own.has(clientId)) {
      const current = awareness.meta.get(clientId)?.clock ?? 0
      if (clock > current + Limits.maxAwarenessClockStep) return refuse('invalid', `awareness clock jumps from ${current} to ${clock}`)
    } else {
      // Someone else's, the removal of a state nobody holds, or a departed person's state: echoes, dropped.
      if (context.ownedByOther(clientId) || state === null) continue
      const departed = context.departedClock(clientId)
      if (departed !== undefined && clock <= departed) continue
      if (context.own.size + introduced.length >= Limits.maxAwarenessStatesPerConnection) return refuse('invalid', `more than ${Limits.maxAwarenessStatesPerConnection} awareness states for one connection`)
      if (clock >= MAX_CLOCK) return refuse('invalid', `awareness clock ${clock} out of range`)
      introduced.push(clientId)
    }
    const published = memberKeyHash(state)
    if (published !== undefined) {
      if (keyHash !== undefined && published !== keyHash) return refuse('invalid', 'a connection keeps the member key it started with')
      keyHash = published
    }
    kept.push({ clientId, clock, state: withServerRole(state as Record<string, unknown> | null, context.role) })
  }
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, kept.length)
  for (const { clientId, clock, state } of kept) {
    encoding.writeVarUint(encoder, clientId)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, JSON.stringify(state))
  }
  return { ok: true, update: encoding.toUint8Array(encoder), introduced, keyHash }
}

function memberKeyHash(state: unknown): string | undefined {
  const member = (state as Record<string, unknown> | null)?.[MEMBER_FIELD] as { keyHash?: unknown } | undefined
  return typeof member?.keyHash === 'string' && /^[0-9a-f]{64}$/.test(member.keyHash) ? member.keyHash : undefined
}

/** The role a member shows is the one its token gives, whatever it claims. */
function withServerRole(state: Record<string, unknown> | null, role: Role): Record<string, unknown> | null {
  const member = state?.[MEMBER_FIELD]
  if (!state || typeof member !== 'object' || member === null) return state
  return { ...state, [MEMBER_FIELD]: { ...member, role } }
}
