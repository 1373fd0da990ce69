/** The contract of a board's update log: append, load, compact through a watermark, late updates. */
import { expect, it } from 'vitest'
import * as Y from 'yjs'
import { BoardDeletedError } from '../../../server/storage/storage.ts'
import { id, replay, updateSetting, type OpenStorage } from './fixtures.ts'

export function logContract(open: OpenStorage) {
  it('loads nothing for an unknown board', async () => {
    const { log, close } = await open()
    expect(await log.load(id('nothing'))).toEqual([])
    expect((await log.loadLog(id('nothing'))).updates).toEqual([])
    expect(await log.countUpdates(id('nothing'))).toBe(0)
    await close()
  })

  it('appends updates in order and loads them back, registering the board in the catalogue', async () => {
    const { log, catalogue, close } = await open()
    await log.append(id('b'), [updateSetting('a', '1'), updateSetting('b', '2')])
    await log.append(id('b'), [updateSetting('c', '3')])
    expect(await log.countUpdates(id('b'))).toBe(3)
    expect(replay(await log.load(id('b')))).toEqual({ a: '1', b: '2', c: '3' })
    expect(await catalogue.get(id('b'))).not.toBeNull()
    await close()
  })

  it('compaction replaces the log by one update with the same content, per board', async () => {
    const { log, close } = await open()
    await log.append(id('x'), [updateSetting('a', '1'), updateSetting('b', '2')])
    await log.append(id('y'), [updateSetting('z', '9')])
    const state = Y.mergeUpdates(await log.load(id('x')))
    await log.compact(id('x'), state)
    expect(await log.countUpdates(id('x'))).toBe(1)
    expect(replay(await log.load(id('x')))).toEqual({ a: '1', b: '2' })
    expect(replay(await log.load(id('y')))).toEqual({ z: '9' })
    await close()
  })

  it('compacts only through its watermark: an update appended after the compactor read the log stays', async () => {
    const { log, close } = await open()
    await log.append(id('w'), [updateSetting('a', '1'), updateSetting('b', '2')])
    const { updates, through } = await log.loadLog(id('w'))
    expect(updates).toHaveLength(2)
    expect(through).toBeGreaterThan(0)
    // Another process appends between the read and the compaction.
    await log.append(id('w'), [updateSetting('c', '3')])
    await log.compact(id('w'), Y.mergeUpdates(updates), through)
    expect(await log.countUpdates(id('w'))).toBe(2)
    expect(replay(await log.load(id('w')))).toEqual({ a: '1', b: '2', c: '3' })
    await close()
  })

  it('never writes a deleted board again: an append or compaction after the delete fails and nothing comes back', async () => {
    const { log, catalogue, close } = await open()
    await catalogue.create(id('gone'), 'Weg')
    await log.append(id('gone'), [updateSetting('a', '1')])
    expect(await catalogue.delete(id('gone'))).toBe(true)
    await expect(log.append(id('gone'), [updateSetting('b', '2')])).rejects.toBeInstanceOf(BoardDeletedError)
    await expect(log.compact(id('gone'), updateSetting('b', '2'))).rejects.toBeInstanceOf(BoardDeletedError)
    expect(await catalogue.get(id('gone'))).toBeNull()
    expect(await log.load(id('gone'))).toEqual([])
    expect((await catalogue.list()).map((b) => b.id)).not.toContain(id('gone'))
    await close()
  })

  it("stores bytes, not views: later changes to the caller's buffer do not leak in", async () => {
    const { log, close } = await open()
    const update = updateSetting('k', 'v')
    await log.append(id('copy'), [update])
    update.fill(0)
    expect(replay(await log.load(id('copy')))).toEqual({ k: 'v' })
    await close()
  })

  it('keeps late updates beside the log, counted and in order', async () => {
    const { log, catalogue, close } = await open()
    await catalogue.create(id('late'), 'Sessie')
    const first = updateSetting('late', 'x')
    const second = updateSetting('later', 'y')
    await log.addLateUpdate(id('late'), first)
    await log.addLateUpdate(id('late'), second)
    const bytes = first.length + second.length
    first.fill(0)
    expect(replay(await log.loadLateUpdates(id('late')))).toEqual({ late: 'x', later: 'y' })
    expect(await log.loadLateUpdates(id('other'))).toEqual([])
    expect(await log.lateUpdateStats(id('late'))).toEqual({ count: 2, bytes })
    expect(await log.lateUpdateStats(id('other'))).toEqual({ count: 0, bytes: 0 })
    // Late updates are not the log.
    expect(await log.countUpdates(id('late'))).toBe(0)
    await close()
  })
}
