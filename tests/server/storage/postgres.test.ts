/** PostgreSQL storage shared by several server processes: what the contract suites cannot show with one pool. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../../shared/board-id.ts'
import { BoardDeletedError } from '../../../server/storage/storage.ts'
import { testPostgresStorage, testSchema } from '../../helpers/postgres.ts'

function setting(key: string, value: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('records').set(key, value)
  return Y.encodeStateAsUpdate(doc)
}

function keysOf(updates: Uint8Array[]): string[] {
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, u)
  return [...doc.getMap('records').keys()].sort()
}

describe('postgres storage shared by several processes (two connection pools on one schema)', () => {
  it('takes concurrent appends to one board from two processes, losing none', async () => {
    const schema = await testSchema()
    const [a, b] = [await testPostgresStorage(schema), await testPostgresStorage(schema)]
    const board = 'samen' as BoardId
    const write = (storage: typeof a, name: string) =>
      Promise.all(Array.from({ length: 100 }, (_, i) => storage.log.append(board, [setting(`${name}${i}`, 'x'), setting(`${name}${i}b`, 'y')])))
    await Promise.all([write(a, 'a'), write(b, 'b')])
    expect(await a.log.countUpdates(board)).toBe(400)
    expect(keysOf(await b.log.load(board))).toHaveLength(400)
  })

  it('compaction racing appends from another process never deletes an update it did not read', async () => {
    const schema = await testSchema()
    const [compactor, writer] = [await testPostgresStorage(schema), await testPostgresStorage(schema)]
    const board = 'race' as BoardId
    await writer.log.append(board, [setting('start', '0')])
    let written = 0
    let writing = true
    const appends = (async () => {
      while (writing) await writer.log.append(board, [setting(`k${written++}`, 'v')])
    })()
    for (let round = 0; round < 15; round++) {
      const { updates, through } = await compactor.log.loadLog(board)
      // Appends land between the read and the compaction (the writer never waits).
      await new Promise((resolve) => setTimeout(resolve, 5))
      await compactor.log.compact(board, Y.mergeUpdates(updates), through)
    }
    writing = false
    await appends
    expect(written).toBeGreaterThan(20)
    const keys = keysOf(await compactor.log.load(board))
    expect(keys).toHaveLength(written + 1)
    expect(await compactor.log.countUpdates(board)).toBeLessThan(written)
  })

  it('an append racing a delete in another process never brings the board back', async () => {
    const schema = await testSchema()
    const [deleter, writer] = [await testPostgresStorage(schema), await testPostgresStorage(schema)]
    for (let round = 0; round < 10; round++) {
      const board = `del${round}` as BoardId
      await deleter.catalogue.create(board, 'Weg')
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => writer.log.append(board, [setting(`k${i}`, 'v')])).concat([deleter.catalogue.delete(board).then(() => undefined)]),
      )
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(BoardDeletedError)
      expect(await writer.catalogue.get(board)).toBeNull()
      expect(await writer.log.load(board)).toEqual([])
      expect(await writer.catalogue.isDeleted(board)).toBe(true)
    }
  })

  it('migrates once when several processes start together, and a second start finds nothing to do', async () => {
    const schema = await testSchema()
    const started = await Promise.all([testPostgresStorage(schema), testPostgresStorage(schema), testPostgresStorage(schema)])
    await started[0]!.catalogue.create('m' as BoardId, 'M')
    const again = await testPostgresStorage(schema)
    expect((await again.catalogue.get('m' as BoardId))?.title).toBe('M')
  })
})
