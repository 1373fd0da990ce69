/**
 * Where boards live between sessions: a few focused stores, composed into one `Storage` that the
 * server wires up. Each store has its own contract suite (tests/server/storage/*.contract.ts),
 * run on every backend (SQLite, PostgreSQL, memory). A backend opens one connection (or pool)
 * and one schema, shared by its stores, so an operation that spans stores stays one transaction:
 * `catalogue.delete` removes what every other store keeps for the board, and `log.append` /
 * `log.compact` check the catalogue's tombstone in the transaction that writes.
 */
import { Limits } from '../../shared/protocol.ts'
import type { Catalogue } from './catalogue.ts'
import type { UpdateLog } from './log.ts'
import type { MemberStore } from './members.ts'
import type { NoteStore } from './notes.ts'
import type { RecordStore } from './records.ts'
import type { SnapshotStore } from './snapshots.ts'
import type { VoteStore } from './votes.ts'

export type { BoardInfo, Catalogue } from './catalogue.ts'
export { BoardDeletedError, BoardExistsError } from './catalogue.ts'
export type { UpdateLog } from './log.ts'
export type { Snapshot, SnapshotInfo, SnapshotKind, SnapshotStore } from './snapshots.ts'
export type { ClosedVote, DotResult, VoteStore } from './votes.ts'
export { DOT_REQUESTS_KEPT } from './votes.ts'
export type { MemberStore } from './members.ts'
export type { FacilitatorNote, NoteStore } from './notes.ts'
export type { RecordStore } from './records.ts'

export interface Storage {
  /** Each board's Yjs updates (and late updates). */
  readonly log: UpdateLog
  /** Which boards exist, their titles, closing, deletion. */
  readonly catalogue: Catalogue
  readonly snapshots: SnapshotStore
  readonly votes: VoteStore
  /** Who took part (hashed member keys). */
  readonly members: MemberStore
  /** Facilitator-only notes. */
  readonly notes: NoteStore
  /** JSON records of the programmes (the vliegwiel). */
  readonly records: RecordStore
  /** Bytes the storage takes (the DATA_DIR quota). */
  usageBytes(): Promise<number>
  /** Resolves when the storage answers a trivial query (readiness); rejects when it cannot. */
  ping(): Promise<void>
  close(): Promise<void>
}

/** What an implementation is opened with (each has a default). */
export interface StorageOptions {
  /** People (member keys) remembered per board; Limits.maxMembersPerBoard (10,000) by default. */
  maxMembersPerBoard?: number
}

/** The bounds of a storage: the options with their defaults. */
export function storageBounds(options: StorageOptions): Required<StorageOptions> {
  return { maxMembersPerBoard: options.maxMembersPerBoard ?? Limits.maxMembersPerBoard }
}

/** Whether an error is the disk (or the database's size limit) being full: SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100), or ENOSPC. */
export function isStorageFull(error: unknown): boolean {
  const e = error as { errcode?: number; code?: string; message?: string } | null
  return e?.errcode === 13 || e?.code === 'ENOSPC' || e?.code === '53100' || /database or disk is full|SQLITE_FULL|ENOSPC/.test(String(e?.message))
}
