/**
 * Where boards live between sessions. A board is stored as a log of Yjs updates; `compact`
 * replaces the log by one update holding the whole state. Every implementation runs through
 * the same contract suite (tests/server/storage-contract.ts).
 */
import type { BoardId } from '../../shared/board-id.ts'
import { Limits } from '../../shared/protocol.ts'
import type { SnapshotKind } from '../../shared/snapshot.ts'
import type { VoteState } from '../../shared/voting.ts'

export interface BoardInfo {
  id: BoardId
  title: string
  createdAt: number
  updatedAt: number
  /** When a facilitator closed the session (the board is read-only since), else null. */
  closedAt: number | null
}

export type { SnapshotKind }

/** A snapshot as listed: everything but its content. */
export interface SnapshotInfo {
  id: string
  boardId: BoardId
  name: string
  kind: SnapshotKind
  /** Display name of who took it ('' for the server's automatic snapshots). */
  createdBy: string
  createdAt: number
  /** Bytes of the Yjs state. */
  size: number
  /** SHA-256 of the records, to skip automatic snapshots of an unchanged board. */
  contentHash: string
}

/** A snapshot with its content: the full Yjs state, the outcome (JSON) and a thumbnail (SVG). */
export interface Snapshot extends SnapshotInfo {
  state: Uint8Array
  outcome: string
  thumbnail: string
}

/**
 * A note only facilitators see (the running order, who needs attention, what to bring up):
 * kept beside the board, never in its document, so no participant or viewer ever receives it.
 */
