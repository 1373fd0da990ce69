/**
 * One board's live life on the server: the Room owns the Y.Doc, its awareness and the peers
 * connected to it. It judges what peers send (through its policy), applies it and fans it out
 * to the other peers. Everything else plugs in as an extension, the way Hocuspocus
 * (`onLoadDocument`, `onChange`, `onStoreDocument`, `afterUnloadDocument`) and tldraw's
 * TLSocketRoom (`onDataChange`, storage outside the room) do it:
 *
 * - persistence (server/room/persistence.ts) loads the board, stores changes and compacts the log;
 * - the cluster fan-out (server/cluster/cluster.ts) shares changes and presence with other processes;
 * - snapshots (server/session/snapshots.ts) watch for changes and phase changes.
 *
 * The Room knows no database and no message bus: it calls the hooks below in order. Changes
 * from another holder of the board arrive through `applyRemote` with a RemoteOrigin, so that an
 * extension can tell them from its own (not stored twice, not published back).
 */
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as decoding from 'lib0/decoding'
import type { BoardId } from '../../shared/board-id.ts'
import { isClosed, recordsOf } from '../../shared/doc-layout.ts'
import { sameJson } from '../../shared/ownership.ts'
import type { Role } from '../../shared/roles.ts'
import { CloseCode, Limits, SESSION_CLOSED_REASON } from '../../shared/protocol.ts'
import type { Logger } from '../log.ts'
import type { ServerMetrics } from '../metrics.ts'
import { holderShownBy, type AwarenessContext, type AwarenessVerdict, type PresenceHolder } from '../policy/awareness-policy.ts'
import type { JudgeContext as UpdateContext, StaleMove, Verdict } from '../policy/update-policy.ts'
import { keepTrash, type Deleter } from '../session/trash-keeper.ts'
import { FanOut } from './fanout.ts'
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, ProtocolError, type ClientMessage, type DecodedUpdate } from './wire.ts'

/** A connected client as the room sees it. */
export interface Peer {
  readonly id: string
  readonly role: Role
  /**
   * The SHA-256 of the member key it proved at connect (server/server.ts; undefined: none): whose
   * cards it may change, whose dots it places, which presence it may take over. Never the hash a
   * presence shows — that one is on every card's `meta.owner` (issue 20, finding 1).
   */
  readonly keyHash?: string
  send(frame: Uint8Array): void
  close(code: CloseCode, detail: string): void
}

/** What a peer may send: the participant policy (server/policy/participant-policy.ts) in the server. */
export interface RoomPolicy {
  judgeUpdate(doc: Y.Doc, update: Uint8Array, context: UpdateContext, decoded: DecodedUpdate): Verdict
  judgeAwareness(awareness: awarenessProtocol.Awareness, update: Uint8Array, context: AwarenessContext): AwarenessVerdict
  /** Whether the update changes anything in the document (a viewer's sync answer does not). */
  addsAnything(doc: Y.Doc, update: Uint8Array): boolean
}

export type UnloadReason = 'idle' | 'shutdown'

/**
 * The hooks of one extension for one room, all optional; called in the order the extensions
 * were given. `origin` is a Peer (a connection here), SERVER_ORIGIN (the server's own change),
 * STORAGE_ORIGIN (loading) or a RemoteOrigin (another process holding the board).
 */
export interface RoomExtension {
  /** Before the board is loaded (a fan-out subscribes here, so nothing published meanwhile is missed). */
  beforeLoad?(): Promise<void>
  /** Updates that make the board as kept (applied with STORAGE_ORIGIN). */
  load?(): Promise<Uint8Array[]>
  /** The document is loaded; nobody has been greeted yet. */
  afterLoad?(): Promise<void>
  /** A change applied to the document. */
  onChange?(update: Uint8Array, origin: unknown): void
  /** Presence states added, updated or removed. */
  onPresence?(ids: number[], origin: unknown): void
  /** Someone (not a viewer) joined with this proven member key hash, once per connection. */
  onMember?(keyHash: string, role: 'facilitator' | 'participant'): void
  /** A voter's connection (not a viewer) with this member key hash is gone: here, or another holder's that died. */
  onVoterLeft?(keyHash: string): void
  /** A change written after the session was closed: refused, but may be kept aside. */
  onLateChange?(update: Uint8Array): void
  /** Changes applied but not yet kept, in order (persistence). */
  unsaved?(): Uint8Array[]
  /** Keep what is pending now. */
  flush?(): Promise<void>
  /** Compact what is kept. */
  compact?(): Promise<void>
  /** Another holder of the board is gone for good: what it had not kept is ours to keep. */
  onSourceLost?(source: string): Promise<void>
  /** Peers are gone; keep what is left before the document is freed. */
  onUnload?(reason: UnloadReason): Promise<void>
  /** The document is freed. */
  afterUnload?(reason: UnloadReason): void | Promise<void>
  /** The board was deleted (here or elsewhere): drop everything, keep nothing. */
  onDiscard?(): void
  /** A connection here took over presence `id` from another holder of the board (`source`). */
  onTakeOver?(id: number, source: string): void
}

