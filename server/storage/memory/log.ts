/** The update log in memory. */
import type { UpdateLog } from '../log.ts'
import { ensureBoard, type MemoryState } from './state.ts'

export function memoryLog(state: MemoryState): UpdateLog {
  return {
    async load(id) {
      return (state.logs.get(id) ?? []).map((u) => u.data)
    },
    async loadLog(id) {
      const log = state.logs.get(id) ?? []
      return { updates: log.map((u) => u.data), through: log.at(-1)?.seq ?? 0 }
    },
    async append(id, updates) {
      if (updates.length === 0) return
      ensureBoard(state, id).push(...updates.map((u) => ({ seq: ++state.seq, data: u.slice() })))
    },
    async compact(id, update, through = Infinity) {
      const log = ensureBoard(state, id)
      state.logs.set(id, [{ seq: ++state.seq, data: update.slice() }, ...log.filter((u) => u.seq > through)])
    },
    async countUpdates(id) {
      return state.logs.get(id)?.length ?? 0
    },
    async addLateUpdate(id, update) {
      state.late.set(id, [...(state.late.get(id) ?? []), update.slice()])
    },
    async lateUpdateStats(id) {
      const list = state.late.get(id) ?? []
      return { count: list.length, bytes: list.reduce((n, u) => n + u.length, 0) }
    },
    async loadLateUpdates(id) {
      return [...(state.late.get(id) ?? [])]
    },
  }
}
