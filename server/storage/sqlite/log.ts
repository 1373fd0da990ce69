/** The update log in SQLite: `updates` and `late_updates`. */
import { BoardDeletedError } from '../catalogue.ts'
import type { UpdateLog } from '../log.ts'
import type { SqliteConnection } from './database.ts'

export function sqliteLog({ db, inTransaction, returnFreeSpace }: SqliteConnection): UpdateLog {
  // The catalogue's rows, touched in the log's own transactions (see append).
  const ensureBoard = db.prepare("INSERT OR IGNORE INTO boards (id, title, created_at, updated_at) VALUES (?, '', ?, ?)")
  const touchBoard = db.prepare('UPDATE boards SET updated_at = ? WHERE id = ?')
  const selectDeleted = db.prepare('SELECT 1 AS yes FROM deleted_boards WHERE id = ?')
  const selectUpdates = db.prepare('SELECT data FROM updates WHERE board_id = ? ORDER BY seq')
  const selectLog = db.prepare('SELECT seq, data FROM updates WHERE board_id = ? ORDER BY seq')
  const insertUpdate = db.prepare('INSERT INTO updates (board_id, data) VALUES (?, ?)')
  const deleteUpdates = db.prepare('DELETE FROM updates WHERE board_id = ? AND seq <= ?')
  const countRows = db.prepare('SELECT COUNT(*) AS n FROM updates WHERE board_id = ?')
  const insertLate = db.prepare('INSERT INTO late_updates (board_id, received_at, data) VALUES (?, ?, ?)')
  const lateStats = db.prepare('SELECT COUNT(*) AS count, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM late_updates WHERE board_id = ?')
  const selectLate = db.prepare('SELECT data FROM late_updates WHERE board_id = ? ORDER BY seq')

  return {
    async load(id) {
      return (selectUpdates.all(id) as { data: Uint8Array }[]).map((row) => new Uint8Array(row.data))
    },
    async loadLog(id) {
      const rows = selectLog.all(id) as { seq: number; data: Uint8Array }[]
      return { updates: rows.map((row) => new Uint8Array(row.data)), through: Number(rows.at(-1)?.seq ?? 0) }
    },
    async append(id, updates) {
      if (updates.length === 0) return
      const now = Date.now()
      // Spans the catalogue: tombstone check, board row and updates in one transaction.
      inTransaction(() => {
        if (selectDeleted.get(id)) throw new BoardDeletedError(id)
        ensureBoard.run(id, now, now)
        for (const update of updates) insertUpdate.run(id, update)
        touchBoard.run(now, id)
      })
    },
    async compact(id, state, through = Number.MAX_SAFE_INTEGER) {
      const now = Date.now()
      inTransaction(() => {
        if (selectDeleted.get(id)) throw new BoardDeletedError(id)
        ensureBoard.run(id, now, now)
        deleteUpdates.run(id, through)
        insertUpdate.run(id, state)
      })
      returnFreeSpace()
    },
    async countUpdates(id) {
      return (countRows.get(id) as { n: number }).n
    },
    async addLateUpdate(id, update) {
      insertLate.run(id, Date.now(), update)
    },
    async lateUpdateStats(id) {
      const row = lateStats.get(id) as { count: number; bytes: number }
      return { count: Number(row.count), bytes: Number(row.bytes) }
    },
    async loadLateUpdates(id) {
      return (selectLate.all(id) as { data: Uint8Array }[]).map((row) => new Uint8Array(row.data))
    },
  }
}
