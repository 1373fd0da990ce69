/** Storage that keeps everything in memory: for tests and throwaway servers. */
import type { BoardId } from '../../shared/board-id.ts'
import type { VoteState } from '../../shared/voting.ts'
import { BoardDeletedError, BoardExistsError, DOT_REQUESTS_KEPT, storageBounds, type BoardInfo, type BoardStorage, type FacilitatorNote, type Snapshot, type StorageOptions } from './storage.ts'

export function createMemoryStorage(options: StorageOptions = {}): BoardStorage {
  const { maxMembersPerBoard } = storageBounds(options)
  const boards = new Map<BoardId, BoardInfo>()
  const logs = new Map<BoardId, { seq: number; data: Uint8Array }[]>()
  let seq = 0
  const votes = new Map<string, { boardId: BoardId; state: VoteState; dots: Map<string, Map<string, number>>; requests: Map<string, string[]> }>()
  const snapshots = new Map<BoardId, Snapshot[]>()
  let open = true
  const deleted = new Set<BoardId>()
  const late = new Map<BoardId, Uint8Array[]>()
  const notes = new Map<BoardId, FacilitatorNote[]>()
  const members = new Map<BoardId, Set<string>>()
  const records = new Map<string, Map<string, string>>()
  const recordsOf = (scope: string, kind: string) => {
    const key = `${scope}\u0000${kind}`
    if (!records.has(key)) records.set(key, new Map())
    return records.get(key)!
  }
  const withoutContent = ({ state: _s, outcome: _o, thumbnail: _t, ...info }: Snapshot) => info

  const ensure = (id: BoardId) => {
    if (deleted.has(id)) throw new BoardDeletedError(id)
    const now = Date.now()
    const info = boards.get(id) ?? { id, title: '', createdAt: now, updatedAt: now, closedAt: null }
    boards.set(id, { ...info, updatedAt: now })
    if (!logs.has(id)) logs.set(id, [])
    return logs.get(id)!
  }

  return {
    maxMembersPerBoard,
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
      return (logs.get(id) ?? []).map((u) => u.data)
    },
    async loadLog(id) {
      const log = logs.get(id) ?? []
      return { updates: log.map((u) => u.data), through: log.at(-1)?.seq ?? 0 }
    },
    async append(id, updates) {
      if (updates.length === 0) return
      ensure(id).push(...updates.map((u) => ({ seq: ++seq, data: u.slice() })))
    },
    async compact(id, state, through = Infinity) {
      const log = ensure(id)
      logs.set(id, [{ seq: ++seq, data: state.slice() }, ...log.filter((u) => u.seq > through)])
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
      for (const [voteId, vote] of votes) if (vote.boardId === id) votes.delete(voteId)
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
      if (known.size < maxMembersPerBoard) members.set(id, known.add(keyHash))
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
    async openVote(id, state) {
      if ([...votes.values()].some((v) => v.boardId === id && v.state.open)) return false
      votes.set(state.id, { boardId: id, state: { ...state, results: [] }, dots: new Map(), requests: new Map() })
      return true
    },
    async openVoteOf(id) {
      return [...votes.values()].find((v) => v.boardId === id && v.state.open)?.state ?? null
    },
    async castDot(id, voteId, voter, shapeId, delta, requestId) {
      const vote = votes.get(voteId)
      if (!vote || vote.boardId !== id || !vote.state.open) return { ok: false, reason: 'no-vote' }
      const mine = vote.dots.get(voter) ?? new Map<string, number>()
      const taken = vote.requests.get(voter) ?? []
      if (requestId && taken.includes(requestId)) return { ok: true, mine: Object.fromEntries(mine) }
      const used = [...mine.values()].reduce((a, b) => a + b, 0)
      const current = mine.get(shapeId) ?? 0
      if (delta === 1 && used >= vote.state.dots) return { ok: false, reason: 'all-placed' }
      if (delta === -1 && current === 0) return { ok: false, reason: 'none-there' }
      if (current + delta === 0) mine.delete(shapeId)
      else mine.set(shapeId, current + delta)
      vote.dots.set(voter, mine)
      if (requestId) vote.requests.set(voter, [...taken, requestId].slice(-DOT_REQUESTS_KEPT))
      return { ok: true, mine: Object.fromEntries(mine) }
    },
    async dotsOf(id, voteId, voter) {
      const vote = votes.get(voteId)
      return vote && vote.boardId === id ? Object.fromEntries(vote.dots.get(voter) ?? []) : {}
    },
    async closeVote(id, voteId) {
      const vote = votes.get(voteId)
      if (!vote || vote.boardId !== id || !vote.state.open) return null
      vote.state = { ...vote.state, open: false }
      vote.requests.clear()
      const tallies = new Map<string, number>()
      for (const dots of vote.dots.values()) for (const [shapeId, n] of dots) tallies.set(shapeId, (tallies.get(shapeId) ?? 0) + n)
      return { state: vote.state, tallies, voters: [...vote.dots.values()].filter((d) => d.size > 0).length }
    },
    async dueVotes(now) {
      return [...votes.values()].filter((v) => v.state.open && v.state.endsAt !== null && v.state.endsAt <= now).map((v) => ({ boardId: v.boardId, voteId: v.state.id }))
    },
    async putRecord(scope, kind, id, json) {
      recordsOf(scope, kind).set(id, json)
    },
    async insertRecord(scope, kind, id, json) {
      const list = recordsOf(scope, kind)
      if (list.has(id)) return false
      list.set(id, json)
      return true
    },
    async getRecord(scope, kind, id) {
      return recordsOf(scope, kind).get(id) ?? null
    },
    async deleteRecord(scope, kind, id) {
      return recordsOf(scope, kind).delete(id)
    },
    async listRecords(scope, kind) {
      return [...recordsOf(scope, kind)].map(([id, json]) => ({ id, json }))
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
      for (const list of logs.values()) for (const u of list) bytes += u.data.length
      for (const list of late.values()) for (const u of list) bytes += u.length
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
