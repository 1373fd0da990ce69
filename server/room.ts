/**
 * One board's live life on the server: the Room owns the Y.Doc and its awareness. It loads the
 * board from storage before any peer gets a sync answer, applies and relays updates, persists
 * them (batched), compacts the log, and unloads when idle. Nothing else touches its document.
 */
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import type { BoardId } from '../shared/board-id.ts'
import { isClosed } from '../shared/doc-layout.ts'
import type { Role } from '../shared/roles.ts'
import { CloseCode, Limits } from '../shared/protocol.ts'
import type { Logger } from './log.ts'
import { isStorageFull, type BoardStorage } from './storage.ts'
import type { ServerMetrics } from './metrics.ts'
import { addsAnything, judgeUpdate, type Verdict } from './update-policy.ts'
import { judgeAwareness } from './awareness-policy.ts'
import { keepTrash, type Deleter } from './trash-keeper.ts'
import { FanOut } from './fanout.ts'
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, ProtocolError, type ClientMessage, type DecodedUpdate } from './wire.ts'

/** A connected client as the room sees it. */
export interface Peer {
  readonly id: string
  readonly role: Role
  send(frame: Uint8Array): void
  close(code: CloseCode, detail: string): void
}

export interface RoomOptions {
  /** How long updates may wait before they are written (one transaction per batch). */
  flushMs: number
  /** How long a board without connections stays in memory. */
  idleUnloadMs: number
  /**
   * Compact the stored log when it has grown by this many updates — or, before that, when the
   * bytes appended since the last compaction reach the board's own size (at least
   * `compactMinBytes`): a big board is not re-encoded every few hundred small edits.
   */
  compactEvery: number
  compactMinBytes?: number
  /** Largest board (its whole Yjs state) in bytes; changes beyond it are refused. */
  maxBoardBytes: number
  /** How long presence changes are collected before they go out, merged (server/fanout.ts). */
  awarenessTickMs?: number
  /**
   * Encodes the state the stored log makes, for compaction, away from the event loop
   * (server/board-work.ts). Without it the room encodes its own document.
   */
  compactState?: (updates: Uint8Array[]) => Promise<Uint8Array>
}

/** Presence is merged over this long by default: 20 cursor batches a second. */
export const AWARENESS_TICK_MS = 50

export type RoomState = 'loading' | 'ready' | 'unloading' | 'closed'

const RETRY_MS = 1_000
/** A log smaller than this is never worth compacting by size. */
const COMPACT_MIN_BYTES = 1024 * 1024
/** Departed awareness ids remembered per board (a long conference has a few thousand). */
const MAX_DEPARTED = 10_000
/** The transaction origin of changes the server makes itself. */
export const SERVER_ORIGIN = 'server'

export class Room {
  readonly doc = new Y.Doc()
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  readonly ready: Promise<void>
  private state: RoomState = 'loading'
  /**
   * Each peer with the awareness client ids it introduced: it alone may change those presences,
   * and — since a Yjs client's awareness id is its document's client id — write Yjs structs under
   * those ids. Another peer relaying them (changes the server lost) has them left out: the owner
   * sends its own.
   */
  private readonly peers = new Map<Peer, { awareness: Set<number>; keyHash?: string }>()
  private readonly owners = new Map<number, Peer>()
  private readonly fanOut: FanOut<Peer>
  /** Awareness ids of connections that left, with the clock of their removal (oldest first, bounded). */
  private readonly departed = new Map<number, number>()
  private pending: Uint8Array[] = []
  /** The batch being written. */
  private writing: Uint8Array[] = []
  private appendedSinceCompact = 0
  /** Bytes appended since the last compaction, and the board's size then. */
  private appendedBytes = 0
  private compactedBytes = 0
  /** The board's size as last measured, plus what was applied since (an upper bound). */
  private measuredBytes = 0
  private grownBytes = 0
  private measuredAt = 0
  private flushTimer: ReturnType<typeof setTimeout> | undefined
  private idleTimer: ReturnType<typeof setTimeout> | undefined
  private persisting: Promise<void> = Promise.resolve()
  private lateKeeping: Promise<void> = Promise.resolve()
  private closedResolve!: () => void
  readonly closed = new Promise<void>((resolve) => (this.closedResolve = resolve))

  readonly id: BoardId
  private readonly storage: BoardStorage
  private readonly log: Logger
  private readonly options: RoomOptions
  private readonly metrics: Pick<ServerMetrics, 'applied'> | undefined