export type RoomExtensionFactory = (room: Room) => RoomExtension

export interface RoomOptions {
  /** How long a board without connections stays in memory. */
  idleUnloadMs: number
  /** Largest board (its whole Yjs state) in bytes; changes beyond it are refused. */
  maxBoardBytes: number
  /** How long presence changes are collected before they go out, merged (server/room/fanout.ts). */
  awarenessTickMs?: number
}

/** Presence is merged over this long by default: 20 cursor batches a second. */
export const AWARENESS_TICK_MS = 50

export type RoomState = 'loading' | 'ready' | 'unloading' | 'closed'

/** Departed awareness ids remembered per board (a long conference has a few thousand). */
const MAX_DEPARTED = 10_000
/**
 * A peer out of step is asked for what the board lacks (a sync step 1) at most this often, and
 * closed with 4509 only after this many asks in a row answered nothing the board could apply.
 */
const RESYNC_GAP_MS = 1_000
const MAX_RESYNCS = 20

/** What the room keeps per peer. */
interface PeerState {
  /** The awareness id it introduced (a connection presents one person). */
  awareness: Set<number>
  /** Ids nobody holds whose presences it relayed (bounded by the policy). */
  strangers: Set<number>
  /** It sent an awareness message, or answered the server's sync step 1: its opening is over. */
  opened: boolean
  /** Its presence was taken over by a newer connection of the same browser. */
  replaced: boolean
  /** Asks to resync since its last applied change, when the last went out, and the one waiting. */
  resyncs: number
  resyncedAt: number
  resyncTimer?: ReturnType<typeof setTimeout>
}
/** The transaction origin of changes the server makes itself. */
export const SERVER_ORIGIN = 'server'
/** The transaction origin of the board as loaded. */
export const STORAGE_ORIGIN = 'storage'

/** The origin of a change or presence that another holder of the board (`source`) applied first. */
export class RemoteOrigin {
  readonly source: string
  constructor(source: string) {
    this.source = source
  }
}

