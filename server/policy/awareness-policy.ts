/**
 * Awareness (presence) is owned: a connection presents one person — the one awareness client id it
 * introduced — may set or remove only that presence, with clocks that move forward by sensible
 * steps; the role it shows comes from its token and the member key hash it shows from the key it
 * proved at connect (server/server.ts), not from what it claims. The update is decoded
 * here (y-protocols' format: count, then client id, clock and JSON state each) and re-encoded with
 * the server's corrections, so what is relayed is what was judged.
 *
 * Entries about other ids are dropped, not refused: the stock y-websocket client echoes every
 * awareness change it receives back to the server, relays other tabs' presences (BroadcastChannel)
 * and broadcasts its own timeouts of others' states — harmless as long as only an id's owner can
 * change it. A connection's id is the one its opening message brings (the stock client sends its
 * own state, alone, as soon as it connects, before it answers the server's sync step 1):
 *
 * - an id whose connection left comes back through an opening message (the same tab reconnecting),
 *   otherwise only with a newer clock, never through an echo of its old state;
 * - an id a live connection holds (here, or on another server) is taken over by an opening message
 *   from a token of the same or a higher role that proved the same member key (a holder that proved
 *   no key needs none): the same browser back on a new socket while the server still holds the
 *   old, half-open one. A hash copied into a presence proves nothing (issue 20, finding 1).
 *
 * An opening presence's clock is moved on by one, and past any the server has seen for that id:
 * the others ignore a state whose clock they already hold (after a restart or a failover its
 * person showed up only with her presence's 15-second renewal). The connection is sent its state
 * with the new clock (`bumped`), which the stock client adopts, so the next server sees it too; a
 * change it made meanwhile, arriving with the clock the server gave, is moved on the same way.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Awareness } from 'y-protocols/awareness'
import { Limits } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'

/** The awareness field in which clients publish who they are (client/board/members.ts). */
const MEMBER_FIELD = 'member'
const MAX_CLOCK = 2 ** 31

export type AwarenessVerdict =
  | {
      ok: true
      update: Uint8Array
      introduced: number[]
      /** Of `introduced`, the ids taken over from the live connection that held them. */
      takenOver: number[]
      /** Ids whose clock the server moved on: their connection is sent its state with that clock. */
      bumped: number[]
    }
  | { ok: false; kind: 'forbidden' | 'invalid'; reason: string }

/** Who holds an awareness id now: a live connection here or on another server. */
export interface PresenceHolder {
  role: Role
  /** The hash of the member key it proved (undefined: none). */
  keyHash: string | undefined
}

export interface AwarenessContext {
  role: Role
  /** Client ids this connection introduced so far. */
  own: ReadonlySet<number>
  /** Whether another connection introduced this client id. */
  ownedByOther(clientId: number): boolean
  /** The other connection holding this id (role and member key), when there is one. */
  holderOf?(clientId: number): PresenceHolder | undefined
  /** The clock at which a departed connection's id was removed: echoes of it are not a new presence. */
  departedClock(clientId: number): number | undefined
  /**
   * The hash of the member key this connection proved at connect (undefined: none): its identity
   * for cards, votes and take-overs, and the only hash its presence shows.
   */
  keyHash: string | undefined
  /** The connection's opening message: its first presence, before it answered the server's sync step 1. */
  opening?: boolean
  /** The connection once held a presence (taken over since): it introduces no other. */
  hadPresence?: boolean
  /** Ids nobody holds whose presences this connection relayed so far (kept by the caller, bounded here). */
  strangers?: Set<number>
}

