/** The rooms of one server: at most one live Room per board, created on demand. */
import * as Y from 'yjs'
import type { BoardId } from '../shared/board-id.ts'
import { isClosed, recordsOf } from '../shared/doc-layout.ts'
import type { Logger } from './log.ts'
import { Room, type Peer, type RoomOptions } from './room.ts'
import type { BoardStorage } from './storage.ts'
import type { ServerMetrics } from './metrics.ts'

export class RoomRegistry {
  private readonly rooms = new Map<BoardId, Room>()
  private readonly readyListeners = new Set<(room: Room) => void>()

  private readonly storage: BoardStorage
  private readonly log: Logger
  private readonly options: RoomOptions
  private readonly metrics: Pick<ServerMetrics, 'applied'> | undefined

  constructor(storage: BoardStorage, log: Logger, options: RoomOptions, metrics?: Pick<ServerMetrics, 'applied'>) {
    this.storage = storage
    this.log = log
    this.options = options
    this.metrics = metrics
  }

  /** Joins the peer to the board's room, waiting out an unload in progress; resolves when loaded. */
  async join(id: BoardId, peer: Peer): Promise<Room> {
    let room = this.rooms.get(id)
    while (room && (room.getState() === 'unloading' || room.getState() === 'closed')) {
      await room.closed
      room = this.rooms.get(id)
    }
    if (!room) {
      const created = new Room(id, this.storage, this.log, this.options, this.metrics)
      room = created
      this.rooms.set(id, created)
      void created.closed.then(() => {
        if (this.rooms.get(id) === created) this.rooms.delete(id)
      })
      created.ready.then(() => this.readyListeners.forEach((listener) => listener(created)), () => {})
      created.ready.catch((error: unknown) => {
        this.log.error('loading board failed', { board: id, error })
        if (this.rooms.get(id) === created) this.rooms.delete(id)
      })
    }
    room.join(peer)
    await room.ready
    return room
  }

  /**
   * The board as bytes — the stored log followed by what the live room has not written yet —
   * for work done away from the event loop (server/board-work.ts); null when nothing is stored
   * and the board does not exist. Nothing here encodes the live document.
   */
  async boardUpdates(id: BoardId): Promise<Uint8Array[] | null> {
    const room = this.rooms.get(id)
    const unsaved = room && room.getState() !== 'closed' ? room.unsaved() : []
    const stored = await this.storage.load(id)
    if (stored.length === 0 && unsaved.length === 0) return (await this.storage.getBoard(id)) ? [] : null
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
    const updates = await this.storage.load(id)
    if (updates.length === 0) return (await this.storage.getBoard(id)) ? copy : null
    Y.transact(copy, () => updates.forEach((u) => Y.applyUpdate(copy, u)))
    return copy
  }

  /**
   * Applies a server-side change to a board: in its live room when loaded (so everyone sees it
   * at once), else to the stored log directly.
   */
  async change(id: BoardId, fn: (doc: Y.Doc) => void): Promise<void> {
    let room = this.rooms.get(id)
    // An unloading room compacts the log last: append only after it has finished.
    while (room && (room.getState() === 'unloading' || room.getState() === 'closed')) {
      await room.closed
      room = this.rooms.get(id)
    }
    if (room && (room.getState() === 'ready' || room.getState() === 'loading')) {
      await room.ready
      room.change(fn)
      await room.flush()
      return
    }
    const copy = await this.readCopy(id)
    if (!copy) throw new Error(`board ${id} does not exist`)
    let update: Uint8Array | null = null
    copy.on('update', (u: Uint8Array) => (update = update ? Y.mergeUpdates([update, u]) : u))
    copy.transact(() => fn(copy))
    copy.destroy()
    if (update) await this.storage.append(id, [update])
  }

  /** Whether the board has a record with this id (the live state when loaded). */
  async hasRecord(id: BoardId, recordId: string): Promise<boolean> {
    return (await this.read(id, (doc) => recordsOf(doc).has(recordId))) ?? false
  }

  /** Calls `listener` with every room once it has loaded (snapshots watch the phase). */
  onRoomReady(listener: (room: Room) => void): () => void {
    this.readyListeners.add(listener)
    return () => this.readyListeners.delete(listener)
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
