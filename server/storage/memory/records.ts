/** JSON records in memory (a Map keeps the order of first insertion). */
import type { RecordStore } from '../records.ts'
import type { MemoryState } from './state.ts'

export function memoryRecords({ records }: MemoryState): RecordStore {
  const recordsOf = (scope: string, kind: string) => {
    const key = `${scope}\u0000${kind}`
    if (!records.has(key)) records.set(key, new Map())
    return records.get(key)!
  }
  return {
    async put(scope, kind, id, json) {
      recordsOf(scope, kind).set(id, json)
    },
    async insert(scope, kind, id, json) {
      const list = recordsOf(scope, kind)
      if (list.has(id)) return false
      list.set(id, json)
      return true
    },
    async get(scope, kind, id) {
      return recordsOf(scope, kind).get(id) ?? null
    },
    async delete(scope, kind, id) {
      return recordsOf(scope, kind).delete(id)
    },
    async list(scope, kind) {
      return [...recordsOf(scope, kind)].map(([id, json]) => ({ id, json }))
    },
  }
}
