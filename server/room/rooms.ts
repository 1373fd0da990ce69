/** The rooms of one server: at most one live Room per board, created on demand. */
import * as Y from 'yjs'
import type { BoardId } from '../../shared/board-id.ts'
import { isClosed, recordsOf } from '../../shared/doc-layout.ts'
import type { Logger } from '../log.ts'
import { Room, type Peer, type RoomExtensionFactory, type RoomOptions, type RoomPolicy } from './room.ts'
import type { Storage } from '../storage/storage.ts'
import type { ServerMetrics } from '../metrics.ts'

export interface RoomRegistryOptions {
  room: RoomOptions
  policy: RoomPolicy
  /** Plugged into every room, in this order (persistence first: it loads the board). */
  extensions: RoomExtensionFactory[]
  /** Tells the other servers of the cluster that a board was deleted (server/cluster/cluster.ts). */
  announceDeleted?: (id: BoardId) => Promise<void>
}

export class RoomRegistry {
  private readonly rooms = new Map<BoardId, Room>()

  private readonly storage: Storage
  private readonly log: Logger
  private readonly options: RoomRegistryOptions
  private readonly metrics: Pick<ServerMetrics, 'applied'> | undefined

  constructor(storage: Storage, log: Logger, options: RoomRegistryOptions, metrics?: Pick<ServerMetrics, 'applied'>) {
    this.storage = storage
    this.log = log
    this.options = options
    this.metrics = metrics
  }

  /** More extensions for rooms made from now on (the server adds snapshots' and the cluster's after making the registry). */
  use(extension: RoomExtensionFactory, position: 'first' | 'last' = 'last'): void {
    if (position === 'first') this.options.extensions.unshift(extension)
    else this.options.extensions.push(extension)
  }

  set announceDeleted(announce: (id: BoardId) => Promise<void>) {
    this.options.announceDeleted = announce
  }

  /** Joins the peer to the board's room, waiting out an unload in progress; resolves when loaded. */
  async join(id: BoardId, peer: Peer): Promise<Room> {
    let room = await this.roomFor(id)
    // Let go between roomFor's answer and now (an unload begun in the same turn): the next one.
    // Joining it threw, and the connection was closed with 1011 (tests/server/room-unload-race.test.ts).
    while (room.getState() === 'unloading' || room.getState() === 'closed') room = await this.roomFor(id)
    room.join(peer)
    await room.ready
    return room
  }

  /** The board's live room, loaded if it was not (it unloads again when idle). */
  async open(id: BoardId): Promise<Room> {
    const room = await this.roomFor(id)
    await room.ready
    return room
  }

  private async roomFor(id: BoardId): Promise<Room> {
    let room = this.rooms.get(id)
    while (room && (room.getState() === 'unloading' || room.getState() === 'closed')) {
      await room.closed
      room = this.rooms.get(id)
    }
    if (room) return room
    const created = new Room(id, this.options.room, this.options.policy, this.options.extensions, this.log, this.metrics)
    this.rooms.set(id, created)
    void created.closed.then(() => {
      if (this.rooms.get(id) === created) this.rooms.delete(id)
    })
    created.ready.catch((error: unknown) => {
      this.log.error('loading board failed', { board: id, error })
      if (this.rooms.get(id) === created) this.rooms.delete(id)
    })
    return created
  }

  /**
   * The board was deleted: its room here closes every connection with 4410, and the other
   * servers of the cluster are told to do the same with theirs.
   */
  async discard(id: BoardId): Promise<void> {
    this.rooms.get(id)?.discard()
    await this.options.announceDeleted?.(id)
  }

  /** Another server deleted the board: only the room here goes. */
  discardHere(id: BoardId): void {
    this.rooms.get(id)?.discard()
  }

  /**
   * The board as bytes — the stored log followed by what the live room has not written yet —
   * for work done away from the event loop (server/room/board-work.ts); null when nothing is stored
   * and the board does not exist. Nothing here encodes the live document.
   */
  async boardUpdates(id: BoardId): Promise<Uint8Array[] | null> {
    const room = this.rooms.get(id)
    const unsaved = room && room.getState() !== 'closed' ? room.unsaved() : []
    const stored = await this.storage.log.load(id)
    if (stored.length === 0 && unsaved.length === 0) return (await this.storage.catalogue.get(id)) ? [] : null
    return [...stored, ...unsaved]
  }

  /**
   * `fn` of the board's document, for a quick look (a meta key, a facilitation field): the live
   * room's own document when loaded — not copied, so `fn` must not change it or keep it — else a
   * copy of what is stored. Null when the board does not exist.
   */
  async read<T>(id: BoardId, fn: (doc: Y.Doc) => T): Promise<T | null> {
    const room = this.rooms.get(id)
    if (room && room.getState() === 'ready') return fn(room.doc)
    const copy = await this.readCopy(id)
    if (!copy) return null
    try {
      return fn(copy)
    } finally {
      copy.destroy()
    }
  }

  /**
   * A copy of the board's document for reading (reports, exports): the live room's state when
   * the board is loaded, else what is stored. Null when nothing is stored for the board.
   */
  async readCopy(id: BoardId): Promise<Y.Doc | null> {
    const copy = new Y.Doc()
    const room = this.rooms.get(id)
    if (room && room.getState() === 'ready') {
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc))
      return copy
    }
    const updates = await this.storage.log.load(id)
    if (updates.length === 0) return (await this.storage.catalogue.get(id)) ? copy : null
    Y.transact(copy, () => updates.forEach((u) => Y.applyUpdate(copy, u)))
    return copy
  }

  /**
   * Applies a server-side change to a board through its live room — loaded for it when it was
   * not — so that everyone connected, on this server or (through the cluster's fan-out) on
   * another, sees it at once; resolves when it is stored.
   */
  async change(id: BoardId, fn: (doc: Y.Doc) => void): Promise<void> {
    if (!this.rooms.has(id) && !(await this.storage.catalogue.get(id))) throw new Error(`board ${id} does not exist`)
    const room = await this.open(id)
    room.change(fn)
    await room.flush()
  }

  /** Whether the board has a record with this id (the live state when loaded). */
  async hasRecord(id: BoardId, recordId: string): Promise<boolean> {
    return (await this.read(id, (doc) => recordsOf(doc).has(recordId))) ?? false
  }

  /** The rooms in memory. */
  loaded(): Room[] {
    return [...this.rooms.values()]
  }

  /** Whether the board's session was closed (read-only for good). */
  async isClosed(id: BoardId): Promise<boolean> {
    return (await this.read(id, isClosed)) ?? false
  }

  get(id: BoardId): Room | undefined {
    return this.rooms.get(id)
  }

  /** Boards with edits not yet written, for the log of a shutdown that could not finish. */
  unsaved(): { board: BoardId; updates: number }[] {
    return [...this.rooms.values()].filter((room) => room.unsavedUpdates > 0).map((room) => ({ board: room.id, updates: room.unsavedUpdates }))
  }

  stats(): { boards: number; connections: number } {
    let connections = 0
    for (const room of this.rooms.values()) connections += room.peerCount
    return { boards: this.rooms.size, connections }
  }

  async unloadAll(): Promise<void> {
    await Promise.all([...this.rooms.values()].map((room) => room.unload('shutdown')))
  }
}
