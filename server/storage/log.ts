/**
 * A board's update log: the board is stored as Yjs updates; `compact` replaces them by one update
 * holding the whole state. Late updates (arriving after the session closed) are kept beside it.
 */
import type { BoardId } from '../../shared/board-id.ts'

export interface UpdateLog {
  /** Every stored update of the board, oldest first (empty for a new board). */
  load(id: BoardId): Promise<Uint8Array[]>
  /**
   * The log with its watermark: `through` marks the last update read (0 for none). Compacting
   * with it replaces only what was read — updates another process appends meanwhile stay.
   */
  loadLog(id: BoardId): Promise<{ updates: Uint8Array[]; through: number }>
  /**
   * Appends updates durably, in one transaction; registers the board in the catalogue if it is
   * new. Spans the catalogue: throws BoardDeletedError for a deleted board's id, checked in the
   * same transaction as the write, so an update still on its way when the board was deleted can
   * never bring it back.
   */
  append(id: BoardId, updates: Uint8Array[]): Promise<void>
  /**
   * Replaces the log up to the watermark `through` (from loadLog; the whole log when omitted)
   * by `state`, one update that contains all of it. BoardDeletedError for a deleted board (as append).
   */
  compact(id: BoardId, state: Uint8Array, through?: number): Promise<void>
  /** Number of stored updates of the board (compaction brings it to 1). */
  countUpdates(id: BoardId): Promise<number>
  /** Keeps an update that arrived after the session was closed (refused, but not thrown away). */
  addLateUpdate(id: BoardId, update: Uint8Array): Promise<void>
  /** How many late updates the board has, and their bytes (they are capped). */
  lateUpdateStats(id: BoardId): Promise<{ count: number; bytes: number }>
  /** The board's late updates, oldest first. */
  loadLateUpdates(id: BoardId): Promise<Uint8Array[]>
}