const RANK: Record<Role, number> = { viewer: 0, participant: 1, facilitator: 2 }

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
  const takenOver: number[] = []
  const bumped: number[] = []
  const kept: typeof entries = []
  const asJudged = (state: Record<string, unknown> | null) => withServerMember(state, context.role, context.keyHash)
  for (const entry of entries) {
    const { clientId, state } = entry
    let { clock } = entry
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) return refuse('invalid', 'an awareness state is an object or null')
    if (context.own.has(clientId)) {
      const current = awareness.meta.get(clientId)?.clock ?? 0
      if (clock > current + Limits.maxAwarenessClockStep) return refuse('invalid', `awareness clock jumps from ${current} to ${clock}`)
      // A change made before the client heard of the clock the server gave it: same clock, other state.
      if (
        state !== null &&
        clock === current &&
        JSON.stringify(asJudged(state as Record<string, unknown>)) !== JSON.stringify(awareness.getStates().get(clientId) ?? null)
      ) {
        clock = current + 1
        bumped.push(clientId)
      }
    } else {
      // Someone else's (relayed, echoed), the removal of a state it does not hold, or a second person: dropped.
      if (state === null) continue
      if (context.hadPresence || context.own.size + introduced.length >= Limits.maxAwarenessStatesPerConnection) {
        if (context.strangers && !awareness.meta.has(clientId) && context.strangers.add(clientId).size > Limits.maxStrangerPresences) {
          return refuse('invalid', `presences of more than ${Limits.maxStrangerPresences} ids nobody on the board has`)
        }
        continue
      }
      const holder = context.holderOf?.(clientId) ?? (context.ownedByOther(clientId) ? { role: 'facilitator' as const, keyHash: undefined } : undefined)
      if (holder) {
        if (!context.opening || RANK[context.role] < RANK[holder.role]) continue
        // The key the newcomer proved, not the hash its state shows: that is on everyone's cards.
        if (holder.keyHash !== undefined && context.keyHash !== holder.keyHash) continue
        takenOver.push(clientId)
      } else {
        const departed = context.departedClock(clientId)
        if (departed !== undefined && clock <= departed && !context.opening) continue
      }
      if (clock >= MAX_CLOCK) return refuse('invalid', `awareness clock ${clock} out of range`)
      // Others may hold a clock this server never saw (it restarted; another server had the id).
      const seen = awareness.meta.get(clientId)?.clock
      if (context.opening || (seen !== undefined && clock <= seen)) {
        clock = Math.max(clock, seen ?? 0) + 1
        bumped.push(clientId)
      }
      introduced.push(clientId)
    }
    kept.push({ clientId, clock, state: asJudged(state as Record<string, unknown> | null) })
  }
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, kept.length)
  for (const { clientId, clock, state } of kept) {
    encoding.writeVarUint(encoder, clientId)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, JSON.stringify(state))
  }
  return { ok: true, update: encoding.toUint8Array(encoder), introduced, takenOver, bumped }
}

function memberKeyHash(state: unknown): string | undefined {
  const member = (state as Record<string, unknown> | null)?.[MEMBER_FIELD] as { keyHash?: unknown } | undefined
  return typeof member?.keyHash === 'string' && /^[0-9a-f]{64}$/.test(member.keyHash) ? member.keyHash : undefined
}

/**
 * The holder a presence judged by another server shows: the role that server's token check put in
 * it (a presence without a member shows none: taken for a participant's) and the member key hash
 * that server wrote into it — the one its connection proved (withServerMember).
 */
export function holderShownBy(state: unknown): PresenceHolder {
  const role = ((state as Record<string, unknown> | null)?.[MEMBER_FIELD] as { role?: unknown } | undefined)?.role
  return { role: role === 'viewer' || role === 'facilitator' ? role : 'participant', keyHash: memberKeyHash(state) }
}

/**
 * The role a member shows is the one its token gives, and its key hash the one its connection
 * proved (none without a proof), whatever it claims: written over the claim rather than refused,
 * so a page whose key the server never got (an older tab) stays connected, as nobody's owner.
 */
function withServerMember(state: Record<string, unknown> | null, role: Role, keyHash: string | undefined): Record<string, unknown> | null {
  const member = state?.[MEMBER_FIELD]
  if (!state || typeof member !== 'object' || member === null) return state
  const judged: Record<string, unknown> = { ...member, role, keyHash }
  if (keyHash === undefined) delete judged.keyHash
  return { ...state, [MEMBER_FIELD]: judged }
}
