/** Facilitator notes in PostgreSQL: `facilitator_notes`. */
import type { BoardId } from '../../../shared/board-id.ts'
import type { NoteStore } from '../notes.ts'
import type { PostgresConnection } from './database.ts'

export function postgresNotes({ pool }: PostgresConnection): NoteStore {
  return {
    async add(n) {
      await pool.query('INSERT INTO facilitator_notes (id, board_id, text, created_by, created_at) VALUES ($1, $2, $3, $4, $5)', [
        n.id,
        n.boardId,
        n.text,
        n.createdBy,
        n.createdAt,
      ])
    },
    async list(id) {
      const { rows } = await pool.query<{ id: string; board_id: string; text: string; created_by: string; created_at: string }>(
        'SELECT id, board_id, text, created_by, created_at FROM facilitator_notes WHERE board_id = $1 ORDER BY created_at, seq',
        [id],
      )
      return rows.map((r) => ({ id: r.id, boardId: r.board_id as BoardId, text: r.text, createdBy: r.created_by, createdAt: Number(r.created_at) }))
    },
    async delete(id, noteId) {
      return Boolean((await pool.query('DELETE FROM facilitator_notes WHERE board_id = $1 AND id = $2', [id, noteId])).rowCount)
    },
  }
}
