/**
 * Snapshots: taking, reading, comparing and reverting to them. A snapshot is an immutable copy of a
 * board's whole Yjs state with its outcome and a schematic thumbnail. They are taken by hand, at
 * every phase change, every `autoEveryMs` while the board changes, before a revert and when the
 * session is closed. Reverting writes the snapshot's records into the live board as ordinary
 * changes, so connected people converge without reloading. Closing a session, deleting a board
 * and forking a snapshot into a new board are close-session.ts, delete-board.ts, fork-board.ts.
 */
import * as Y from 'yjs'
import { newBoardId, type BoardId } from '../../shared/board-id.ts'
import { boardRecords, recordsOf } from '../../shared/doc-layout.ts'
import { facilitationOf, FacilitationKey, readFacilitation } from '../../shared/facilitation.ts'
import type { AnyRecord } from '../../shared/format/extract-outcome.ts'
import { diffRecords, stableJson, type RecordDiff } from '../../shared/snapshot.ts'
import { serverName } from '../../shared/server-names.ts'
import type { Logger } from '../log.ts'
import { inlineBoardWork, type BoardWork } from '../room/board-work.ts'
import { isLocalChange, STORAGE_ORIGIN, type Room, type RoomExtensionFactory } from '../room/room.ts'
import type { RoomRegistry } from '../room/rooms.ts'
import { localLeases, type Leases } from '../cluster/lease.ts'
import { DEFAULTS } from '../config.ts'
import { HttpError } from '../http/http-error.ts'
import type { ServerMetrics } from '../metrics.ts'
import type { BoardInfo, Storage, Snapshot, SnapshotInfo, SnapshotKind } from '../storage/storage.ts'

export interface SnapshotOptions {
  /** Automatic snapshots of a changing board at most this often (0: none). */
  autoEveryMs: number
}

export const DEFAULT_SNAPSHOT_OPTIONS: SnapshotOptions = { autoEveryMs: DEFAULTS.snapshotEveryMinutes * 60_000 }

/** A snapshot's document, for reading; the caller destroys it. */
export function snapshotDoc(snapshot: Snapshot): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, snapshot.state)
  return doc
}

export class SnapshotService {
  private readonly storage: Pick<Storage, 'catalogue' | 'snapshots'>
  private readonly rooms: RoomRegistry
  private readonly log: Logger
  /** Boards changed since their last automatic check. */
  private readonly changed = new Set<BoardId>()
  private readonly timer: ReturnType<typeof setInterval> | undefined
  private readonly autoEveryMs: number
  private stopped = false
  private readonly leases: Leases

  private readonly metrics: Pick<ServerMetrics, 'snapshotTaken'> | undefined

  private readonly work: BoardWork

  constructor(
    storage: Pick<Storage, 'catalogue' | 'snapshots'>,
    rooms: RoomRegistry,
    log: Logger,
    options: SnapshotOptions = DEFAULT_SNAPSHOT_OPTIONS,
    metrics?: Pick<ServerMetrics, 'snapshotTaken'>,
    work: BoardWork = inlineBoardWork,
    leases: Leases = localLeases(),
  ) {
    this.work = work
    this.metrics = metrics
    this.storage = storage
    this.rooms = rooms
    this.log = log
    this.leases = leases
    this.autoEveryMs = options.autoEveryMs
    rooms.use(this.extension)
    if (options.autoEveryMs > 0) {
      this.timer = setInterval(() => this.track(this.automatic()), options.autoEveryMs)
      this.timer.unref?.()
    }
  }

