/** The SQLite file: reopening, files from older versions, space given back. */
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import type { BoardId } from '../../../shared/board-id.ts'
import { openSqliteStorage } from '../../../server/storage/sqlite-storage.ts'
import { tempDataDir } from '../../helpers/server.ts'
import { waitFor } from '../../helpers/wait.ts'

describe('sqlite storage', () => {
  it('keeps what was appended across reopening the file', async () => {
    const dir = tempDataDir()
    const first = openSqliteStorage(dir)
    await first.log.append('kept' as BoardId, [new Uint8Array([0, 0])])
    await first.close()
    const second = openSqliteStorage(dir)
    expect(await second.log.countUpdates('kept' as BoardId)).toBe(1)
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
    expect(await storage.catalogue.get('oud1' as BoardId)).toEqual({ id: 'oud1', title: 'Weert 2018', createdAt: 1, updatedAt: 2, closedAt: null })
    await storage.catalogue.setClosed('oud1' as BoardId, 3)
    expect((await storage.catalogue.get('oud1' as BoardId))!.closedAt).toBe(3)
    expect(await storage.snapshots.list('oud1' as BoardId)).toEqual([])
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
    await storage.catalogue.create(board, 'Groot')
    const update = new Uint8Array(1024).fill(7)
    for (let batch = 0; batch < 40; batch++)
      await storage.log.append(
        board,
        Array.from({ length: 200 }, () => update),
      )
    const full = await storage.usageBytes()
    expect(full).toBeGreaterThan(8_000_000)
    await storage.log.compact(board, new Uint8Array(50_000))
    // The write-ahead log is folded in and cut back by the checkpointer thread, moments later.
    await waitFor(async () => (await storage.usageBytes()) < full / 5, { what: 'the space given back' })
    expect(await storage.log.countUpdates(board)).toBe(1)
    await storage.close()
    const check = new DatabaseSync(join(dir, 'boards.sqlite'))
    expect((check.prepare('PRAGMA auto_vacuum').get() as { auto_vacuum: number }).auto_vacuum).toBe(2)
    check.close()
  })
})