  constructor(id: BoardId, storage: BoardStorage, log: Logger, options: RoomOptions, metrics?: Pick<ServerMetrics, 'applied'>) {
    this.id = id
    this.storage = storage
    this.log = log
    this.options = options
    this.metrics = metrics
    // The awareness of the server itself carries no state.
    this.awareness.setLocalState(null)
    this.fanOut = new FanOut<Peer>({
      awareness: this.awareness,
      peers: () => [...this.peers].map(([peer, owned]) => [peer, owned.awareness] as [Peer, ReadonlySet<number>]),
      peerCount: () => this.peers.size,
      awarenessTickMs: options.awarenessTickMs ?? AWARENESS_TICK_MS,
    })
    this.ready = this.load()
  }

  getState(): RoomState {
    return this.state
  }

  /** Edits received but not yet written (storage failing, or within FLUSH_MS). */
  get unsavedUpdates(): number {
    return this.pending.length
  }

  /**
   * The edits applied but not (known to be) stored yet, in order: with the stored log they make
   * the live board — read the log after calling this (an edit in both is harmless in Yjs).
   */
  unsaved(): Uint8Array[] {
    return [...this.writing, ...this.pending]
  }

  get peerCount(): number {
    return this.peers.size
  }

  private async load() {
    const started = Date.now()
    const updates = await this.storage.load(this.id)
    Y.transact(this.doc, () => {
      for (const update of updates) Y.applyUpdate(this.doc, update)
    }, 'storage')
    this.appendedSinceCompact = updates.length
    this.grownBytes = updates.reduce((n, u) => n + u.length, 0)
    this.appendedBytes = this.grownBytes
    this.doc.on('update', this.onDocUpdate)
    this.awareness.on('update', this.onAwarenessUpdate)
    keepTrash(this.doc, (origin) => this.deleterOf(origin), SERVER_ORIGIN)
    this.state = 'ready'
    this.log.info('board loaded', { board: this.id, updates: updates.length, ms: Date.now() - started })
    for (const peer of this.peers.keys()) this.greet(peer)
  }

  /** Adds a peer at once (so the room is not unloaded under it); it is greeted when loaded. */
  join(peer: Peer): void {
    if (this.state === 'unloading' || this.state === 'closed') throw new Error(`room ${this.id} is ${this.state}`)
    clearTimeout(this.idleTimer)
    this.idleTimer = undefined
    this.peers.set(peer, { awareness: new Set() })
    if (this.state === 'ready') this.greet(peer)
  }

