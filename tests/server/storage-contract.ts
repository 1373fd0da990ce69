/** The contract every BoardStorage implementation must keep. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/board-id.ts'
import { Limits } from '../../shared/protocol.ts'
import { randomBytes } from 'node:crypto'
import { BoardDeletedError, BoardExistsError, type BoardStorage, type StorageOptions } from '../../server/storage/storage.ts'

const id = (s: string) => s as BoardId

function updateSetting(key: string, value: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('records').set(key, value)
  return Y.encodeStateAsUpdate(doc)
}

function replay(updates: Uint8Array[]): unknown {
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, u)
  return doc.getMap('records').toJSON()
}

export function storageContractSuite(name: string, open: (options?: StorageOptions) => BoardStorage | Promise<BoardStorage>) {
  describe(`${name} storage contract`, () => {
    it('loads nothing for an unknown board, and knows no such board', async () => {
      const storage = await open()
      expect(await storage.load(id('nothing'))).toEqual([])
      expect(await storage.getBoard(id('nothing'))).toBeNull()
      await storage.close()
    })

    it('answers a ping while open and refuses one once closed (readiness), and reports its size', async () => {
      const storage = await open()
      const before = await storage.usageBytes()
      // Random text: a database that compresses what it stores (PostgreSQL) cannot shrink it.
      await storage.append(id('usage'), [updateSetting('big', randomBytes(150_000).toString('base64'))])
      expect(await storage.usageBytes()).toBeGreaterThan(before + 150_000)
      await expect(storage.ping()).resolves.toBeUndefined()
      await storage.close()
      await expect(storage.ping()).rejects.toThrow()
    })

    it('creates a board once and refuses the same id again', async () => {
      const storage = await open()
      const info = await storage.createBoard(id('board1'), 'Samen aan de slag')
      expect(info.title).toBe('Samen aan de slag')
      expect((await storage.getBoard(id('board1')))?.title).toBe('Samen aan de slag')
      await expect(storage.createBoard(id('board1'), 'again')).rejects.toBeInstanceOf(BoardExistsError)
      await storage.close()
    })

    it('appends updates in order and loads them back', async () => {
      const storage = await open()
      await storage.append(id('b'), [updateSetting('a', '1'), updateSetting('b', '2')])
      await storage.append(id('b'), [updateSetting('c', '3')])
      expect(await storage.countUpdates(id('b'))).toBe(3)
      expect(replay(await storage.load(id('b')))).toEqual({ a: '1', b: '2', c: '3' })
      expect(await storage.getBoard(id('b'))).not.toBeNull()
      await storage.close()
    })

    it('compaction replaces the log by one update with the same content, per board', async () => {
      const storage = await open()
      await storage.append(id('x'), [updateSetting('a', '1'), updateSetting('b', '2')])
      await storage.append(id('y'), [updateSetting('z', '9')])
      const state = Y.mergeUpdates(await storage.load(id('x')))
      await storage.compact(id('x'), state)
      expect(await storage.countUpdates(id('x'))).toBe(1)
      expect(replay(await storage.load(id('x')))).toEqual({ a: '1', b: '2' })
      expect(replay(await storage.load(id('y')))).toEqual({ z: '9' })
      await storage.close()
    })

    it('compacts only through its watermark: an update appended after the compactor read the log stays', async () => {
      const storage = await open()
      await storage.append(id('w'), [updateSetting('a', '1'), updateSetting('b', '2')])
      const { updates, through } = await storage.loadLog(id('w'))
      expect(updates).toHaveLength(2)
      expect(through).toBeGreaterThan(0)
      // Another process appends between the read and the compaction.
      await storage.append(id('w'), [updateSetting('c', '3')])
      await storage.compact(id('w'), Y.mergeUpdates(updates), through)
      expect(await storage.countUpdates(id('w'))).toBe(2)
      expect(replay(await storage.load(id('w')))).toEqual({ a: '1', b: '2', c: '3' })
      expect((await storage.loadLog(id('nothing'))).updates).toEqual([])
      await storage.close()
    })

    it('never writes a deleted board again: an append or compaction after the delete fails and nothing comes back', async () => {
      const storage = await open()
      await storage.createBoard(id('gone'), 'Weg')
      await storage.append(id('gone'), [updateSetting('a', '1')])
      expect(await storage.deleteBoard(id('gone'))).toBe(true)
      await expect(storage.append(id('gone'), [updateSetting('b', '2')])).rejects.toBeInstanceOf(BoardDeletedError)
      await expect(storage.compact(id('gone'), updateSetting('b', '2'))).rejects.toBeInstanceOf(BoardDeletedError)
      expect(await storage.getBoard(id('gone'))).toBeNull()
      expect(await storage.load(id('gone'))).toEqual([])
      expect((await storage.listBoards()).map((b) => b.id)).not.toContain(id('gone'))
      await storage.close()
    })

    it('keeps dot votes: one open vote per board, at most N dots per voter, closed once with its tallies', async () => {
      const storage = await open()
      await storage.createBoard(id('vote'), 'Stemmen')
      const vote = { id: 'v1', frameId: 'shape:frame', dots: 2, endsAt: 5_000, open: true, results: [] }
      expect(await storage.openVote(id('vote'), vote)).toBe(true)
      expect(await storage.openVote(id('vote'), { ...vote, id: 'v2' })).toBe(false)
      expect(await storage.openVoteOf(id('vote'))).toEqual(vote)
      expect(await storage.openVoteOf(id('other'))).toBeNull()
      expect(await storage.castDot(id('vote'), 'v1', 'anna', 'shape:a', 1)).toEqual({ ok: true, mine: { 'shape:a': 1 } })
      expect(await storage.castDot(id('vote'), 'v1', 'anna', 'shape:a', 1)).toEqual({ ok: true, mine: { 'shape:a': 2 } })
      expect(await storage.castDot(id('vote'), 'v1', 'anna', 'shape:b', 1)).toEqual({ ok: false, reason: 'all-placed' })
      expect(await storage.castDot(id('vote'), 'v1', 'anna', 'shape:b', -1)).toEqual({ ok: false, reason: 'none-there' })
      expect(await storage.castDot(id('vote'), 'v1', 'anna', 'shape:a', -1)).toEqual({ ok: true, mine: { 'shape:a': 1 } })
      expect(await storage.castDot(id('vote'), 'v1', 'bram', 'shape:b', 1)).toEqual({ ok: true, mine: { 'shape:b': 1 } })
      expect(await storage.castDot(id('vote'), 'v1', 'bram', 'shape:a', 1)).toEqual({ ok: true, mine: { 'shape:b': 1, 'shape:a': 1 } })
      expect(await storage.castDot(id('other'), 'v1', 'bram', 'shape:a', 1)).toEqual({ ok: false, reason: 'no-vote' })
      expect(await storage.dotsOf(id('vote'), 'v1', 'anna')).toEqual({ 'shape:a': 1 })
      expect(await storage.dotsOf(id('other'), 'v1', 'anna')).toEqual({})
      expect(await storage.dueVotes(4_999)).toEqual([])
      expect(await storage.dueVotes(5_000)).toEqual([{ boardId: id('vote'), voteId: 'v1' }])
      const closed = await storage.closeVote(id('vote'), 'v1')
      expect(closed?.state).toEqual({ ...vote, open: false })
      expect(closed && Object.fromEntries(closed.tallies)).toEqual({ 'shape:a': 2, 'shape:b': 1 })
      expect(closed?.voters).toBe(2)
      expect(await storage.closeVote(id('vote'), 'v1')).toBeNull()
      expect(await storage.castDot(id('vote'), 'v1', 'anna', 'shape:a', 1)).toEqual({ ok: false, reason: 'no-vote' })
      expect(await storage.openVoteOf(id('vote'))).toBeNull()
      expect(await storage.dueVotes(10_000)).toEqual([])
      // A new vote can open once the last one closed; it goes with the board.
      expect(await storage.openVote(id('vote'), { ...vote, id: 'v3' })).toBe(true)
      await storage.deleteBoard(id('vote'))
      expect(await storage.openVoteOf(id('vote'))).toBeNull()
      await storage.close()
    })

    it('places a retried dot once: a request id already taken answers the dots as they are', async () => {
      const storage = await open()
      await storage.createBoard(id('retry'), 'Stemmen')
      await storage.openVote(id('retry'), { id: 'r1', frameId: 'shape:frame', dots: 3, endsAt: null, open: true, results: [] })
      expect(await storage.castDot(id('retry'), 'r1', 'anna', 'shape:a', 1, 'req-00000001')).toEqual({ ok: true, mine: { 'shape:a': 1 } })
      // The answer was lost and the browser sends the same request again: nothing changes.
      expect(await storage.castDot(id('retry'), 'r1', 'anna', 'shape:a', 1, 'req-00000001')).toEqual({ ok: true, mine: { 'shape:a': 1 } })
      expect(await storage.castDot(id('retry'), 'r1', 'anna', 'shape:a', 1, 'req-00000002')).toEqual({ ok: true, mine: { 'shape:a': 2 } })
      // Another voter's request with the same id is hers alone.
      expect(await storage.castDot(id('retry'), 'r1', 'bram', 'shape:a', 1, 'req-00000001')).toEqual({ ok: true, mine: { 'shape:a': 1 } })
      expect(await storage.castDot(id('retry'), 'r1', 'anna', 'shape:a', -1, 'req-00000003')).toEqual({ ok: true, mine: { 'shape:a': 1 } })
      expect(await storage.castDot(id('retry'), 'r1', 'anna', 'shape:a', -1, 'req-00000003')).toEqual({ ok: true, mine: { 'shape:a': 1 } })
      // A refused request is not remembered: sent again, it is judged again.
      expect(await storage.castDot(id('retry'), 'r1', 'anna', 'shape:b', -1, 'req-00000004')).toEqual({ ok: false, reason: 'none-there' })
      expect(await storage.castDot(id('retry'), 'r1', 'anna', 'shape:b', 1, 'req-00000004')).toEqual({ ok: true, mine: { 'shape:a': 1, 'shape:b': 1 } })
      // Bounded: only the latest requests of a voter are remembered.
      for (let i = 0; i < 200; i++) {
        await storage.castDot(id('retry'), 'r1', 'anna', 'shape:c', 1, `bulk-${String(2 * i).padStart(8, '0')}`)
        await storage.castDot(id('retry'), 'r1', 'anna', 'shape:c', -1, `bulk-${String(2 * i + 1).padStart(8, '0')}`)
      }
      expect(await storage.castDot(id('retry'), 'r1', 'anna', 'shape:b', 1, 'req-00000004')).toEqual({ ok: true, mine: { 'shape:a': 1, 'shape:b': 2 } })
      expect(Object.fromEntries((await storage.closeVote(id('retry'), 'r1'))!.tallies)).toEqual({ 'shape:a': 2, 'shape:b': 2 })
      await storage.close()
    })

    it('keeps JSON records per scope and kind in the order first written; insert never overwrites', async () => {
      const storage = await open()
      await storage.putRecord('p1', 'line', 'b', '{"n":1}')
      await storage.putRecord('p1', 'line', 'a', '{"n":2}')
      await storage.putRecord('p1', 'line', 'b', '{"n":3}')
      await storage.putRecord('p2', 'line', 'c', '{}')
      expect(await storage.listRecords('p1', 'line')).toEqual([{ id: 'b', json: '{"n":3}' }, { id: 'a', json: '{"n":2}' }])
      expect(await storage.getRecord('p1', 'line', 'a')).toBe('{"n":2}')
      expect(await storage.getRecord('p1', 'update', 'a')).toBeNull()
      expect(await storage.insertRecord('p1', 'update', 'u1', '{"t":"eerste"}')).toBe(true)
      expect(await storage.insertRecord('p1', 'update', 'u1', '{"t":"overschreven"}')).toBe(false)
      expect(await storage.getRecord('p1', 'update', 'u1')).toBe('{"t":"eerste"}')
      expect(await storage.listRecords('p3', 'line')).toEqual([])
      expect(await storage.deleteRecord('p1', 'line', 'b')).toBe(true)
      expect(await storage.deleteRecord('p1', 'line', 'b')).toBe(false)
      expect(await storage.listRecords('p1', 'line')).toEqual([{ id: 'a', json: '{"n":2}' }])
      await storage.close()
    })

    it('stores bytes, not views: later changes to the caller\'s buffer do not leak in', async () => {
      const storage = await open()
      const update = updateSetting('k', 'v')
      await storage.append(id('copy'), [update])
      update.fill(0)
      expect(replay(await storage.load(id('copy')))).toEqual({ k: 'v' })
      await storage.close()
    })

    it('counts the different people who joined a board, once each, and forgets them with the board', async () => {
      const storage = await open()
      await storage.createBoard(id('members'), 'Sessie')
      await storage.addMember(id('members'), 'a'.repeat(64), 'participant')
      await storage.addMember(id('members'), 'a'.repeat(64), 'participant')
      await storage.addMember(id('members'), 'b'.repeat(64), 'facilitator')
      await storage.addMember(id('no-such-board'), 'c'.repeat(64), 'participant')
      expect(await storage.countMembers(id('members'))).toBe(2)
      expect(await storage.countMembers(id('no-such-board'))).toBe(0)
      await storage.deleteBoard(id('members'))
      expect(await storage.countMembers(id('members'))).toBe(0)
    })

    it(`remembers at most ${Limits.maxMembersPerBoard.toLocaleString('en')} people per board unless set otherwise: fresh member keys cannot grow it without end`, async () => {
      const usual = await open()
      expect(usual.maxMembersPerBoard).toBe(10_000)
      await usual.close()
      // The same bound, set low: 75 fresh keys for a cap of 50 (10,025 single inserts took 20 s on PostgreSQL, over 60 s on a busy machine).
      const storage = await open({ maxMembersPerBoard: 50 })
      expect(storage.maxMembersPerBoard).toBe(50)
      await storage.createBoard(id('crowded'), 'Sessie')
      const key = (n: number) => n.toString(16).padStart(64, '0')
      for (let n = 0; n < 75; n++) await storage.addMember(id('crowded'), key(n), 'participant')
      expect(await storage.countMembers(id('crowded'))).toBe(50)
      // Someone already counted joining again changes nothing; another board is not affected.
      await storage.addMember(id('crowded'), key(0), 'participant')
      expect(await storage.countMembers(id('crowded'))).toBe(50)
      await storage.createBoard(id('other'), 'Sessie')
      await storage.addMember(id('other'), key(1), 'participant')
      expect(await storage.countMembers(id('other'))).toBe(1)
      await storage.close()
    })

    it('keeps facilitator notes per board, oldest first; deletes one, and all with the board', async () => {
      const storage = await open()
      await storage.createBoard(id('notes'), 'Sessie')
      await storage.createBoard(id('other-notes'), 'Andere')
      const note = { boardId: id('notes'), createdBy: 'Fien', text: 'Pauze om 15:00' }
      await storage.addFacilitatorNote({ ...note, id: 'n1', createdAt: 1000 })
      await storage.addFacilitatorNote({ ...note, id: 'n2', createdAt: 2000, text: 'Wethouder komt om 16:00' })
      await storage.addFacilitatorNote({ ...note, boardId: id('other-notes'), id: 'n1', createdAt: 1500 })
      await expect(storage.addFacilitatorNote({ ...note, id: 'n1', createdAt: 3000 })).rejects.toThrow()
      expect((await storage.listFacilitatorNotes(id('notes'))).map((n) => [n.id, n.text, n.createdBy, n.createdAt])).toEqual([['n1', 'Pauze om 15:00', 'Fien', 1000], ['n2', 'Wethouder komt om 16:00', 'Fien', 2000]])
      expect(await storage.deleteFacilitatorNote(id('notes'), 'n1')).toBe(true)
      expect(await storage.deleteFacilitatorNote(id('notes'), 'n1')).toBe(false)
      expect((await storage.listFacilitatorNotes(id('notes'))).map((n) => n.id)).toEqual(['n2'])
      expect((await storage.listFacilitatorNotes(id('other-notes'))).map((n) => n.id)).toEqual(['n1'])
      await storage.deleteBoard(id('notes'))
      expect(await storage.listFacilitatorNotes(id('notes'))).toEqual([])
    })

    it('keeps snapshots immutable and whole, lists them newest first, and deletes them with the board', async () => {
      const storage = await open()
      await storage.createBoard(id('snap'), 'Sessie')
      await storage.append(id('snap'), [updateSetting('a', '1')])
      const base = { boardId: id('snap'), kind: 'manual' as const, createdBy: 'Fien', size: 3, contentHash: 'h', outcome: '{"x":1}', thumbnail: '<svg/>' }
      const state = updateSetting('a', '1')
      await storage.addSnapshot({ ...base, id: 's1', name: 'Na fase 1', createdAt: 1000, state })
      await storage.addSnapshot({ ...base, id: 's2', name: 'Na fase 2', kind: 'phase', createdAt: 2000, state: updateSetting('a', '2') })
      state.fill(0)
      await expect(storage.addSnapshot({ ...base, id: 's1', name: 'again', createdAt: 3000, state })).rejects.toThrow()
      expect((await storage.listSnapshots(id('snap'))).map((s) => [s.id, s.name, s.kind])).toEqual([['s2', 'Na fase 2', 'phase'], ['s1', 'Na fase 1', 'manual']])
      expect(await storage.listSnapshots(id('snap'))).toEqual([expect.not.objectContaining({ state: expect.anything() }), expect.anything()])
      const s1 = await storage.getSnapshot(id('snap'), 's1')
      expect(replay([s1!.state])).toEqual({ a: '1' })
      expect(s1).toMatchObject({ outcome: '{"x":1}', thumbnail: '<svg/>', createdBy: 'Fien', createdAt: 1000, contentHash: 'h' })
      expect(await storage.getSnapshot(id('other'), 's1')).toBeNull()

      const lateUpdate = updateSetting('late', 'x')
      await storage.addLateUpdate(id('snap'), lateUpdate)
      lateUpdate.fill(0)
      expect(replay(await storage.loadLateUpdates(id('snap')))).toEqual({ late: 'x' })
      expect(await storage.loadLateUpdates(id('other'))).toEqual([])
      expect(await storage.lateUpdateStats(id('snap'))).toEqual({ count: 1, bytes: lateUpdate.length })
      expect(await storage.lateUpdateStats(id('other'))).toEqual({ count: 0, bytes: 0 })

      expect((await storage.listBoards()).map((b) => b.id)).toContain(id('snap'))
      expect((await storage.getBoard(id('snap')))!.closedAt).toBeNull()
      await storage.setClosed(id('snap'), 5000)
      expect((await storage.getBoard(id('snap')))!.closedAt).toBe(5000)

      expect(await storage.isDeleted(id('snap'))).toBe(false)
      expect(await storage.deleteBoard(id('snap'))).toBe(true)
      expect(await storage.deleteBoard(id('snap'))).toBe(false)
      expect(await storage.isDeleted(id('snap'))).toBe(true)
      expect(await storage.isDeleted(id('never'))).toBe(false)
      expect(await storage.getBoard(id('snap'))).toBeNull()
      expect(await storage.load(id('snap'))).toEqual([])
      expect(await storage.listSnapshots(id('snap'))).toEqual([])
      expect(await storage.getSnapshot(id('snap'), 's2')).toBeNull()
      expect(await storage.loadLateUpdates(id('snap'))).toEqual([])
      await storage.close()
    })
  })
}
