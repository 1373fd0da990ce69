/** The catalogue in SQLite: the `boards` table and the tombstones in `deleted_boards`. */
import type { BoardId } from '../../../shared/board-id.ts'
import { BoardExistsError, type BoardInfo, type Catalogue } from '../catalogue.ts'
import type { SqliteConnection } from './database.ts'

interface BoardRow {
  id: string
  title: string
  created_at: number
  updated_at: number
  closed_at: number | null
}

const toInfo = (row: BoardRow): BoardInfo => ({
  id: row.id as BoardId,
  title: row.title,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  closedAt: row.closed_at ?? null,
})

export function sqliteCatalogue({ db, inTransaction, returnFreeSpace }: SqliteConnection): Catalogue {
  const insertBoard = db.prepare('INSERT INTO boards (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)')
  const selectBoard = db.prepare('SELECT id, title, created_at, updated_at, closed_at FROM boards WHERE id = ?')
  const selectBoards = db.prepare('SELECT id, title, created_at, updated_at, closed_at FROM boards ORDER BY updated_at DESC')
  const closeBoard = db.prepare('UPDATE boards SET closed_at = ? WHERE id = ?')
  const removeBoard = db.prepare('DELETE FROM boards WHERE id = ?')
  const buryBoard = db.prepare('INSERT OR REPLACE INTO deleted_boards (id, deleted_at) VALUES (?, ?)')
  const selectDeleted = db.prepare('SELECT 1 AS yes FROM deleted_boards WHERE id = ?')

  return {
    async create(id, title) {
      const now = Date.now()
      try {
        insertBoard.run(id, title, now, now)
      } catch (error) {
        if (String(error).includes('UNIQUE')) throw new BoardExistsError(id)
        throw error
      }
      return { id, title, createdAt: now, updatedAt: now, closedAt: null }
    },
    async get(id) {
      const row = selectBoard.get(id) as BoardRow | undefined
      return row ? toInfo(row) : null
    },
    async list() {
      return (selectBoards.all() as unknown as BoardRow[]).map(toInfo)
    },
    async setClosed(id, closedAt) {
      closeBoard.run(closedAt, id)
    },
    async delete(id) {
      // Spans stores: the log, late updates, snapshots, votes, members and notes go with the board
      // row (ON DELETE CASCADE), in the same transaction as the tombstone.
      const existed = inTransaction(() => {
        const removed = Number(removeBoard.run(id).changes) > 0
        if (removed) buryBoard.run(id, Date.now())
        return removed
      })
      if (existed) returnFreeSpace()
      return existed
    },
    async isDeleted(id) {
      return selectDeleted.get(id) !== undefined
    },
  }
}
