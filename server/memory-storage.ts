/** Storage that keeps everything in memory: for tests and throwaway servers. */
import type { BoardId } from '../shared/board-id.ts'
import { Limits } from '../shared/protocol.ts'
import { BoardExistsError, type BoardInfo, type BoardStorage, type FacilitatorNote, type Snapshot } from './storage.ts'

export function createMemoryStorage(): BoardStorage {
  const boards = new Map<BoardId, BoardInfo>()
  const logs = new Map<BoardId, Uint8Array[]>()
  const snapshots = new Map<BoardId, Snapshot[]>()
  let open = true
  const deleted = new Set<BoardId>()
  const late = new Map<BoardId, Uint8Array[]>()
  const notes = new Map<BoardId, FacilitatorNote[]>()
  const members = new Map<BoardId, Set<string>>()
  const withoutContent = ({ state: _s, outcome: _o, thumbnail: _t, ...info }: Snapshot) => info

  const ensure = (id: BoardId) => {
    const now = Date.now()
    const info = boards.get(id) ?? { id, title: '', createdAt: now, updatedAt: now, closedAt: null }
    boards.set(id, { ...info, updatedAt: now })
    if (!logs.has(id)) logs.set(id, [])
    return logs.get(id)!
  }

  return {
    async createBoard(id, title) {
      if (boards.has(id)) throw new BoardExistsError(id)
      const now = Date.now()
      const info = { id, title, createdAt: now, updatedAt: now, closedAt: null }
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
    async listBoards() {
      return [...boards.values()].sort((a, b) => b.updatedAt - a.updatedAt)
    },
    async setClosed(id, closedAt) {
      const info = boards.get(id)
      if (info) boards.set(id, { ...info, closedAt })
    },
    async deleteBoard(id) {
      const existed = boards.delete(id)
      if (existed) deleted.add(id)
      logs.delete(id)
      snapshots.delete(id)
      late.delete(id)
      notes.delete(id)
      members.delete(id)
      return existed
    },
    async addLateUpdate(id, update) {
      late.set(id, [...(late.get(id) ?? []), update.slice()])
    },
    async lateUpdateStats(id) {
      const list = late.get(id) ?? []
      return { count: list.length, bytes: list.reduce((n, u) => n + u.length, 0) }
    },
    async loadLateUpdates(id) {
      return [...(late.get(id) ?? [])]
    },
    async isDeleted(id) {
      return deleted.has(id)
    },
    async addMember(id, keyHash) {
      if (!boards.has(id)) return
      const known = members.get(id) ?? new Set()
      if (known.size < Limits.maxMembersPerBoard) members.set(id, known.add(keyHash))
    },
    async countMembers(id) {
      return members.get(id)?.size ?? 0
    },
    async addFacilitatorNote(note) {
      if (!boards.has(note.boardId)) throw new Error(`no board ${note.boardId}`)
      const list = notes.get(note.boardId) ?? []
      if (list.some((n) => n.id === note.id)) throw new Error(`note ${note.id} exists`)
      notes.set(note.boardId, [...list, { ...note }])
    },
    async listFacilitatorNotes(id) {
      return (notes.get(id) ?? []).map((n) => ({ ...n }))
    },
    async deleteFacilitatorNote(id, noteId) {
      const list = notes.get(id) ?? []
      notes.set(id, list.filter((n) => n.id !== noteId))
      return list.some((n) => n.id === noteId)
    },
    async addSnapshot(snapshot) {
      const list = snapshots.get(snapshot.boardId) ?? []
      if (list.some((s) => s.id === snapshot.id)) throw new Error(`snapshot ${snapshot.id} exists`)
      list.push({ ...snapshot, state: snapshot.state.slice() })
      snapshots.set(snapshot.boardId, list)
    },
    async listSnapshots(id) {
      return (snapshots.get(id) ?? []).map(withoutContent).sort((a, b) => b.createdAt - a.createdAt)
    },
    async getSnapshot(id, snapshotId) {
      const found = snapshots.get(id)?.find((s) => s.id === snapshotId)
      return found ? { ...found, state: found.state.slice() } : null
    },
    async usageBytes() {
      let bytes = 0
      for (const list of [...logs.values(), ...late.values()]) for (const u of list) bytes += u.length
      for (const list of snapshots.values()) for (const snap of list) bytes += snap.state.length + snap.outcome.length + snap.thumbnail.length
      return bytes
    },
    async ping() {
      if (!open) throw new Error('storage is closed')
    },
    async close() {
      open = false
    },
  }
}
