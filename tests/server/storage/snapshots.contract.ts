/** The contract of snapshots: immutable, whole, newest first. */
import { expect, it } from 'vitest'
import { id, replay, updateSetting, type OpenStorage } from './fixtures.ts'

export function snapshotsContract(open: OpenStorage) {
  it('keeps snapshots immutable and whole, lists them newest first', async () => {
    const { catalogue, snapshots, close } = await open()
    await catalogue.create(id('snap'), 'Sessie')
    const base = { boardId: id('snap'), kind: 'manual' as const, createdBy: 'Fien', size: 3, contentHash: 'h', outcome: '{"x":1}', thumbnail: '<svg/>' }
    const state = updateSetting('a', '1')
    await snapshots.add({ ...base, id: 's1', name: 'Na fase 1', createdAt: 1000, state })
    await snapshots.add({ ...base, id: 's2', name: 'Na fase 2', kind: 'phase', createdAt: 2000, state: updateSetting('a', '2') })
    state.fill(0)
    await expect(snapshots.add({ ...base, id: 's1', name: 'again', createdAt: 3000, state })).rejects.toThrow()
    expect((await snapshots.list(id('snap'))).map((s) => [s.id, s.name, s.kind])).toEqual([
      ['s2', 'Na fase 2', 'phase'],
      ['s1', 'Na fase 1', 'manual'],
    ])
    expect(await snapshots.list(id('snap'))).toEqual([expect.not.objectContaining({ state: expect.anything() }), expect.anything()])
    const s1 = await snapshots.get(id('snap'), 's1')
    expect(replay([s1!.state])).toEqual({ a: '1' })
    expect(s1).toMatchObject({ outcome: '{"x":1}', thumbnail: '<svg/>', createdBy: 'Fien', createdAt: 1000, contentHash: 'h', size: 3 })
    expect(await snapshots.get(id('other'), 's1')).toBeNull()
    expect(await snapshots.list(id('other'))).toEqual([])
    await close()
  })
}
