/** The contract of members: different people counted once each, bounded per board. */
import { expect, it } from 'vitest'
import { Limits } from '../../../shared/protocol.ts'
import { id, type OpenStorage } from './fixtures.ts'

export function membersContract(open: OpenStorage) {
  it('counts the different people who joined a board, once each, and forgets them with the board', async () => {
    const { catalogue, members, close } = await open()
    await catalogue.create(id('members'), 'Sessie')
    await members.add(id('members'), 'a'.repeat(64), 'participant')
    await members.add(id('members'), 'a'.repeat(64), 'participant')
    await members.add(id('members'), 'b'.repeat(64), 'facilitator')
    await members.add(id('no-such-board'), 'c'.repeat(64), 'participant')
    expect(await members.count(id('members'))).toBe(2)
    expect(await members.count(id('no-such-board'))).toBe(0)
    await catalogue.delete(id('members'))
    expect(await members.count(id('members'))).toBe(0)
    await close()
  })

  it(`remembers at most ${Limits.maxMembersPerBoard.toLocaleString('en')} people per board unless set otherwise: fresh member keys cannot grow it without end`, async () => {
    const usual = await open()
    expect(usual.members.maxPerBoard).toBe(10_000)
    await usual.close()
    // The same bound, set low: 75 fresh keys for a cap of 50 (10,025 single inserts took 20 s on PostgreSQL, over 60 s on a busy machine).
    const { catalogue, members, close } = await open({ maxMembersPerBoard: 50 })
    expect(members.maxPerBoard).toBe(50)
    await catalogue.create(id('crowded'), 'Sessie')
    const key = (n: number) => n.toString(16).padStart(64, '0')
    for (let n = 0; n < 75; n++) await members.add(id('crowded'), key(n), 'participant')
    expect(await members.count(id('crowded'))).toBe(50)
    // Someone already counted joining again changes nothing; another board is not affected.
    await members.add(id('crowded'), key(0), 'participant')
    expect(await members.count(id('crowded'))).toBe(50)
    await catalogue.create(id('other'), 'Sessie')
    await members.add(id('other'), key(1), 'participant')
    expect(await members.count(id('other'))).toBe(1)
    await close()
  })
}