  /** Stops the timer and watching, and waits for snapshots being taken (before storage closes). */
  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.stopped = true
    await this.settled()
  }

  private readonly inFlight = new Set<Promise<unknown>>()

  private track(work: Promise<unknown>) {
    this.inFlight.add(work)
    void work.finally(() => this.inFlight.delete(work))
  }

  /** Resolves when the snapshots the server started by itself have been taken. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight])
  }

  /**
   * The room extension: notes changes for the timer, and takes a snapshot when a facilitator
   * moves to another phase — on the server where the change was made, not on every server that
   * relays it.
   */
  private readonly extension: RoomExtensionFactory = (room: Room) => ({
    afterLoad: async () => this.watch(room),
    onChange: (_update, origin) => {
      if (origin !== STORAGE_ORIGIN && !this.stopped) this.changed.add(room.id)
    },
  })

  private watch(room: Room) {
    const facilitation = facilitationOf(room.doc)
    facilitation.observe((event) => {
      if (this.stopped || !isLocalChange(event.transaction.origin)) return
      if (!event.keysChanged.has(FacilitationKey.phaseIndex)) return
      const before = event.changes.keys.get(FacilitationKey.phaseIndex)?.oldValue
      const f = readFacilitation(facilitation)
      const left = typeof before === 'number' ? f.agenda[before] : undefined
      const name = left ? serverName('phaseEnded', { n: before! + 1, title: left.title.nl }) : serverName('phase', { n: f.phaseIndex + 1 })
      // Clicking through several phases without changes adds no copies of the same content.
      this.track(
        this.take(room.id, { name, kind: 'phase', by: '', unlessUnchanged: true }).catch((error: unknown) =>
          this.log.error('phase snapshot failed', { board: room.id, error }),
        ),
      )
    })
  }

  /**
   * Every loaded board that changed since the last tick gets a snapshot, unless its content is
   * as in its latest one — once per interval across the cluster: the server that gets the
   * board's lease for (most of) the interval takes it, the others skip it.
   */
  async automatic(): Promise<SnapshotInfo[]> {
    const taken: SnapshotInfo[] = []
    const boards = [...this.changed]
    this.changed.clear()
    for (const id of boards) {
      try {
        // Held for most of the interval once a snapshot is taken; given back when there was nothing new.
        const lease = await this.leases.acquire(`auto-snapshot:${id}`, Math.max(1, Math.floor(this.autoEveryMs * 0.9)))
        if (!lease) continue
        const made = await this.take(id, { name: serverName('automatic'), kind: 'auto', by: '', unlessUnchanged: true }).catch(async (error: unknown) => {
          await lease.release()
          throw error
        })
        if (made) taken.push(made)
        else await lease.release()
      } catch (error) {
        this.log.error('automatic snapshot failed', { board: id, error })
      }
    }
    return taken
  }

  private async board(id: BoardId): Promise<BoardInfo> {
    const info = await this.storage.catalogue.get(id)
    if (!info) throw new HttpError(404, `board ${id} does not exist`)
    return info
  }

  take(id: BoardId, what: { name: string; kind: SnapshotKind; by: string; unlessUnchanged: true }): Promise<SnapshotInfo | null>
  take(id: BoardId, what: { name: string; kind: SnapshotKind; by: string }): Promise<SnapshotInfo>
  async take(
    id: BoardId,
    { name, kind, by, unlessUnchanged = false }: { name: string; kind: SnapshotKind; by: string; unlessUnchanged?: boolean },
  ): Promise<SnapshotInfo | null> {
    const started = performance.now()
    const info = await this.board(id)
    const updates = await this.rooms.boardUpdates(id)
    if (!updates) throw new HttpError(404, `board ${id} does not exist`)
    // Encoding, hashing, the outcome and the thumbnail happen in a worker thread.
    const parts = await this.work.snapshotParts(updates, info.title)
    // Left from before the server validated content; reports and exports skip them too.
    if (parts.skipped > 0)
      this.log.warn("board holds malformed records; they are left out of the snapshot's outcome and thumbnail", { board: id, count: parts.skipped })
    if (unlessUnchanged) {
      const [latest] = await this.storage.snapshots.list(id)
      if (latest?.contentHash === parts.contentHash) return null
    }
    const snapshot: Snapshot = {
      id: newBoardId(),
      boardId: id,
      name,
      kind,
      createdBy: by,
      createdAt: Date.now(),
      size: parts.state.byteLength,
      contentHash: parts.contentHash,
      state: parts.state,
      outcome: parts.outcome,
      thumbnail: parts.thumbnail,
    }
    await this.storage.snapshots.add(snapshot)
    const seconds = (performance.now() - started) / 1000
    this.metrics?.snapshotTaken(seconds)
    this.log.info('snapshot taken', { board: id, snapshot: snapshot.id, kind, bytes: snapshot.size, ms: Math.round(seconds * 1000) })
    const { state: _s, outcome: _o, thumbnail: _t, ...listed } = snapshot
    return listed
  }

  async get(id: BoardId, snapshotId: string): Promise<Snapshot> {
    const snapshot = await this.storage.snapshots.get(id, snapshotId)
    if (!snapshot) throw new HttpError(404, `board ${id} has no snapshot ${snapshotId}`)
    return snapshot
  }

  /** From snapshot `from` to snapshot `to` (or the live board when `to` is 'live'). */
  async compare(id: BoardId, from: string, to: string): Promise<RecordDiff> {
    const before = snapshotDoc(await this.get(id, from))
    const after = to === 'live' ? await this.rooms.readCopy(id) : snapshotDoc(await this.get(id, to))
    if (!after) throw new HttpError(404, `board ${id} does not exist`)
    try {
      return diffRecords(boardRecords<AnyRecord>(before), boardRecords<AnyRecord>(after))
    } finally {
      before.destroy()
      after.destroy()
    }
  }

  /**
   * The live board becomes the snapshot's content, as ordinary changes everyone receives. A
   * "before revert" snapshot is taken first, so the revert can itself be reverted.
   */
  async revert(id: BoardId, snapshotId: string, by: string): Promise<{ before: SnapshotInfo; diff: RecordDiff }> {
    const source = await this.get(id, snapshotId)
    if (await this.rooms.isClosed(id)) throw new HttpError(409, 'the session is closed: fork the snapshot into a new board instead')
    const target = snapshotDoc(source)
    const before = await this.take(id, { name: serverName('beforeRevert', { name: source.name }), kind: 'before-revert', by })
    const wanted = new Map(boardRecords<AnyRecord>(target).map((record) => [record.id, record]))
    let diff: RecordDiff = { added: [], removed: [], changed: [] }
    await this.rooms.change(id, (doc) => {
      const records = recordsOf<AnyRecord>(doc)
      diff = diffRecords(boardRecords<AnyRecord>(doc), wanted.values())
      for (const key of [...records.keys()]) if (!wanted.has(key)) records.delete(key)
      for (const [key, record] of wanted) {
        const current = records.get(key)
        if (!current || stableJson(current) !== stableJson(record)) records.set(key, record)
      }
    })
    target.destroy()
    this.log.info('board reverted', { board: id, snapshot: snapshotId, removed: diff.removed.length, added: diff.added.length, changed: diff.changed.length })
    return { before, diff }
  }

  /** A deleted board is no longer watched for automatic snapshots (server/session/delete-board.ts). */
  forget(id: BoardId): void {
    this.changed.delete(id)
  }
}
