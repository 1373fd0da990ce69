/**
 * What the memory backend keeps, shared by its stores: one object, so deleting a board (which
 * spans stores) clears every map in one synchronous step, as the databases do in one transaction.
 */
import type { BoardId } from '../../../shared/board-id.ts'
import type { VoteState } from '../../../shared/voting.ts'
import { BoardDeletedError, type BoardInfo } from '../catalogue.ts'
import type { FacilitatorNote } from '../notes.ts'
import type { Snapshot } from '../snapshots.ts'

export interface MemoryVote {
  boardId: BoardId
  state: VoteState
  /** Dots per voter, per card. */
  dots: Map<string, Map<string, number>>
  /** Request ids taken, per voter. */
  requests: Map<string, string[]>
}

export interface MemoryState {
  open: boolean
  boards: Map<BoardId, BoardInfo>
  deleted: Set<BoardId>
  logs: Map<BoardId, { seq: number; data: Uint8Array }[]>
  /** The last `seq` given to an update (the watermark of loadLog). */
  seq: number
  late: Map<BoardId, Uint8Array[]>
  snapshots: Map<BoardId, Snapshot[]>
  votes: Map<string, MemoryVote>
  members: Map<BoardId, Set<string>>
  notes: Map<BoardId, FacilitatorNote[]>
  records: Map<string, Map<string, string>>
}

export function createMemoryState(): MemoryState {
  return {
    open: true,
    boards: new Map(),
    deleted: new Set(),
    logs: new Map(),
    seq: 0,
    late: new Map(),
    snapshots: new Map(),
    votes: new Map(),
    members: new Map(),
    notes: new Map(),
    records: new Map(),
  }
}

/** The board's log, registering the board (as an append does); BoardDeletedError for a deleted one. */
export function ensureBoard(state: MemoryState, id: BoardId) {
  if (state.deleted.has(id)) throw new BoardDeletedError(id)
  const now = Date.now()
  const info = state.boards.get(id) ?? { id, title: '', createdAt: now, updatedAt: now, closedAt: null }
  state.boards.set(id, { ...info, updatedAt: now })
  if (!state.logs.has(id)) state.logs.set(id, [])
  return state.logs.get(id)!
}
