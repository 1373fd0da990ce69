/** What the storage contract suites share: the backends they run on, and Yjs updates to store. */
import * as Y from 'yjs'
import type { BoardId } from '../../../shared/board-id.ts'
import { createMemoryStorage } from '../../../server/storage/memory-storage.ts'
import { openSqliteStorage } from '../../../server/storage/sqlite-storage.ts'
import type { Storage, StorageOptions } from '../../../server/storage/storage.ts'
import { testPostgresStorage } from '../../helpers/postgres.ts'
import { tempDataDir } from '../../helpers/server.ts'

export type OpenStorage = (options?: StorageOptions) => Storage | Promise<Storage>

/** Every backend, each opened fresh (PostgreSQL on a schema of its own, dropped after the test). */
export const BACKENDS: { name: string; open: OpenStorage }[] = [
  { name: 'memory', open: (options) => createMemoryStorage(options) },
  { name: 'sqlite', open: (options) => openSqliteStorage(tempDataDir(), options) },
  { name: 'postgres', open: (options) => testPostgresStorage(undefined, options) },
]

export const id = (s: string) => s as BoardId

export function updateSetting(key: string, value: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('records').set(key, value)
  return Y.encodeStateAsUpdate(doc)
}

export function replay(updates: Uint8Array[]): unknown {
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, u)
  return doc.getMap('records').toJSON()
}
