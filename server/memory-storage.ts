/** Storage that keeps everything in memory: for tests and throwaway servers. */
import type { BoardId } from '../shared/board-id.ts'
import { BoardExistsError, type BoardInfo, type BoardStorage } from './storage.ts'

export function createMemoryStorage(): BoardStorage {
  const boards = new Map<BoardId, BoardInfo>()
  const logs = new Map<BoardId, Uint8Array[]>()

  const ensure = (id: BoardId) => {
    const now = Date.now()
    const info = boards.get(id) ?? { id, title: '', createdAt: now, updatedAt: now }
    boards.set(id, { ...info, updatedAt: now })
    if (!logs.has(id)) logs.set(id, [])
    return logs.get(id)!
  }

  return {
    async createBoard(id, title) {
      if (boards.has(id)) throw new BoardExistsError(id)
      const now = Date.now()
      const info = { id, title, createdAt: now, updatedAt: now }
      boards.set(id, info)
      return info
    },
    async getBoard(id) {
      return boards.get(id) ?? null
    },
    async load(id) {
      return [...(logs.get(id) ?? [])]
    },
    async append(id, updates) {
      if (updates.length === 0) return
      ensure(id).push(...updates.map((u) => u.slice()))
    },
    async compact(id, state) {
      ensure(id)
      logs.set(id, [state.slice()])
    },
    async countUpdates(id) {
      return logs.get(id)?.length ?? 0
    },
    async close() {},
  }
}
