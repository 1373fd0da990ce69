/** Snapshots in memory. */
import type { Snapshot, SnapshotStore } from '../snapshots.ts'
import type { MemoryState } from './state.ts'

const withoutContent = ({ state: _s, outcome: _o, thumbnail: _t, ...info }: Snapshot) => info

export function memorySnapshots(state: MemoryState): SnapshotStore {
  return {
    async add(snapshot) {
      const list = state.snapshots.get(snapshot.boardId) ?? []
      if (list.some((s) => s.id === snapshot.id)) throw new Error(`snapshot ${snapshot.id} exists`)
      list.push({ ...snapshot, state: snapshot.state.slice() })
      state.snapshots.set(snapshot.boardId, list)
    },
    async list(id) {
      return (state.snapshots.get(id) ?? []).map(withoutContent).sort((a, b) => b.createdAt - a.createdAt)
    },
    async get(id, snapshotId) {
      const found = state.snapshots.get(id)?.find((s) => s.id === snapshotId)
      return found ? { ...found, state: found.state.slice() } : null
    },
  }
}
