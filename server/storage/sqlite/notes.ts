/** Facilitator notes in SQLite: `facilitator_notes`. */
import type { BoardId } from '../../../shared/board-id.ts'
import type { NoteStore } from '../notes.ts'
import type { SqliteConnection } from './database.ts'

export function sqliteNotes({ db }: SqliteConnection): NoteStore {
  const insertNote = db.prepare('INSERT INTO facilitator_notes (id, board_id, text, created_by, created_at) VALUES (?, ?, ?, ?, ?)')
  const selectNotes = db.prepare('SELECT id, board_id, text, created_by, created_at FROM facilitator_notes WHERE board_id = ? ORDER BY created_at, rowid')
  const removeNote = db.prepare('DELETE FROM facilitator_notes WHERE board_id = ? AND id = ?')

  return {
    async add(n) {
      insertNote.run(n.id, n.boardId, n.text, n.createdBy, n.createdAt)
    },
    async list(id) {
      return (selectNotes.all(id) as { id: string; board_id: string; text: string; created_by: string; created_at: number }[]).map((r) => ({
        id: r.id,
        boardId: r.board_id as BoardId,
        text: r.text,
        createdBy: r.created_by,
        createdAt: Number(r.created_at),
      }))
    },
    async delete(id, noteId) {
      return Number(removeNote.run(id, noteId).changes) > 0
    },
  }
}
