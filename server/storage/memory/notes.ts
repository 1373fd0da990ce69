/** Facilitator notes in memory. */
import type { NoteStore } from '../notes.ts'
import type { MemoryState } from './state.ts'

export function memoryNotes({ boards, notes }: MemoryState): NoteStore {
  return {
    async add(note) {
      if (!boards.has(note.boardId)) throw new Error(`no board ${note.boardId}`)
      const list = notes.get(note.boardId) ?? []
      if (list.some((n) => n.id === note.id)) throw new Error(`note ${note.id} exists`)
      notes.set(note.boardId, [...list, { ...note }])
    },
    async list(id) {
      return (notes.get(id) ?? []).map((n) => ({ ...n }))
    },
    async delete(id, noteId) {
      const list = notes.get(id) ?? []
      notes.set(
        id,
        list.filter((n) => n.id !== noteId),
      )
      return list.some((n) => n.id === noteId)
    },
  }
}
