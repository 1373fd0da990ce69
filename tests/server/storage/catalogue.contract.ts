/** The contract of the catalogue: boards, titles, closing, deletion with everything kept for the board. */
import { expect, it } from 'vitest'
import { BoardExistsError } from '../../../server/storage/storage.ts'
import { id, updateSetting, type OpenStorage } from './fixtures.ts'

export function catalogueContract(open: OpenStorage) {
  it('knows no board for an unknown id', async () => {
    const { catalogue, close } = await open()
    expect(await catalogue.get(id('nothing'))).toBeNull()
    expect(await catalogue.isDeleted(id('nothing'))).toBe(false)
    await close()
  })

  it('creates a board once and refuses the same id again', async () => {
    const { catalogue, close } = await open()
    const info = await catalogue.create(id('board1'), 'Samen aan de slag')
    expect(info.title).toBe('Samen aan de slag')
    expect((await catalogue.get(id('board1')))?.title).toBe('Samen aan de slag')
    await expect(catalogue.create(id('board1'), 'again')).rejects.toBeInstanceOf(BoardExistsError)
    await close()
  })

  it('lists boards, closes a session, and deletes a board once, leaving a tombstone', async () => {
    const { catalogue, close } = await open()
    await catalogue.create(id('first'), 'Eerste')
    await catalogue.create(id('second'), 'Tweede')
    expect((await catalogue.list()).map((b) => b.id)).toEqual(expect.arrayContaining([id('first'), id('second')]))
    expect((await catalogue.get(id('first')))!.closedAt).toBeNull()
    await catalogue.setClosed(id('first'), 5000)
    expect((await catalogue.get(id('first')))!.closedAt).toBe(5000)
    expect(await catalogue.delete(id('first'))).toBe(true)
    expect(await catalogue.delete(id('first'))).toBe(false)
    expect(await catalogue.delete(id('never'))).toBe(false)
    expect(await catalogue.isDeleted(id('first'))).toBe(true)
    expect(await catalogue.isDeleted(id('never'))).toBe(false)
    expect(await catalogue.get(id('first'))).toBeNull()
    expect((await catalogue.list()).map((b) => b.id)).toEqual([id('second')])
    await close()
  })

  it('deleting a board removes what every other store keeps for it, and only for it', async () => {
    const storage = await open()
    const { catalogue, log, snapshots, votes, members, notes } = storage
    const fill = async (board: string) => {
      await catalogue.create(id(board), 'Sessie')
      await log.append(id(board), [updateSetting('a', '1')])
      await log.addLateUpdate(id(board), updateSetting('late', 'x'))
      await snapshots.add({
        id: `s-${board}`,
        boardId: id(board),
        name: 'Na fase 1',
        kind: 'manual',
        createdBy: 'Fien',
        createdAt: 1000,
        size: 3,
        contentHash: 'h',
        state: updateSetting('a', '1'),
        outcome: '{}',
        thumbnail: '<svg/>',
      })
      await votes.open(id(board), { id: `v-${board}`, frameId: 'shape:frame', dots: 2, endsAt: 5_000, open: true, results: [] })
      await votes.castDot(id(board), `v-${board}`, 'anna', 'shape:a', 1)
      await members.add(id(board), 'a'.repeat(64), 'participant')
      await notes.add({ id: 'n1', boardId: id(board), text: 'Pauze', createdBy: 'Fien', createdAt: 1000 })
    }
    await fill('gone')
    await fill('kept')
    expect(await catalogue.delete(id('gone'))).toBe(true)
    expect(await log.load(id('gone'))).toEqual([])
    expect(await log.loadLateUpdates(id('gone'))).toEqual([])
    expect(await snapshots.list(id('gone'))).toEqual([])
    expect(await snapshots.get(id('gone'), 's-gone')).toBeNull()
    expect(await votes.current(id('gone'))).toBeNull()
    expect(await votes.dotsOf(id('gone'), 'v-gone', 'anna')).toEqual({})
    expect(await votes.due(10_000)).toEqual([{ boardId: id('kept'), voteId: 'v-kept' }])
    expect(await members.count(id('gone'))).toBe(0)
    expect(await notes.list(id('gone'))).toEqual([])
    // The other board keeps all of it.
    expect(await log.countUpdates(id('kept'))).toBe(1)
    expect(await log.lateUpdateStats(id('kept'))).toMatchObject({ count: 1 })
    expect(await snapshots.list(id('kept'))).toHaveLength(1)
    expect(await votes.dotsOf(id('kept'), 'v-kept', 'anna')).toEqual({ 'shape:a': 1 })
    expect(await members.count(id('kept'))).toBe(1)
    expect(await notes.list(id('kept'))).toHaveLength(1)
    await storage.close()
  })
}
