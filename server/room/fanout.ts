/**
 * Batched fan-out for one room. Measured (issue 10): at 100 clients 74 % of the server's busy
 * time went to socket writes — one write per frame per client, N² per cursor tick. So:
 *
 * - document updates applied in one event-loop turn (in a room of 100 or more, a few ms longer:
 *   `updateWindowMs`) go out together, one frame for every receiver: the updates merged once
 *   (`Y.mergeUpdates`); a lone sender does not get its own back;
 * - presence changes are collected for a tick and each peer gets one awareness message with every
 *   changed state except its own (a client never gets its own state back); a state is encoded
 *   once per tick, not once per receiver. The tick is `awarenessTickMs` in a small room and grows
 *   with the room so a peer receives at most about PRESENCE_BUDGET states a second (`tickMs`);
 *   the messages are written 50 peers per event-loop turn, so edits are not held up behind them.
 *
 * With 500 clients (npm run bench:compare) this took the server from 101 % of a core and a p99
 * of 4.3 s (a third of the cards delivered) to ~70 % and ~100–150 ms, everything delivered.
 *
 * Stock y-websocket clients see ordinary sync-update and awareness messages. Frames to a new peer
 * (its sync answer, the presences so far) do not wait: the room sends those itself.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import { MessageType } from '../../shared/protocol.ts'
import { encodeSyncUpdate } from './wire.ts'

export interface FanOutPeer {
  send(frame: Uint8Array): void
}

export interface FanOutOptions<P extends FanOutPeer> {
  awareness: Awareness
  /** The peers now, each with the awareness ids it owns. */
  peers(): Iterable<[P, ReadonlySet<number>]>
  /** How many peers there are now (sets the update window and the presence tick). */
  peerCount(): number
  /** How long presence changes are collected before they go out (in a small room). */
  awarenessTickMs: number
  /**
   * At most about this many presence states a second to each peer (default PRESENCE_BUDGET): in
   * a big room the tick grows with the room, so each person's cursor reaches others less often
   * (2×/s with 500 people) instead of every peer getting 4·N states a second.
   */
  presenceBudget?: number
}

/** Presence states a second each peer receives at most (the tick is capped at 1 s). */
export const PRESENCE_BUDGET = 1_000
/** Peers written in one go when presence goes out; the rest follow in later turns, between edits. */
const PRESENCE_SLICE = 50

export class FanOut<P extends FanOutPeer> {
  private updates: { update: Uint8Array; origin: unknown }[] = []
  private turnQueued = false
  private changedPresence = new Set<number>()
  private presenceTimer: ReturnType<typeof setTimeout> | undefined
  private stopped = false
  /** In flushNow: every peer is written at once, not in slices. */
  private flushing = false
  private readonly options: FanOutOptions<P>

  constructor(options: FanOutOptions<P>) {
    this.options = options
  }

  /** A document update applied now; `origin` (a peer) does not get it back. */
  update(update: Uint8Array, origin: unknown): void {
    this.updates.push({ update, origin })
    if (this.turnQueued || this.stopped) return
    this.turnQueued = true
    const windowMs = this.updateWindowMs()
    if (windowMs === 0) setImmediate(this.sendUpdates)
    else setTimeout(this.sendUpdates, windowMs)
  }

  /**
   * How long updates are collected before they go out: the end of the turn in a small room; in
   * a big one a few milliseconds more (a millisecond per 20 peers, at most 25), so 500 peers get
   * a write per ~25 ms of edits instead of one per edit.
   */
  updateWindowMs(): number {
    const peers = this.options.peerCount()
    return peers < 100 ? 0 : Math.min(25, Math.round(peers / 20))
  }

  /** Presence ids whose state changed (or was removed). */
  presence(ids: Iterable<number>): void {
    for (const id of ids) this.changedPresence.add(id)
    if (this.presenceTimer || this.stopped || this.changedPresence.size === 0) return
    this.presenceTimer = setTimeout(this.sendPresence, this.tickMs())
  }

  /** The presence tick for the room's size now (measured: README, "Performance"). */
  tickMs(): number {
    const peers = this.options.peerCount()
    const budget = this.options.presenceBudget ?? PRESENCE_BUDGET
    return Math.min(1_000, Math.max(this.options.awarenessTickMs, Math.round((peers * 1_000) / budget)))
  }

