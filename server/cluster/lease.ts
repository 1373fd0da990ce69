/**
 * Leases for work that must happen once per board across all server processes — automatic
 * snapshots, compaction, keeping what a dead process left — as a lease per board and task.
 *
 * In a cluster the lease is Redis `SET key token NX PX ttl` (server/cluster/cluster.ts): a single atomic
 * command, expiring by itself when its holder dies, with no extra service; the token is a
 * fencing number from `INCR` (higher for every new holder), and a holder releases only a lease
 * that still carries its own token (compare-and-delete in one Lua call), so a holder that
 * stalled past its time cannot free the next holder's lease. A PostgreSQL advisory lock would
 * tie each lease to a held connection for its whole duration (a lease "for the next ten
 * minutes" would hold one per board), and would not expire on its own when a process hangs.
 *
 * What needs more than "at most one at a time" is made safe where the data is: compaction
 * deletes only through its watermark, a vote closes with one conditional UPDATE, and the
 * deletion tombstone is checked where updates are stored.
 */
export interface Lease {
  /** Higher for every new holder of the same key. */
  readonly token: number
  release(): Promise<void>
}

/** Who may do a task now: at most one holder per key (across processes in a cluster). */
export interface Leases {
  /** The lease for `key` for `ttlMs`, or null when another holds it. */
  acquire(key: string, ttlMs: number): Promise<Lease | null>
}

/** Runs `fn` holding the lease `key`, then releases it; false (and nothing run) when another holds it. */
export async function once(leases: Leases, key: string, ttlMs: number, fn: () => Promise<void>): Promise<boolean> {
  const lease = await leases.acquire(key, ttlMs)
  if (!lease) return false
  try {
    await fn()
  } finally {
    await lease.release()
  }
  return true
}

/** One process: leases in memory. */
export function localLeases(now: () => number = Date.now): Leases {
  const held = new Map<string, { token: number; until: number }>()
  let tokens = 0
  return {
    async acquire(key, ttlMs) {
      const current = held.get(key)
      if (current && current.until > now()) return null
      const token = ++tokens
      held.set(key, { token, until: now() + ttlMs })
      return {
        token,
        async release() {
          if (held.get(key)?.token === token) held.delete(key)
        },
      }
    },
  }
}
