/** The catalogue in memory. */
import { BoardExistsError, type Catalogue } from '../catalogue.ts'
import type { MemoryState } from './state.ts'

export function memoryCatalogue(state: MemoryState): Catalogue {
  return {
    async create(id, title) {
      if (state.boards.has(id)) throw new BoardExistsError(id)
      const now = Date.now()
      const info = { id, title, createdAt: now, updatedAt: now, closedAt: null }
      state.boards.set(id, info)
      return info
    },
    async get(id) {
      return state.boards.get(id) ?? null
    },
    async list() {
      return [...state.boards.values()].sort((a, b) => b.updatedAt - a.updatedAt)
    },
    async setClosed(id, closedAt) {
      const info = state.boards.get(id)
      if (info) state.boards.set(id, { ...info, closedAt })
    },
    async delete(id) {
      // Spans stores: everything kept for the board goes, in one synchronous step (no await).
      const existed = state.boards.delete(id)
      if (existed) state.deleted.add(id)
      state.logs.delete(id)
      state.snapshots.delete(id)
      state.late.delete(id)
      state.notes.delete(id)
      state.members.delete(id)
      for (const [voteId, vote] of state.votes) if (vote.boardId === id) state.votes.delete(voteId)
      return existed
    },
    async isDeleted(id) {
      return state.deleted.has(id)
    },
  }
}
