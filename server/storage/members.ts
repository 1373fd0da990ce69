/** The people who took part in a board: only the SHA-256 of their browser's member key. */
import type { BoardId } from '../../shared/board-id.ts'

export interface MemberStore {
  /** The most member keys a board keeps (StorageOptions). */
  readonly maxPerBoard: number
  /**
   * Someone joined the board to work on it: the SHA-256 of their member key (no name, nothing
   * else), so the archive can say how many people took part. Idempotent; a board keeps at most
   * maxPerBoard of them (further keys are not counted); nothing for a board not in the catalogue.
   */
  add(id: BoardId, keyHash: string, role: 'facilitator' | 'participant'): Promise<void>
  /** How many different people (member keys) joined the board as participant or facilitator. */
  count(id: BoardId): Promise<number>
}