/** Whether a change was made here (by a connection or by the server), not loaded or relayed. */
export function isLocalChange(origin: unknown): boolean {
  return origin !== STORAGE_ORIGIN && !(origin instanceof RemoteOrigin)
}

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
  private readonly peers = new Map<Peer, PeerState>()
  private readonly owners = new Map<number, Peer>()
  /** Presence ids held by another holder of the board, by source. */
  private readonly remoteOwners = new Map<number, string>()
  private readonly fanOut: FanOut<Peer>
  /** Awareness ids of connections that left, with the clock of their removal (oldest first, bounded). */
  private readonly departed = new Map<number, number>()
  /** The board's size as last measured, plus what was applied since (an upper bound). */
  private measuredBytes = 0
  private grownBytes = 0
  private measuredAt = 0
  private idleTimer: ReturnType<typeof setTimeout> | undefined
  private closedResolve!: () => void
  readonly closed = new Promise<void>((resolve) => (this.closedResolve = resolve))
  private readonly extensions: RoomExtension[]

  readonly id: BoardId
  readonly log: Logger
  private readonly options: RoomOptions
  private readonly policy: RoomPolicy
  private readonly metrics: Pick<ServerMetrics, 'applied'> | undefined

  constructor(
    id: BoardId,
    options: RoomOptions,
    policy: RoomPolicy,
    extensions: readonly RoomExtensionFactory[],
    log: Logger,
    metrics?: Pick<ServerMetrics, 'applied'>,
  ) {
    this.id = id
    this.log = log
    this.options = options
    this.policy = policy
    this.metrics = metrics
    // The awareness of the server itself carries no state.
    this.awareness.setLocalState(null)
    this.fanOut = new FanOut<Peer>({
      awareness: this.awareness,
      peers: () => [...this.peers].map(([peer, owned]) => [peer, owned.awareness] as [Peer, ReadonlySet<number>]),
      peerCount: () => this.peers.size,
      awarenessTickMs: options.awarenessTickMs ?? AWARENESS_TICK_MS,
    })
    this.extensions = extensions.map((make) => make(this))
    this.ready = this.load()
  }

  getState(): RoomState {
    return this.state
  }

  /**
   * The edits applied but not (known to be) stored yet, in order: with the stored log they make
   * the live board — read the log after calling this (an edit in both is harmless in Yjs).
   */
  unsaved(): Uint8Array[] {
    return this.extensions.flatMap((e) => e.unsaved?.() ?? [])
  }

  get unsavedUpdates(): number {
    return this.unsaved().length
  }

  get peerCount(): number {
    return this.peers.size
  }

  private async load() {
    const started = Date.now()
    for (const e of this.extensions) await e.beforeLoad?.()
    let count = 0
    for (const e of this.extensions) {
      const updates = (await e.load?.()) ?? []
      count += updates.length
      Y.transact(
        this.doc,
        () => {
          for (const update of updates) Y.applyUpdate(this.doc, update)
        },
        STORAGE_ORIGIN,
      )
      this.grownBytes += updates.reduce((n, u) => n + u.length, 0)
    }
    this.doc.on('update', this.onDocUpdate)
    this.awareness.on('update', this.onAwarenessUpdate)
    keepTrash(
      this.doc,
      (origin) => this.deleterOf(origin),
      SERVER_ORIGIN,
      Date.now,
      (origin) => !isLocalChange(origin),
    )
    for (const e of this.extensions) await e.afterLoad?.()
    if (this.state !== 'loading') return
    this.state = 'ready'
    this.log.info('board loaded', { board: this.id, updates: count, ms: Date.now() - started })
    for (const peer of this.peers.keys()) this.greet(peer)
    if (this.peers.size === 0) this.startIdleTimer()
  }

  private startIdleTimer() {
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => void this.unload(), this.options.idleUnloadMs)
  }

  /** Adds a peer at once (so the room is not unloaded under it); it is greeted when loaded. */
  join(peer: Peer): void {
    if (this.state === 'unloading' || this.state === 'closed') throw new Error(`room ${this.id} is ${this.state}`)
    clearTimeout(this.idleTimer)
    this.idleTimer = undefined
    this.peers.set(peer, { awareness: new Set(), strangers: new Set(), opened: false, replaced: false, resyncs: 0, resyncedAt: 0 })
    if (peer.keyHash && peer.role !== 'viewer') for (const e of this.extensions) e.onMember?.(peer.keyHash, peer.role)
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
    clearTimeout(owned.resyncTimer)
    if (peer.keyHash && peer.role !== 'viewer') for (const e of this.extensions) e.onVoterLeft?.(peer.keyHash)
    for (const id of owned.awareness) if (this.owners.get(id) === peer) this.owners.delete(id)
    if (owned.awareness.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...owned.awareness], peer)
      for (const id of owned.awareness) this.rememberDeparted(id)
    }
    if (this.peers.size === 0 && this.state === 'ready') this.startIdleTimer()
  }

  private rememberDeparted(id: number) {
    this.departed.delete(id)
    this.departed.set(id, this.awareness.meta.get(id)?.clock ?? 0)
    for (const old of this.departed.keys()) {
      if (this.departed.size <= MAX_DEPARTED) break
      this.departed.delete(old)
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
        const state = this.peers.get(peer)
        if (state && message.kind === 'sync-step2') state.opened = true
        // The stock client always answers with its own state; from a viewer that changes nothing.
        if (peer.role === 'viewer' && !this.policy.addsAnything(this.doc, message.update)) return
        if (peer.role === 'viewer') throw new ProtocolError(CloseCode.forbidden, 'viewers cannot change the board')
        const started = performance.now()
        const verdict = this.policy.judgeUpdate(
          this.doc,
          message.update,
          {
            role: peer.role,
            keyHash: peer.keyHash,
            ownedByOther: (client) => client === this.doc.clientID || this.ownedByOther(peer, client),
          },
          message.decoded,
        )
        if (!verdict.ok && verdict.kind === 'resync') return this.askToResync(peer, verdict.reason)
        if (!verdict.ok) throw new ProtocolError(verdict.kind === 'forbidden' ? CloseCode.forbidden : CloseCode.malformedMessage, verdict.reason)
        if (!this.hasRoomFor(verdict.update.length))
          throw new ProtocolError(CloseCode.boardFull, `the board has reached ${Math.round(this.options.maxBoardBytes / 1e6)} MB`)
        if (isClosed(this.doc)) {
          if (!this.policy.addsAnything(this.doc, verdict.update)) return
          // Written after the close (offline, or typing as it closed): refused, but kept (bounded).
          for (const e of this.extensions) e.onLateChange?.(message.update)
          throw new ProtocolError(CloseCode.forbidden, SESSION_CLOSED_REASON)
        }
        try {
          Y.applyUpdate(this.doc, verdict.update, peer)
        } catch (error) {
          throw new ProtocolError(CloseCode.malformedMessage, `update could not be applied: ${(error as Error).message}`)
        }
        if (verdict.moves) this.settleMoves(peer, verdict.moves)
        if (state) state.resyncs = 0
        this.metrics?.applied((performance.now() - started) / 1000)
        return
      }
      case 'awareness': {
        if (message.update.length > Limits.maxAwarenessBytes) {
          throw new ProtocolError(CloseCode.messageTooBig, `awareness update of ${message.update.length} bytes`)
        }
        const owned = this.peers.get(peer)
        if (!owned) return
        const verdict = this.policy.judgeAwareness(this.awareness, message.update, {
          role: peer.role,
          own: owned.awareness,
          ownedByOther: (id) => this.ownedByOther(peer, id),
          holderOf: (id) => this.holderOf(peer, id),
          keyHash: peer.keyHash,
          departedClock: (id) => this.departed.get(id),
          opening: !owned.opened,
          hadPresence: owned.replaced,
          strangers: owned.strangers,
        })
        owned.opened = true
        if (!verdict.ok) throw new ProtocolError(verdict.kind === 'forbidden' ? CloseCode.forbidden : CloseCode.malformedMessage, verdict.reason)
        for (const id of verdict.takenOver) this.takeOver(peer, id)
        for (const id of verdict.introduced) {
          owned.awareness.add(id)
          this.owners.set(id, peer)
        }
        awarenessProtocol.applyAwarenessUpdate(this.awareness, verdict.update, peer)
        // Its own state back, once, with the clock the server gave it: the stock client adopts it.
        if (verdict.bumped.length > 0) peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, verdict.bumped)))
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

  /**
   * Moves written from an older copy of someone else's card (update-policy.ts StaleMove): the
   * card becomes its content with the move, written here in the same turn as the move itself —
   * the fan-out sends both in one frame (the writer gets it too), the cluster publishes both and
   * the other processes only apply it, so the correction is written once, by the judge.
   */
  private settleMoves(peer: Peer, moves: StaleMove[]): void {
    const records = recordsOf(this.doc)
    const wrong = moves.filter(({ key, record }) => records.has(key) && !sameJson(records.get(key), record))
    if (wrong.length === 0) return
    this.log.info("a move of someone else's card from an older copy: the card keeps its content, with the move", {
      board: this.id,
      conn: peer.id,
      records: wrong.map((m) => m.key),
    })
    Y.transact(
      this.doc,
      () => {
        for (const { key, record } of wrong) records.set(key, record)
      },
      SERVER_ORIGIN,
    )
  }

  /**
   * Asks a peer for what the board lacks instead of closing it: a sync step 1, which the stock
   * client answers with everything the server has not got. Closing it cost a reconnect that sent
   * the same again — 86–118 sockets in 40 s (issue 19). At most once a RESYNC_GAP_MS per peer.
   */
  private askToResync(peer: Peer, reason: string): void {
    const state = this.peers.get(peer)
    if (!state) return
    if (++state.resyncs > MAX_RESYNCS) throw new ProtocolError(CloseCode.resync, reason)
    this.log.debug('asking a connection for what the board lacks', { board: this.id, conn: peer.id, reason })
    if (state.resyncTimer) return
    state.resyncTimer = setTimeout(
      () => {
        state.resyncTimer = undefined
        if (this.peers.get(peer) !== state || this.state !== 'ready') return
        state.resyncedAt = Date.now()
        peer.send(encodeSyncStep1(this.doc))
      },
      Math.max(0, state.resyncedAt + RESYNC_GAP_MS - Date.now()),
    )
  }

  /** Who else holds presence `id`: a connection here, or (in a cluster) one another server judged. */
  private holderOf(peer: Peer, id: number): PresenceHolder | undefined {
    const owner = this.owners.get(id)
    if (owner && owner !== peer) return { role: owner.role, keyHash: owner.keyHash }
    if (this.remoteOwners.has(id)) return holderShownBy(this.awareness.getStates().get(id) ?? null)
    return undefined
  }

  /** `peer` is the same browser back on a new connection (judged by the policy): the old one goes. */
  private takeOver(peer: Peer, id: number): void {
    const previous = this.owners.get(id)
    if (previous && previous !== peer) this.release(previous, id, `presence ${id} came back on connection ${peer.id}`)
    const source = this.remoteOwners.get(id)
    if (source === undefined) return
    this.remoteOwners.delete(id)
    for (const e of this.extensions) e.onTakeOver?.(id, source)
  }

  /** Takes presence `id` from the connection here that held it, and closes that (transient). */
  private release(holder: Peer, id: number, detail: string): void {
    const held = this.peers.get(holder)
    if (held) {
      held.awareness.delete(id)
      held.replaced = true
    }
    this.owners.delete(id)
    holder.close(CloseCode.replaced, detail)
  }

  /** Another holder of the board (`source`) took presence `id` over: the same browser reconnected there. */
  releaseToRemote(id: number, source: string): void {
    if (this.state === 'closed') return
    const holder = this.owners.get(id)
    if (!holder) return
    this.release(holder, id, `presence ${id} came back through another server`)
    this.remoteOwners.set(id, source)
  }

  /** A change another holder of the board applied first (judged there): applied and fanned out here. */
  applyRemote(update: Uint8Array, source: string): void {
    if (this.state === 'closed') return
    try {
      Y.applyUpdate(this.doc, update, new RemoteOrigin(source))
    } catch (error) {
      this.log.error('a change from another server could not be applied', { board: this.id, source, error })
    }
  }

  /** Presence states another holder of the board judged (its own connections'). */
  applyRemotePresence(update: Uint8Array, source: string): void {
    if (this.state === 'closed') return
    try {
      // Ids a connection here owns are never taken over.
      const decoder = decoding.createDecoder(update)
      const count = decoding.readVarUint(decoder)
      for (let i = 0; i < count; i++) {
        const id = decoding.readVarUint(decoder)
        decoding.readVarUint(decoder)
        decoding.readVarString(decoder)
        if (this.owners.has(id)) return
      }
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, new RemoteOrigin(source))
    } catch (error) {
      this.log.error('presence from another server could not be applied', { board: this.id, source, error })
    }
  }

  /** The presence ids of this room's own connections. */
  localPresenceIds(): number[] {
    return [...this.owners.keys()].filter((id) => this.awareness.getStates().has(id))
  }

  /**
   * Another holder is gone: its connections' presences go; when it died (`lost`), extensions keep
   * what only it may have had (its changes are in this document, perhaps not yet stored).
   */
  async forgetSource(source: string, lost: boolean): Promise<void> {
    const ids = [...this.remoteOwners].filter(([, s]) => s === source).map(([id]) => id)
    if (ids.length > 0 && this.state !== 'closed') {
      // A holder that died told nobody its voters left: this process remembers them.
      const voters = ids.map((id) => this.remoteVoterOf(id)).filter((hash) => hash !== undefined)
      awarenessProtocol.removeAwarenessStates(this.awareness, ids, new RemoteOrigin(source))
      for (const hash of voters) for (const e of this.extensions) e.onVoterLeft?.(hash)
    }
    if (lost && this.state === 'ready') for (const e of this.extensions) await e.onSourceLost?.(source)
  }

  /** The name (from their presence), role and proven key hash of the connection behind a change, for the trash. */
  private deleterOf(origin: unknown): Deleter | undefined {
    const owned = this.peers.get(origin as Peer)
    if (!owned) return undefined
    let by = ''
    for (const id of owned.awareness) {
      const name = (this.awareness.getStates().get(id)?.member as { name?: unknown } | undefined)?.name
      if (typeof name === 'string') by = name.slice(0, 100)
    }
    return { by, role: (origin as Peer).role, keyHash: (origin as Peer).keyHash }
  }

  /**
   * Whether someone who may vote (not a viewer) is connected with this member key hash: a
   * connection here, or — in a cluster — one whose presence another server judged (its role
   * is the one that server's token check gave it).
   */
  hasVoter(keyHash: string): boolean {
    for (const peer of this.peers.keys()) if (peer.keyHash === keyHash && peer.role !== 'viewer') return true
    for (const id of this.remoteOwners.keys()) if (this.remoteVoterOf(id) === keyHash) return true
    return false
  }

  /** The member key hash of presence `id`, which another holder judged (its connection's proven one), when its role may vote. */
  private remoteVoterOf(id: number): string | undefined {
    const member = this.awareness.getStates().get(id)?.member as { keyHash?: unknown; role?: unknown } | undefined
    return typeof member?.keyHash === 'string' && (member.role === 'participant' || member.role === 'facilitator') ? member.keyHash : undefined
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
    if (this.remoteOwners.has(id)) return true
    const owner = this.owners.get(id)
    return owner !== undefined && owner !== peer
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
    this.grownBytes += update.length
    this.fanOut.update(update, origin)
    for (const e of this.extensions) e.onChange?.(update, origin)
  }

  private readonly onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin instanceof RemoteOrigin) {
      for (const id of [...added, ...updated]) this.remoteOwners.set(id, origin.source)
      for (const id of removed) {
        this.remoteOwners.delete(id)
        this.rememberDeparted(id)
      }
    } else {
      const owned = this.peers.get(origin as Peer)
      if (owned) {
        for (const id of removed) {
          owned.awareness.delete(id)
          if (this.owners.get(id) === origin) this.owners.delete(id)
        }
      }
    }
    const ids = [...added, ...updated, ...removed]
    this.fanOut.presence(ids)
    for (const e of this.extensions) e.onPresence?.(ids, origin)
  }

  /** A change made by the server itself (vote results, a revert): relayed to every peer and kept. */
  change(fn: (doc: Y.Doc) => void): void {
    if (this.state !== 'ready') throw new Error(`room ${this.id} is ${this.state}`)
    Y.transact(this.doc, () => fn(this.doc), SERVER_ORIGIN)
  }

  /** Keeps what is pending now (every extension that keeps anything). */
  async flush(): Promise<void> {
    for (const e of this.extensions) await e.flush?.()
  }

  /** Keeps what is pending and compacts what is kept. */
  async compact(): Promise<void> {
    for (const e of this.extensions) await e.compact?.()
  }

  /** The board was deleted: closes every connection and frees the room without keeping anything. */
  discard(): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    clearTimeout(this.idleTimer)
    for (const e of this.extensions) e.onDiscard?.()
    this.fanOut.stop()
    for (const peer of [...this.peers.keys()]) peer.close(CloseCode.boardDeleted, 'board deleted')
    this.peers.clear()
    this.awareness.destroy()
    this.doc.destroy()
    this.log.info('board discarded', { board: this.id })
    this.closedResolve()
  }

  /** Lets the extensions keep what is left and frees the board; called when idle and at shutdown. */
  async unload(reason: UnloadReason = 'idle'): Promise<void> {
    if (this.state === 'unloading' || this.state === 'closed') return this.closed
    if (this.state === 'loading') await this.ready.catch(() => {})
    if (this.state !== 'ready') return this.closed
    this.state = 'unloading'
    clearTimeout(this.idleTimer)
    // What this turn applied still reaches everyone before they are told to go.
    this.fanOut.flushNow()
    this.fanOut.stop()
    for (const peer of [...this.peers.keys()]) peer.close(CloseCode.goingAway, 'server shutting down')
    for (const e of this.extensions) {
      try {
        await e.onUnload?.(reason)
      } catch (error) {
        this.log.error('unloading board: an extension failed', { board: this.id, error })
      }
    }
    this.state = 'closed'
    this.awareness.destroy()
    this.doc.destroy()
    for (const e of this.extensions) await e.afterUnload?.(reason)
    this.log.info('board unloaded', { board: this.id, reason })
    this.closedResolve()
  }
}
