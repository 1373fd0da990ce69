/**
 * Where boards live between sessions. A board is stored as a log of Yjs updates; `compact`
 * replaces the log by one update holding the whole state. Every implementation runs through
 * the same contract suite (tests/server/storage-contract.ts).
 */
import type { BoardId } from '../shared/board-id.ts'

export interface BoardInfo {
  id: BoardId
  title: string
  createdAt: number
  updatedAt: number
}

export interface BoardStorage {
  /** Registers a board; refuses an id that exists. */
  createBoard(id: BoardId, title: string): Promise<BoardInfo>
  /** The board's catalogue entry, or null when nothing is stored for that id. */
  getBoard(id: BoardId): Promise<BoardInfo | null>
  /** Every stored update of the board, oldest first (empty for a new board). */
  load(id: BoardId): Promise<Uint8Array[]>
  /** Appends updates durably, in one transaction; registers the board if it is new. */
  append(id: BoardId, updates: Uint8Array[]): Promise<void>
  /** Replaces the board's whole log by `state` (one update that contains all of it). */
  compact(id: BoardId, state: Uint8Array): Promise<void>
  /** Number of stored updates of the board (compaction brings it to 1). */
  countUpdates(id: BoardId): Promise<number>
  close(): Promise<void>
}

export class BoardExistsError extends Error {
  readonly id: BoardId
  constructor(id: BoardId) {
    super(`board ${id} already exists`)
    this.id = id
  }
}
