/**
 * Voters who were on a board moments ago. A dot is an HTTP call, taken only from a browser whose
 * connection published its member key's hash (server/session/votes.ts); when a participant's Wi-Fi
 * blips, her socket is gone for the seconds until the page reconnects, and a dot placed then was
 * refused 403 — an honest action refused (issue 19: 16 dots in the 30-minute soak). A key whose
 * connection closed within the grace is still a voter of that board; a key never seen on the
 * board still gets 403.
 */
import type { BoardId } from '../../shared/board-id.ts'

/**
 * How long a voter's key outlives its connection. The page reconnects within ~10 s of a drop
 * (its watchdog, then y-websocket's backoff of at most 5 s); two minutes also covers a laptop
 * lid closed over a short walk, and is short enough that a browser long gone does not vote.
 */
export const VOTER_GRACE_MS = 2 * 60_000
/** Departures remembered per process (oldest forgotten first); a conference day has a few thousand. */
const MAX_REMEMBERED = 10_000

export interface RecentVoters {
  /** A voter's connection on the board (here or, seen from here, on another process) closed. */
  left(boardId: BoardId, keyHash: string): void
  /** Whether a connection with this key hash closed on the board within the grace. */
  wasHere(boardId: BoardId, keyHash: string): Promise<boolean>
}

/** The departures one process saw, in memory (they outlive the board's room, which unloads when idle). */
export class LocalRecentVoters implements RecentVoters {
  /** `board key-hash` → when it left, oldest first. */
  private readonly leftAt = new Map<string, number>()
  readonly graceMs: number
  readonly now: () => number

  constructor(now: () => number = Date.now, graceMs = VOTER_GRACE_MS) {
    this.now = now
    this.graceMs = graceMs
  }

  left(boardId: BoardId, keyHash: string): void {
    const key = `${boardId} ${keyHash}`
    this.leftAt.delete(key)
    this.leftAt.set(key, this.now())
    for (const [old, at] of this.leftAt) {
      if (this.leftAt.size <= MAX_REMEMBERED && this.now() - at <= this.graceMs) break
      this.leftAt.delete(old)
    }
  }

  async wasHere(boardId: BoardId, keyHash: string): Promise<boolean> {
    return this.within(this.leftAt.get(`${boardId} ${keyHash}`))
  }

  /** Whether a departure at `at` is within the grace now. */
  within(at: number | undefined): boolean {
    return at !== undefined && this.now() - at <= this.graceMs
  }
}