export interface FacilitatorNote {
  id: string
  boardId: BoardId
  text: string
  /** Display name of the facilitator who wrote it. */
  createdBy: string
  createdAt: number
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

export interface BoardStorage {
  /** The most member keys a board keeps (StorageOptions). */
  readonly maxMembersPerBoard: number
  /** Registers a board; refuses an id that exists. */
  createBoard(id: BoardId, title: string): Promise<BoardInfo>
  /** The board's catalogue entry, or null when nothing is stored for that id. */
  getBoard(id: BoardId): Promise<BoardInfo | null>
  /** Every stored update of the board, oldest first (empty for a new board). */
  load(id: BoardId): Promise<Uint8Array[]>
  /**
   * The log with its watermark: `through` marks the last update read (0 for none). Compacting
   * with it replaces only what was read — updates another process appends meanwhile stay.
   */
  loadLog(id: BoardId): Promise<{ updates: Uint8Array[]; through: number }>
  /**
   * Appends updates durably, in one transaction; registers the board if it is new. Throws
   * BoardDeletedError for a deleted board's id (checked in the same transaction), so an update
   * still on its way when the board was deleted can never bring it back.
   */
  append(id: BoardId, updates: Uint8Array[]): Promise<void>
  /**
   * Replaces the log up to the watermark `through` (from loadLog; the whole log when omitted)
   * by `state`, one update that contains all of it. BoardDeletedError for a deleted board.
   */
  compact(id: BoardId, state: Uint8Array, through?: number): Promise<void>
  /** Number of stored updates of the board (compaction brings it to 1). */
  countUpdates(id: BoardId): Promise<number>
  /** Every board, newest change first. */
  listBoards(): Promise<BoardInfo[]>
  /** Marks the session closed (read-only from now on). */
  setClosed(id: BoardId, closedAt: number): Promise<void>
  /** Removes the board, its log and its snapshots, leaving a tombstone; false when there was no such board. */
  deleteBoard(id: BoardId): Promise<boolean>
  /** Whether the id belonged to a board that was deleted (it is never served again). */
  isDeleted(id: BoardId): Promise<boolean>
  /** Keeps an update that arrived after the session was closed (refused, but not thrown away). */
  addLateUpdate(id: BoardId, update: Uint8Array): Promise<void>
  /** How many late updates the board has, and their bytes (they are capped). */
  lateUpdateStats(id: BoardId): Promise<{ count: number; bytes: number }>
  /** The board's late updates, oldest first. */
  loadLateUpdates(id: BoardId): Promise<Uint8Array[]>
  /** Stores a snapshot (immutable: an id is never written twice). */
  /**
   * Someone joined the board to work on it: the SHA-256 of their browser's member key (no name,
   * nothing else), so the archive can say how many people took part. Idempotent; a board keeps
   * at most maxMembersPerBoard of them (further keys are not counted).
   */
  addMember(id: BoardId, keyHash: string, role: 'facilitator' | 'participant'): Promise<void>
  /** How many different people (member keys) joined the board as participant or facilitator. */
  countMembers(id: BoardId): Promise<number>
  /** Facilitator-only notes, oldest first; deleted with the board. */
  addFacilitatorNote(note: FacilitatorNote): Promise<void>
  listFacilitatorNotes(id: BoardId): Promise<FacilitatorNote[]>
  /** Whether the note existed. */
  deleteFacilitatorNote(id: BoardId, noteId: string): Promise<boolean>
  addSnapshot(snapshot: Snapshot): Promise<void>
  /**
   * Opens a dot vote (`state.open` true, no results); false when the board already has an open
   * one. Open votes and their dots live here, not in a server's memory: any process serves them
   * and a restart loses nothing.
   */
  openVote(id: BoardId, state: VoteState): Promise<boolean>
  /** The board's open vote, or null. */
  openVoteOf(id: BoardId): Promise<VoteState | null>
  /**
   * Places (+1) or takes back (-1) one dot, atomically against every other process: never more
   * than the vote's dots per voter, never below zero on a card. With a `requestId` this voter's
   * cast already took (a retry after a lost answer), nothing changes and her dots come back as
   * they are; the latest DOT_REQUESTS_KEPT request ids per voter and vote are remembered.
   */
  castDot(id: BoardId, voteId: string, voter: string, shapeId: string, delta: 1 | -1, requestId?: string): Promise<DotResult>
  /** A voter's dots in a vote, per card. */
  dotsOf(id: BoardId, voteId: string, voter: string): Promise<Record<string, number>>
  /**
   * Closes the vote and returns its tallies — to exactly one caller in the whole cluster (the
   * others, and a second call, get null).
   */
  closeVote(id: BoardId, voteId: string): Promise<ClosedVote | null>
  /** Open votes whose end time has passed (any process may close them; one will). */
  dueVotes(now: number): Promise<{ boardId: BoardId; voteId: string }[]>
  /** The board's snapshots without content, newest first. */
  listSnapshots(id: BoardId): Promise<SnapshotInfo[]>
  getSnapshot(id: BoardId, snapshotId: string): Promise<Snapshot | null>
  /**
   * Small JSON records by scope (a programme), kind and id, listed in the order they were first
   * written (server/programmes/programmes.ts keeps programmes, their boards, action lines and progress
   * updates this way). `putRecord` writes or replaces one (its place in the order stays).
   */
  putRecord(scope: string, kind: string, id: string, json: string): Promise<void>
  /** Writes a record that must not exist yet (append-only histories); false when it does. */
  insertRecord(scope: string, kind: string, id: string, json: string): Promise<boolean>
  getRecord(scope: string, kind: string, id: string): Promise<string | null>
  /**
   * Removes a record for good (personal data on request), from the database's files too: no copy
   * stays readable in SQLite's file or log, nor in PostgreSQL's table; false when there was none.
   */
  deleteRecord(scope: string, kind: string, id: string): Promise<boolean>
  listRecords(scope: string, kind: string): Promise<{ id: string; json: string }[]>
  /** Bytes the storage takes (the DATA_DIR quota). */
  usageBytes(): Promise<number>
  /** Resolves when the storage answers a trivial query (readiness); rejects when it cannot. */
  ping(): Promise<void>
  close(): Promise<void>
}

/**
 * Request ids of dots remembered per voter and vote. A retry follows its request within seconds
 * (when the connection is back); a person places at most 20 dots, so 100 casts back is far more
 * than any retry needs, and a vote of 500 voters keeps at most 50,000 short rows until it closes.
 */
export const DOT_REQUESTS_KEPT = 100

export type DotResult =
  | { ok: true; mine: Record<string, number> }
  | { ok: false; reason: 'no-vote' | 'all-placed' | 'none-there' }

export interface ClosedVote {
  state: VoteState
  /** Dots per card. */
  tallies: Map<string, number>
  voters: number
}

/** A snapshot row as both databases return it (PostgreSQL's BIGINTs come as strings). */
export interface SnapshotRow {
  id: string
  board_id: string
  name: string
  kind: string
  created_by: string
  created_at: number | string
  size: number | string
  content_hash: string
}

export function snapshotInfoOf(row: SnapshotRow): SnapshotInfo {
  return {
    id: row.id,
    boardId: row.board_id as BoardId,
    name: row.name,
    kind: row.kind as SnapshotKind,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    size: Number(row.size),
    contentHash: row.content_hash,
  }
}

/** The board was deleted: nothing is written for it any more. */
export class BoardDeletedError extends Error {
  readonly id: BoardId
  constructor(id: BoardId) {
    super(`board ${id} was deleted`)
    this.id = id
  }
}

export class BoardExistsError extends Error {
  readonly id: BoardId
  constructor(id: BoardId) {
    super(`board ${id} already exists`)
    this.id = id
  }
}

/** Whether an error is the disk (or the database's size limit) being full: SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100), or ENOSPC. */
export function isStorageFull(error: unknown): boolean {
  const e = error as { errcode?: number; code?: string; message?: string } | null
  return e?.errcode === 13 || e?.code === 'ENOSPC' || e?.code === '53100' || /database or disk is full|SQLITE_FULL|ENOSPC/.test(String(e?.message))
}
