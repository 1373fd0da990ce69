/** The catalogue in PostgreSQL: the `boards` table and the tombstones in `deleted_boards`. */
import type { BoardId } from '../../../shared/board-id.ts'
import { BoardExistsError, type BoardInfo, type Catalogue } from '../catalogue.ts'
import type { PostgresConnection } from './database.ts'

interface BoardRow {
  id: string
  title: string
  created_at: string
  updated_at: string
  closed_at: string | null
}

const toInfo = (row: BoardRow): BoardInfo => ({
  id: row.id as BoardId,
  title: row.title,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
  closedAt: row.closed_at === null ? null : Number(row.closed_at),
})

export function postgresCatalogue({ pool, one, transaction }: PostgresConnection): Catalogue {
  return {
    async create(id, title) {
      const now = Date.now()
      try {
        await pool.query('INSERT INTO boards (id, title, created_at, updated_at) VALUES ($1, $2, $3, $3)', [id, title, now])
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw new BoardExistsError(id)
        throw error
      }
      return { id, title, createdAt: now, updatedAt: now, closedAt: null }
    },
    async get(id) {
      const row = await one<BoardRow>('SELECT id, title, created_at, updated_at, closed_at FROM boards WHERE id = $1', [id])
      return row ? toInfo(row) : null
    },
    async list() {
      return (await pool.query<BoardRow>('SELECT id, title, created_at, updated_at, closed_at FROM boards ORDER BY updated_at DESC')).rows.map(toInfo)
    },
    async setClosed(id, closedAt) {
      await pool.query('UPDATE boards SET closed_at = $2 WHERE id = $1', [id, closedAt])
    },
    async delete(id) {
      return transaction(async (client) => {
        // Spans stores: its log, late updates, snapshots, votes, members and notes go with the
        // board row (ON DELETE CASCADE), in the same transaction as the tombstone.
        const { rowCount } = await client.query('DELETE FROM boards WHERE id = $1', [id])
        if (!rowCount) return false
        await client.query('INSERT INTO deleted_boards (id, deleted_at) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET deleted_at = EXCLUDED.deleted_at', [
          id,
          Date.now(),
        ])
        return true
      })
    },
    async isDeleted(id) {
      return Boolean((await pool.query('SELECT 1 FROM deleted_boards WHERE id = $1', [id])).rowCount)
    },
  }
}