  /** Sends what waits now (before a peer is closed by the room, at unload, in tests). */
  flushNow(): void {
    this.flushing = true
    try {
      this.sendUpdates()
      clearTimeout(this.presenceTimer)
      this.sendPresence()
    } finally {
      this.flushing = false
    }
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.presenceTimer)
    this.updates = []
    this.changedPresence.clear()
  }

  private readonly sendUpdates = () => {
    this.turnQueued = false
    const batch = this.updates
    if (batch.length === 0) return
    this.updates = []
    const origins = new Set(batch.map((b) => b.origin))
    // One frame for everyone: the turn's updates merged once. When several peers sent this turn,
    // each of them gets its own update back inside it — a no-op for Yjs, and far cheaper than a
    // merge per sender (that was 66 % of the server's time at 500 clients, quadratic in the turn).
    const frame = encodeSyncUpdate(batch.length === 1 ? batch[0]!.update : Y.mergeUpdates(batch.map((b) => b.update)))
    const skip = origins.size === 1 ? batch[0]!.origin : undefined
    for (const [peer] of this.options.peers()) if (peer !== skip) peer.send(frame)
  }

  private readonly sendPresence = () => {
    this.presenceTimer = undefined
    if (this.changedPresence.size === 0) return
    const ids = [...this.changedPresence]
    this.changedPresence.clear()
    const { awareness } = this.options
    // Each state encoded once — client id, clock, JSON (y-protocols' awareness update layout) —
    // into one body; a peer whose own state is in it gets a copy with that stretch cut out.
    const pieces: Uint8Array[] = []
    const at = new Map<number, { start: number; end: number }>()
    let length = 0
    for (const id of ids) {
      const meta = awareness.meta.get(id)
      if (!meta) continue
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, id)
      encoding.writeVarUint(e, meta.clock)
      encoding.writeVarString(e, JSON.stringify(awareness.getStates().get(id) ?? null))
      const piece = encoding.toUint8Array(e)
      at.set(id, { start: length, end: length + piece.length })
      pieces.push(piece)
      length += piece.length
    }
    if (pieces.length === 0) return
    const body = new Uint8Array(length)
    let offset = 0
    for (const piece of pieces) {
      body.set(piece, offset)
      offset += piece.length
    }
    let everything: Uint8Array | undefined
    const sendTo = (peer: P, own: ReadonlySet<number>) => {
      const cut: { start: number; end: number }[] = []
      for (const id of own) {
        const range = at.get(id)
        if (range) cut.push(range)
      }
      if (cut.length === 0) {
        everything ??= awarenessMessage(pieces.length, body, [{ start: 0, end: body.length }])
        peer.send(everything)
        return
      }
      if (cut.length === pieces.length) return
      cut.sort((a, b) => a.start - b.start)
      const keep: { start: number; end: number }[] = []
      let from = 0
      for (const range of cut) {
        if (range.start > from) keep.push({ start: from, end: range.start })
        from = range.end
      }
      if (from < body.length) keep.push({ start: from, end: body.length })
      peer.send(awarenessMessage(pieces.length - cut.length, body, keep))
    }
    // In slices, each in its own turn: edits that arrive meanwhile go out between them.
    const peers = [...this.options.peers()]
    const slice = (from: number) => {
      if (this.stopped) return
      const to = this.flushing ? peers.length : from + PRESENCE_SLICE
      for (const [peer, own] of peers.slice(from, to)) sendTo(peer, own)
      if (to < peers.length) setImmediate(slice, to)
    }
    slice(0)
  }
}

const varUintLength = (n: number) => {
  let bytes = 1
  while (n > 0x7f) {
    n = Math.floor(n / 128)
    bytes++
  }
  return bytes
}

function writeVarUint(target: Uint8Array, offset: number, n: number): number {
  while (n > 0x7f) {
    target[offset++] = 0x80 | (n & 0x7f)
    n = Math.floor(n / 128)
  }
  target[offset++] = n
  return offset
}

/**
 * An awareness message (type, then the update as a length-prefixed byte array: count, states)
 * of `count` states copied from stretches of `body` — one allocation, a copy per stretch.
 */
function awarenessMessage(count: number, body: Uint8Array, stretches: { start: number; end: number }[]): Uint8Array {
  const statesLength = stretches.reduce((n, s) => n + s.end - s.start, 0)
  const updateLength = varUintLength(count) + statesLength
  const message = new Uint8Array(varUintLength(MessageType.awareness) + varUintLength(updateLength) + updateLength)
  let offset = writeVarUint(message, 0, MessageType.awareness)
  offset = writeVarUint(message, offset, updateLength)
  offset = writeVarUint(message, offset, count)
  for (const { start, end } of stretches) {
    message.set(body.subarray(start, end), offset)
    offset += end - start
  }
  return message
}
