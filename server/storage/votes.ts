/**
 * Dot votes and their dots. Open votes live here, not in a server's memory: any process serves
 * them and a restart loses nothing.
 */
import type { BoardId } from '../../shared/board-id.ts'
import type { VoteState } from '../../shared/voting.ts'

export interface VoteStore {
  /** Opens a dot vote (`state.open` true, no results); false when the board already has an open one. */
  open(id: BoardId, state: VoteState): Promise<boolean>
  /** The board's open vote, or null. */
  current(id: BoardId): Promise<VoteState | null>
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
  close(id: BoardId, voteId: string): Promise<ClosedVote | null>
  /** Open votes whose end time has passed (any process may close them; one will). */
  due(now: number): Promise<{ boardId: BoardId; voteId: string }[]>
}

/**
 * Request ids of dots remembered per voter and vote. A retry follows its request within seconds
 * (when the connection is back); a person places at most 20 dots, so 100 casts back is far more
 * than any retry needs, and a vote of 500 voters keeps at most 50,000 short rows until it closes.
 */
export const DOT_REQUESTS_KEPT = 100

export type DotResult = { ok: true; mine: Record<string, number> } | { ok: false; reason: 'no-vote' | 'all-placed' | 'none-there' }

export interface ClosedVote {
  state: VoteState
  /** Dots per card. */
  tallies: Map<string, number>
  voters: number
}

/** A vote row as both databases return it. */
export function voteStateOf(row: { id: string; frame_id: string; dots: number; ends_at: number | string | null }, open: boolean): VoteState {
  return { id: row.id, frameId: row.frame_id, dots: Number(row.dots), endsAt: row.ends_at === null ? null : Number(row.ends_at), open, results: [] }
}
