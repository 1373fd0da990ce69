/** The contract of dot votes: one open vote per board, bounded dots, closed once, retries placed once. */
import { expect, it } from 'vitest'
import { id, type OpenStorage } from './fixtures.ts'

export function votesContract(open: OpenStorage) {
  it('keeps dot votes: one open vote per board, at most N dots per voter, closed once with its tallies', async () => {
    const { catalogue, votes, close } = await open()
    await catalogue.create(id('vote'), 'Stemmen')
    const vote = { id: 'v1', frameId: 'shape:frame', dots: 2, endsAt: 5_000, open: true, results: [] }
    expect(await votes.open(id('vote'), vote)).toBe(true)
    expect(await votes.open(id('vote'), { ...vote, id: 'v2' })).toBe(false)
    expect(await votes.current(id('vote'))).toEqual(vote)
    expect(await votes.current(id('other'))).toBeNull()
    expect(await votes.castDot(id('vote'), 'v1', 'anna', 'shape:a', 1)).toEqual({ ok: true, mine: { 'shape:a': 1 } })
    expect(await votes.castDot(id('vote'), 'v1', 'anna', 'shape:a', 1)).toEqual({ ok: true, mine: { 'shape:a': 2 } })
    expect(await votes.castDot(id('vote'), 'v1', 'anna', 'shape:b', 1)).toEqual({ ok: false, reason: 'all-placed' })
    expect(await votes.castDot(id('vote'), 'v1', 'anna', 'shape:b', -1)).toEqual({ ok: false, reason: 'none-there' })
    expect(await votes.castDot(id('vote'), 'v1', 'anna', 'shape:a', -1)).toEqual({ ok: true, mine: { 'shape:a': 1 } })
    expect(await votes.castDot(id('vote'), 'v1', 'bram', 'shape:b', 1)).toEqual({ ok: true, mine: { 'shape:b': 1 } })
    expect(await votes.castDot(id('vote'), 'v1', 'bram', 'shape:a', 1)).toEqual({ ok: true, mine: { 'shape:b': 1, 'shape:a': 1 } })
    expect(await votes.castDot(id('other'), 'v1', 'bram', 'shape:a', 1)).toEqual({ ok: false, reason: 'no-vote' })
    expect(await votes.dotsOf(id('vote'), 'v1', 'anna')).toEqual({ 'shape:a': 1 })
    expect(await votes.dotsOf(id('other'), 'v1', 'anna')).toEqual({})
    expect(await votes.due(4_999)).toEqual([])
    expect(await votes.due(5_000)).toEqual([{ boardId: id('vote'), voteId: 'v1' }])
    const closed = await votes.close(id('vote'), 'v1')
    expect(closed?.state).toEqual({ ...vote, open: false })
    expect(closed && Object.fromEntries(closed.tallies)).toEqual({ 'shape:a': 2, 'shape:b': 1 })
    expect(closed?.voters).toBe(2)
    expect(await votes.close(id('vote'), 'v1')).toBeNull()
    expect(await votes.castDot(id('vote'), 'v1', 'anna', 'shape:a', 1)).toEqual({ ok: false, reason: 'no-vote' })
    expect(await votes.current(id('vote'))).toBeNull()
    expect(await votes.due(10_000)).toEqual([])
    // A new vote can open once the last one closed; it goes with the board.
    expect(await votes.open(id('vote'), { ...vote, id: 'v3' })).toBe(true)
    await catalogue.delete(id('vote'))
    expect(await votes.current(id('vote'))).toBeNull()
    await close()
  })

  it('places a retried dot once: a request id already taken answers the dots as they are', async () => {
    const { catalogue, votes, close } = await open()
    await catalogue.create(id('retry'), 'Stemmen')
    await votes.open(id('retry'), { id: 'r1', frameId: 'shape:frame', dots: 3, endsAt: null, open: true, results: [] })
    expect(await votes.castDot(id('retry'), 'r1', 'anna', 'shape:a', 1, 'req-00000001')).toEqual({ ok: true, mine: { 'shape:a': 1 } })
    // The answer was lost and the browser sends the same request again: nothing changes.
    expect(await votes.castDot(id('retry'), 'r1', 'anna', 'shape:a', 1, 'req-00000001')).toEqual({ ok: true, mine: { 'shape:a': 1 } })
    expect(await votes.castDot(id('retry'), 'r1', 'anna', 'shape:a', 1, 'req-00000002')).toEqual({ ok: true, mine: { 'shape:a': 2 } })
    // Another voter's request with the same id is hers alone.
    expect(await votes.castDot(id('retry'), 'r1', 'bram', 'shape:a', 1, 'req-00000001')).toEqual({ ok: true, mine: { 'shape:a': 1 } })
    expect(await votes.castDot(id('retry'), 'r1', 'anna', 'shape:a', -1, 'req-00000003')).toEqual({ ok: true, mine: { 'shape:a': 1 } })
    expect(await votes.castDot(id('retry'), 'r1', 'anna', 'shape:a', -1, 'req-00000003')).toEqual({ ok: true, mine: { 'shape:a': 1 } })
    // A refused request is not remembered: sent again, it is judged again.
    expect(await votes.castDot(id('retry'), 'r1', 'anna', 'shape:b', -1, 'req-00000004')).toEqual({ ok: false, reason: 'none-there' })
    expect(await votes.castDot(id('retry'), 'r1', 'anna', 'shape:b', 1, 'req-00000004')).toEqual({ ok: true, mine: { 'shape:a': 1, 'shape:b': 1 } })
    // Bounded: only the latest requests of a voter are remembered.
    for (let i = 0; i < 200; i++) {
      await votes.castDot(id('retry'), 'r1', 'anna', 'shape:c', 1, `bulk-${String(2 * i).padStart(8, '0')}`)
      await votes.castDot(id('retry'), 'r1', 'anna', 'shape:c', -1, `bulk-${String(2 * i + 1).padStart(8, '0')}`)
    }
    expect(await votes.castDot(id('retry'), 'r1', 'anna', 'shape:b', 1, 'req-00000004')).toEqual({ ok: true, mine: { 'shape:a': 1, 'shape:b': 2 } })
    expect(Object.fromEntries((await votes.close(id('retry'), 'r1'))!.tallies)).toEqual({ 'shape:a': 2, 'shape:b': 2 })
    await close()
  })
}
