import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { waitFor } from '../helpers/wait.ts'
import { describe, expect, it } from 'vitest'
import type { BoardId } from '../../shared/board-id.ts'
import { createMemoryStorage } from '../../server/storage/memory-storage.ts'
import { openSqliteStorage } from '../../server/storage/sqlite-storage.ts'
import { tempDataDir } from '../helpers/server.ts'
import { storageContractSuite } from './storage-contract.ts'
import { testPostgresStorage, testSchema } from '../helpers/postgres.ts'
import * as Y from 'yjs'
import { BoardDeletedError } from '../../server/storage/storage.ts'

storageContractSuite('memory', (options) => createMemoryStorage(options))
storageContractSuite('sqlite', (options) => openSqliteStorage(tempDataDir(), options))
storageContractSuite('postgres', (options) => testPostgresStorage(undefined, options))

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
    const write = (storage: typeof a, name: string) => Promise.all(Array.from({ length: 100 }, (_, i) => storage.append(board, [setting(`${name}${i}`, 'x'), setting(`${name}${i}b`, 'y')])))
    await Promise.all([write(a, 'a'), write(b, 'b')])
    expect(await a.countUpdates(board)).toBe(400)
    expect(keysOf(await b.load(board))).toHaveLength(400)
  })

  it('compaction racing appends from another process never deletes an update it did not read', async () => {
    const schema = await testSchema()
    const [compactor, writer] = [await testPostgresStorage(schema), await testPostgresStorage(schema)]
    const board = 'race' as BoardId
    await writer.append(board, [setting('start', '0')])
    let written = 0
    let writing = true
    const appends = (async () => {
      while (writing) await writer.append(board, [setting(`k${written++}`, 'v')])
    })()
    for (let round = 0; round < 15; round++) {
      const { updates, through } = await compactor.loadLog(board)
      // Appends land between the read and the compaction (the writer never waits).
      await new Promise((resolve) => setTimeout(resolve, 5))
      await compactor.compact(board, Y.mergeUpdates(updates), through)
    }
    writing = false
    await appends
    expect(written).toBeGreaterThan(20)
    const keys = keysOf(await compactor.load(board))
    expect(keys).toHaveLength(written + 1)
    expect(await compactor.countUpdates(board)).toBeLessThan(written)
  })

  it('an append racing a delete in another process never brings the board back', async () => {
    const schema = await testSchema()
    const [deleter, writer] = [await testPostgresStorage(schema), await testPostgresStorage(schema)]
    for (let round = 0; round < 10; round++) {
      const board = `del${round}` as BoardId
      await deleter.createBoard(board, 'Weg')
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => writer.append(board, [setting(`k${i}`, 'v')])).concat([deleter.deleteBoard(board).then(() => undefined)]))
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(BoardDeletedError)
      expect(await writer.getBoard(board)).toBeNull()
      expect(await writer.load(board)).toEqual([])
      expect(await writer.isDeleted(board)).toBe(true)
    }
  })

  it('migrates once when several processes start together, and a second start finds nothing to do', async () => {
    const schema = await testSchema()
    const started = await Promise.all([testPostgresStorage(schema), testPostgresStorage(schema), testPostgresStorage(schema)])
    await started[0]!.createBoard('m' as BoardId, 'M')
    const again = await testPostgresStorage(schema)
    expect((await again.getBoard('m' as BoardId))?.title).toBe('M')
  })
})

describe('sqlite storage', () => {
  it('keeps what was appended across reopening the file', async () => {
    const dir = tempDataDir()
    const first = openSqliteStorage(dir)
    await first.append('kept' as BoardId, [new Uint8Array([0, 0])])
    await first.close()
    const second = openSqliteStorage(dir)
    expect(await second.countUpdates('kept' as BoardId)).toBe(1)
    await second.close()
  })

  it('opens a file from before snapshots and closing existed, and adds what is missing', async () => {
    const dir = tempDataDir()
    const old = new DatabaseSync(join(dir, 'boards.sqlite'))
    old.exec(`CREATE TABLE boards (id TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE, data BLOB NOT NULL);
      INSERT INTO boards VALUES ('oud1', 'Weert 2018', 1, 2);`)
    old.close()
    const storage = openSqliteStorage(dir)
    expect(await storage.getBoard('oud1' as BoardId)).toEqual({ id: 'oud1', title: 'Weert 2018', createdAt: 1, updatedAt: 2, closedAt: null })
    await storage.setClosed('oud1' as BoardId, 3)
    expect((await storage.getBoard('oud1' as BoardId))!.closedAt).toBe(3)
    expect(await storage.listSnapshots('oud1' as BoardId)).toEqual([])
    await storage.close()
  })

  it('gives the space of a compacted log back (incremental auto-vacuum), also in a file made before it', async () => {
    const dir = tempDataDir()
    // A file from before auto-vacuum: no setting, one table.
    const old = new DatabaseSync(join(dir, 'boards.sqlite'))
    old.exec(`CREATE TABLE boards (id TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);`)
    old.close()
    const storage = openSqliteStorage(dir)
    const board = 'groot' as BoardId
    await storage.createBoard(board, 'Groot')
    const update = new Uint8Array(1024).fill(7)
    for (let batch = 0; batch < 40; batch++) await storage.append(board, Array.from({ length: 200 }, () => update))
    const full = await storage.usageBytes()
    expect(full).toBeGreaterThan(8_000_000)
    await storage.compact(board, new Uint8Array(50_000))
    // The write-ahead log is folded in and cut back by the checkpointer thread, moments later.
    await waitFor(async () => (await storage.usageBytes()) < full / 5, { what: 'the space given back' })
    expect(await storage.countUpdates(board)).toBe(1)
    await storage.close()
    const check = new DatabaseSync(join(dir, 'boards.sqlite'))
    expect((check.prepare('PRAGMA auto_vacuum').get() as { auto_vacuum: number }).auto_vacuum).toBe(2)
    check.close()
  })
})
