/** Storage that keeps everything in memory: for tests and throwaway servers. One module per store in memory/. */
import { memoryCatalogue } from './memory/catalogue.ts'
import { memoryLog } from './memory/log.ts'
import { memoryMembers } from './memory/members.ts'
import { memoryNotes } from './memory/notes.ts'
import { memoryRecords } from './memory/records.ts'
import { memorySnapshots } from './memory/snapshots.ts'
import { createMemoryState } from './memory/state.ts'
import { memoryVotes } from './memory/votes.ts'
import { storageBounds, type Storage, type StorageOptions } from './storage.ts'

export function createMemoryStorage(options: StorageOptions = {}): Storage {
  const { maxMembersPerBoard } = storageBounds(options)
  const state = createMemoryState()
  return {
    log: memoryLog(state),
    catalogue: memoryCatalogue(state),
    snapshots: memorySnapshots(state),
    votes: memoryVotes(state),
    members: memoryMembers(state, maxMembersPerBoard),
    notes: memoryNotes(state),
    records: memoryRecords(state),
    async usageBytes() {
      let bytes = 0
      for (const list of state.logs.values()) for (const u of list) bytes += u.data.length
      for (const list of state.late.values()) for (const u of list) bytes += u.length
      for (const list of state.snapshots.values()) for (const snap of list) bytes += snap.state.length + snap.outcome.length + snap.thumbnail.length
      return bytes
    },
    async ping() {
      if (!state.open) throw new Error('storage is closed')
    },
    async close() {
      state.open = false
    },
  }
}
