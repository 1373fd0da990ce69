/** The catalogue: which boards exist, their titles, whether a session is closed, which ids were deleted. */
import type { BoardId } from '../../shared/board-id.ts'

export interface BoardInfo {
  id: BoardId
  title: string
  createdAt: number
  updatedAt: number
  /** When a facilitator closed the session (the board is read-only since), else null. */
  closedAt: number | null
}

export interface Catalogue {
  /** Registers a board; refuses an id that exists (BoardExistsError). */
  create(id: BoardId, title: string): Promise<BoardInfo>
  /** The board's catalogue entry, or null when nothing is stored for that id. */
  get(id: BoardId): Promise<BoardInfo | null>
  /** Every board, newest change first. */
  list(): Promise<BoardInfo[]>
  /** Marks the session closed (read-only from now on). */
  setClosed(id: BoardId, closedAt: number): Promise<void>
  /**
   * Removes the board and everything stored for it in the other stores — its log and late
   * updates, snapshots, votes and dots, members, facilitator notes — leaving a tombstone; false
   * when there was no such board. Spans stores: one transaction in the databases (the rows go by
   * ON DELETE CASCADE from `boards`), one synchronous step in memory; nothing of it stays behind.
   */
  delete(id: BoardId): Promise<boolean>
  /** Whether the id belonged to a board that was deleted (it is never served again). */
  isDeleted(id: BoardId): Promise<boolean>
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
