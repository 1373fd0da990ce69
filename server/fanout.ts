/**
 * Batched fan-out for one room. Measured (issue 10): at 100 clients 74 % of the server's busy
 * time went to socket writes — one write per frame per client, N² per cursor tick. So:
 *
 * - document updates applied in one event-loop turn go out together at the end of the turn, one
 *   frame per receiver: the updates merged (`Y.mergeUpdates`), without the receiver's own;
 * - presence changes are collected for `awarenessTickMs` and each peer gets one awareness message
 *   with every changed state except its own (a client never gets its own state back); a state
 *   is encoded once per tick, not once per receiver.
 *
 * Stock y-websocket clients see ordinary sync-update and awareness messages. Frames to a new peer
 * (its sync answer, the presences so far) do not wait: the room sends those itself.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import { encodeAwareness, encodeSyncUpdate } from './wire.ts'

export interface FanOutPeer {
  send(frame: Uint8Array): void
}

export interface FanOutOptions<P extends FanOutPeer> {
  awareness: Awareness
  /** The peers now, each with the awareness ids it owns. */
  peers(): Iterable<[P, ReadonlySet<number>]>
  /** How long presence changes are collected before they go out. */
  awarenessTickMs: number
}

export class FanOut<P extends FanOutPeer> {
  private updates: { update: Uint8Array; origin: unknown }[] = []
  private turnQueued = false
  private changedPresence = new Set<number>()
  private presenceTimer: ReturnType<typeof setTimeout> | undefined
  private stopped = false
  private readonly options: FanOutOptions<P>

  constructor(options: FanOutOptions<P>) {
    this.options = options
  }

  /** A document update applied now; `origin` (a peer) does not get it back. */
  update(update: Uint8Array, origin: unknown): void {
    this.updates.push({ update, origin })
    if (this.turnQueued || this.stopped) return
    this.turnQueued = true
    setImmediate(this.sendUpdates)
  }

  /** Presence ids whose state changed (or was removed). */
  presence(ids: Iterable<number>): void {
    for (const id of ids) this.changedPresence.add(id)
    if (this.presenceTimer || this.stopped || this.changedPresence.size === 0) return
    this.presenceTimer = setTimeout(this.sendPresence, this.options.awarenessTickMs)
  }

  /** Sends what waits now (before a peer is closed by the room, at unload, in tests). */
  flushNow(): void {
    this.sendUpdates()
    clearTimeout(this.presenceTimer)
    this.sendPresence()
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
    if (batch.length === 1) {
      const frame = encodeSyncUpdate(batch[0]!.update)
      for (const [peer] of this.options.peers()) if (peer !== batch[0]!.origin) peer.send(frame)
      return
    }
    // One merged update for everyone who sent nothing this turn; senders get the others' only.
    const all = encodeSyncUpdate(Y.mergeUpdates(batch.map((b) => b.update)))
    const forSender = new Map<unknown, Uint8Array | null>()
    for (const { origin } of batch) {
      if (forSender.has(origin)) continue
      const others = batch.filter((b) => b.origin !== origin).map((b) => b.update)
      forSender.set(origin, others.length === 0 ? null : encodeSyncUpdate(others.length === 1 ? others[0]! : Y.mergeUpdates(others)))
    }
    for (const [peer] of this.options.peers()) {
      const frame = forSender.has(peer) ? forSender.get(peer) : all
      if (frame) peer.send(frame)
    }
  }

  private readonly sendPresence = () => {
    this.presenceTimer = undefined
    if (this.changedPresence.size === 0) return
    const ids = [...this.changedPresence]
    this.changedPresence.clear()
    const { awareness } = this.options
    // Each state encoded once: client id, clock, JSON (y-protocols' awareness update layout).
    const pieces = new Map<number, Uint8Array>()
    for (const id of ids) {
      const meta = awareness.meta.get(id)
      if (!meta) continue
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, id)
      encoding.writeVarUint(e, meta.clock)
      encoding.writeVarString(e, JSON.stringify(awareness.getStates().get(id) ?? null))
      pieces.set(id, encoding.toUint8Array(e))
    }
    const message = (parts: Uint8Array[]) => {
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, parts.length)
      for (const part of parts) encoding.writeUint8Array(e, part)
      return encodeAwareness(encoding.toUint8Array(e))
    }
    let everything: Uint8Array | undefined
    for (const [peer, own] of this.options.peers()) {
      const mine = ids.some((id) => own.has(id))
      if (!mine) {
        everything ??= message([...pieces.values()])
        peer.send(everything)
        continue
      }
      const parts = [...pieces].filter(([id]) => !own.has(id)).map(([, part]) => part)
      if (parts.length > 0) peer.send(message(parts))
    }
  }
}
