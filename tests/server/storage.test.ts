import { describe, expect, it } from 'vitest'
import type { BoardId } from '../../shared/board-id.ts'
import { createMemoryStorage } from '../../server/memory-storage.ts'
import { openSqliteStorage } from '../../server/sqlite-storage.ts'
import { tempDataDir } from '../helpers/server.ts'
import { storageContractSuite } from './storage-contract.ts'

storageContractSuite('memory', () => createMemoryStorage())
storageContractSuite('sqlite', () => openSqliteStorage(tempDataDir()))

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
})
