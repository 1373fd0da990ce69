/** Members in SQLite: `board_members`. */
import type { MemberStore } from '../members.ts'
import type { SqliteConnection } from './database.ts'

export function sqliteMembers({ db }: SqliteConnection, maxPerBoard: number): MemberStore {
  // Bounded per board (maxPerBoard): the count of a full board stops growing.
  const insertMember = db.prepare(`INSERT OR IGNORE INTO board_members (board_id, key_hash, role, first_seen)
    SELECT id, ?, ?, ? FROM boards WHERE id = ? AND (SELECT COUNT(*) FROM board_members WHERE board_id = boards.id) < ?`)
  const countMemberRows = db.prepare('SELECT COUNT(*) AS n FROM board_members WHERE board_id = ?')

  return {
    maxPerBoard,
    async add(id, keyHash, role) {
      insertMember.run(keyHash, role, Date.now(), id, maxPerBoard)
    },
    async count(id) {
      return Number((countMemberRows.get(id) as { n: number }).n)
    },
  }
}