  private greet(peer: Peer) {
    peer.send(encodeSyncStep1(this.doc))
    const states = [...this.awareness.getStates().keys()]
    if (states.length > 0) peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)))
  }

  leave(peer: Peer): void {
    const owned = this.peers.get(peer)
    if (!owned) return
    this.peers.delete(peer)
    for (const id of owned.awareness) if (this.owners.get(id) === peer) this.owners.delete(id)
    if (owned.awareness.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...owned.awareness], 'disconnect')
      for (const id of owned.awareness) {
        this.departed.delete(id)
        this.departed.set(id, this.awareness.meta.get(id)?.clock ?? 0)
      }
      for (const id of this.departed.keys()) {
        if (this.departed.size <= MAX_DEPARTED) break
        this.departed.delete(id)
      }
    }
    if (this.peers.size === 0 && this.state === 'ready') {
      this.idleTimer = setTimeout(() => void this.unload(), this.options.idleUnloadMs)
    }
  }

  /** Handles one decoded message; throws ProtocolError for content the wire could not judge. */
  receive(peer: Peer, message: ClientMessage): void {
    switch (message.kind) {
      case 'sync-step1':
        peer.send(encodeSyncStep2(this.doc, message.stateVector))
        return
      case 'sync-step2':
      case 'sync-update': {
        // The stock client always answers with its own state; from a viewer that changes nothing.
        if (peer.role === 'viewer' && !addsAnything(this.doc, message.update)) return
        if (peer.role === 'viewer') throw new ProtocolError(CloseCode.forbidden, 'viewers cannot change the board')
        const started = performance.now()
        const verdict = this.judge(peer, message.update, message.decoded)
        if (!verdict.ok) throw new ProtocolError(verdict.kind === 'forbidden' ? CloseCode.forbidden : verdict.kind === 'resync' ? CloseCode.resync : CloseCode.malformedMessage, verdict.reason)
        if (!this.hasRoomFor(verdict.update.length)) throw new ProtocolError(CloseCode.boardFull, `the board has reached ${Math.round(this.options.maxBoardBytes / 1e6)} MB`)
        if (isClosed(this.doc)) {
          if (!addsAnything(this.doc, verdict.update)) return
          // Written after the close (offline, or typing as it closed): refused, but kept (bounded).
          this.keepLate(message.update)
          throw new ProtocolError(CloseCode.forbidden, 'the session is closed: the board is read-only')
        }
        try {
          Y.applyUpdate(this.doc, verdict.update, peer)
        } catch (error) {
          throw new ProtocolError(CloseCode.malformedMessage, `update could not be applied: ${(error as Error).message}`)
        }
        this.metrics?.applied((performance.now() - started) / 1000)
        return
      }
      case 'awareness': {
        if (message.update.length > Limits.maxAwarenessBytes) {
          throw new ProtocolError(CloseCode.messageTooBig, `awareness update of ${message.update.length} bytes`)
        }
        const owned = this.peers.get(peer)
        if (!owned) return
        const verdict = judgeAwareness(this.awareness, message.update, {
          role: peer.role,
          own: owned.awareness,
          ownedByOther: (id) => this.ownedByOther(peer, id),
          keyHash: owned.keyHash,
          departedClock: (id) => this.departed.get(id),
        })
        if (!verdict.ok) throw new ProtocolError(verdict.kind === 'forbidden' ? CloseCode.forbidden : CloseCode.malformedMessage, verdict.reason)
        for (const id of verdict.introduced) {
          owned.awareness.add(id)
          this.owners.set(id, peer)
        }
        if (verdict.keyHash && !owned.keyHash && peer.role !== 'viewer') {
          // Counted for the archive ("how many took part"); a failed write loses only that count.
          this.storage.addMember(this.id, verdict.keyHash, peer.role).catch((error: unknown) => this.log.warn('recording a member failed', { board: this.id, error }))
        }
        owned.keyHash = verdict.keyHash
        awarenessProtocol.applyAwarenessUpdate(this.awareness, verdict.update, peer)
        return
      }
      case 'query-awareness':
        peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])))
        return
      default: {
        const unreachable: never = message
        throw new Error(`unhandled message ${JSON.stringify(unreachable)}`)
      }
    }
  }

  /** The name (from their presence) and role of the connection behind a change, for the trash. */
  private deleterOf(origin: unknown): Deleter | undefined {
    const owned = this.peers.get(origin as Peer)
    if (!owned) return undefined
    let by = ''
    for (const id of owned.awareness) {
      const name = (this.awareness.getStates().get(id)?.member as { name?: unknown } | undefined)?.name
      if (typeof name === 'string') by = name.slice(0, 100)
    }
    return { by, role: (origin as Peer).role }
  }

  /** Whether someone who may vote (not a viewer) is connected with this member key hash. */
  hasVoter(keyHash: string): boolean {
    for (const [peer, owned] of this.peers) if (owned.keyHash === keyHash && peer.role !== 'viewer') return true
    return false
  }

  /** Whether `bytes` more fit under the board's size limit; measures the state only near the limit (at most once a second). */
  private hasRoomFor(bytes: number): boolean {
    if (this.measuredBytes + this.grownBytes + bytes <= this.options.maxBoardBytes) return true
    if (Date.now() - this.measuredAt > 1_000) {
      this.measuredBytes = Y.encodeStateAsUpdate(this.doc).length
      this.grownBytes = 0
      this.measuredAt = Date.now()
    }
    return this.measuredBytes + this.grownBytes + bytes <= this.options.maxBoardBytes
  }

  private ownedByOther(peer: Peer, id: number): boolean {
    const owner = this.owners.get(id)
    return owner !== undefined && owner !== peer
  }

  private judge(peer: Peer, update: Uint8Array, decoded: DecodedUpdate): Verdict {
    return judgeUpdate(this.doc, update, {
      role: peer.role,
      keyHash: this.peers.get(peer)?.keyHash,
      ownedByOther: (client) => client === this.doc.clientID || this.ownedByOther(peer, client),
    }, decoded)
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
    this.grownBytes += update.length
    this.fanOut.update(update, origin)
    this.pending.push(update)
    this.flushTimer ??= setTimeout(() => void this.flush(), this.options.flushMs)
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    const owned = this.peers.get(origin as Peer)
    if (owned) {
      for (const id of removed) {
        owned.awareness.delete(id)
        if (this.owners.get(id) === origin) this.owners.delete(id)
      }
    }
    this.fanOut.presence([...added, ...updated, ...removed])
  }

  /** A change made by the server itself (vote results): relayed to every peer and stored. */
  change(fn: (doc: Y.Doc) => void): void {
    if (this.state !== 'ready') throw new Error(`room ${this.id} is ${this.state}`)
    Y.transact(this.doc, () => fn(this.doc), SERVER_ORIGIN)
  }

  /** Writes what is pending; on failure keeps it in memory and tries again. */
  flush(): Promise<void> {
    clearTimeout(this.flushTimer)
    this.flushTimer = undefined
    this.persisting = this.persisting.then(async () => {
      if (this.pending.length === 0) return
      const batch = this.pending
      this.pending = []
      this.writing = batch
      try {
        await this.storage.append(this.id, batch)
        this.appendedSinceCompact += batch.length
        this.appendedBytes += batch.reduce((n, u) => n + u.length, 0)
      } catch (error) {
        this.pending = [...batch, ...this.pending]
        this.log.error(isStorageFull(error) ? 'saving board failed: storage is full (SQLITE_FULL); edits are kept in memory and retried' : 'saving board failed; will retry', { board: this.id, updates: this.pending.length, error })
        if (this.state !== 'closed') this.flushTimer ??= setTimeout(() => void this.flush(), RETRY_MS)
        return
      } finally {
        this.writing = []
      }
      const byBytes = this.appendedSinceCompact > 1 && this.appendedBytes >= Math.max(this.options.compactMinBytes ?? COMPACT_MIN_BYTES, this.compactedBytes)
      if (this.appendedSinceCompact >= this.options.compactEvery || byBytes) await this.compactNow()
    })
    return this.persisting
  }

  /** Writes what is pending and compacts the log now (after the writes before it). */
  async compact(): Promise<void> {
    await this.flush()
    this.persisting = this.persisting.then(() => this.compactNow())
    await this.persisting
  }

  /**
   * Replaces the stored log by the state it makes. Runs in the persisting chain, so nothing is
   * appended between reading the log and replacing it; the state is encoded from the log in a
   * worker when the server gives one (a 5,000-card board takes ~60 ms to encode, ~150 ms to load).
   */
  private async compactNow() {
    try {
      const state = this.options.compactState
        ? await this.options.compactState(await this.storage.load(this.id))
        : Y.encodeStateAsUpdate(this.doc)
      await this.storage.compact(this.id, state)
      this.appendedSinceCompact = 1
      this.appendedBytes = 0
      this.compactedBytes = state.length
    } catch (error) {
      this.log.error('compacting board failed', { board: this.id, error })
    }
  }

  /** Kept in order, and bounded: a closed board's late changes cannot fill the disk. */
  private keepLate(update: Uint8Array) {
    this.lateKeeping = this.lateKeeping.then(async () => {
      const { count, bytes } = await this.storage.lateUpdateStats(this.id)
      if (count >= Limits.maxLateUpdates || bytes + update.length > Limits.maxLateBytes) {
        this.log.warn('change after closing dropped: this board keeps no more of them', { board: this.id, count, bytes })
        return
      }
      await this.storage.addLateUpdate(this.id, update)
      this.log.warn('change after closing kept aside', { board: this.id, bytes: update.length })
    }).catch((error: unknown) => this.log.error('keeping a late change failed', { board: this.id, error }))
  }

  /** The board was deleted: closes every connection and frees the room without writing anything. */
  discard(): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    clearTimeout(this.idleTimer)
    clearTimeout(this.flushTimer)
    this.pending = []
    this.fanOut.stop()
    for (const peer of [...this.peers.keys()]) peer.close(CloseCode.boardDeleted, 'board deleted')
    this.peers.clear()
    this.awareness.destroy()
    this.doc.destroy()
    this.log.info('board discarded', { board: this.id })
    this.closedResolve()
  }

  /** Flushes, compacts and frees the board; called when idle and at shutdown. */
  async unload(reason: 'idle' | 'shutdown' = 'idle'): Promise<void> {
    if (this.state === 'unloading' || this.state === 'closed') return this.closed
    if (this.state === 'loading') await this.ready.catch(() => {})
    this.state = 'unloading'
    clearTimeout(this.idleTimer)
    // What this turn applied still reaches everyone before they are told to go.
    this.fanOut.flushNow()
    this.fanOut.stop()
    for (const peer of [...this.peers.keys()]) peer.close(CloseCode.goingAway, 'server shutting down')
    await this.flush()
    while (this.pending.length > 0) {
      // Storage is failing: keep trying rather than drop what people wrote.
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
      await this.flush()
    }
    if (this.appendedSinceCompact > 1) await this.compact()
    this.state = 'closed'
    this.awareness.destroy()
    this.doc.destroy()
    this.log.info('board unloaded', { board: this.id, reason })
    this.closedResolve()
  }
}
