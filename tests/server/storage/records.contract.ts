/** The contract of JSON records: per scope and kind, in the order first written; insert never overwrites. */
import { expect, it } from 'vitest'
import type { OpenStorage } from './fixtures.ts'

export function recordsContract(open: OpenStorage) {
  it('keeps JSON records per scope and kind in the order first written; insert never overwrites', async () => {
    const { records, close } = await open()
    await records.put('p1', 'line', 'b', '{"n":1}')
    await records.put('p1', 'line', 'a', '{"n":2}')
    await records.put('p1', 'line', 'b', '{"n":3}')
    await records.put('p2', 'line', 'c', '{}')
    expect(await records.list('p1', 'line')).toEqual([
      { id: 'b', json: '{"n":3}' },
      { id: 'a', json: '{"n":2}' },
    ])
    expect(await records.get('p1', 'line', 'a')).toBe('{"n":2}')
    expect(await records.get('p1', 'update', 'a')).toBeNull()
    expect(await records.insert('p1', 'update', 'u1', '{"t":"eerste"}')).toBe(true)
    expect(await records.insert('p1', 'update', 'u1', '{"t":"overschreven"}')).toBe(false)
    expect(await records.get('p1', 'update', 'u1')).toBe('{"t":"eerste"}')
    expect(await records.list('p3', 'line')).toEqual([])
    expect(await records.delete('p1', 'line', 'b')).toBe(true)
    expect(await records.delete('p1', 'line', 'b')).toBe(false)
    expect(await records.list('p1', 'line')).toEqual([{ id: 'a', json: '{"n":2}' }])
    await close()
  })
}
