/** Members in memory. */
import type { MemberStore } from '../members.ts'
import type { MemoryState } from './state.ts'

export function memoryMembers({ boards, members }: MemoryState, maxPerBoard: number): MemberStore {
  return {
    maxPerBoard,
    async add(id, keyHash) {
      if (!boards.has(id)) return
      const known = members.get(id) ?? new Set()
      if (known.size < maxPerBoard) members.set(id, known.add(keyHash))
    },
    async count(id) {
      return members.get(id)?.size ?? 0
    },
  }
}
