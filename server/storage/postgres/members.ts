/** Members in PostgreSQL: `board_members`. */
import type { MemberStore } from '../members.ts'
import type { PostgresConnection } from './database.ts'

export function postgresMembers({ pool, one }: PostgresConnection, maxPerBoard: number): MemberStore {
  return {
    maxPerBoard,
    async add(id, keyHash, role) {
      // Bounded per board (maxPerBoard); two processes racing at the bound may add one or two more.
      await pool.query(
        `INSERT INTO board_members (board_id, key_hash, role, first_seen)
        SELECT id, $2, $3, $4 FROM boards WHERE id = $1 AND (SELECT COUNT(*) FROM board_members WHERE board_id = $1) < $5
        ON CONFLICT DO NOTHING`,
        [id, keyHash, role, Date.now(), maxPerBoard],
      )
    },
    async count(id) {
      return Number((await one<{ n: string }>('SELECT COUNT(*) AS n FROM board_members WHERE board_id = $1', [id]))!.n)
    },
  }
}
