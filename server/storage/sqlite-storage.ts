/**
 * The default storage: one SQLite file (`<DATA_DIR>/boards.sqlite`), its connection and schema
 * in sqlite/database.ts and sqlite/schema.ts, one module per store beside them.
 */
import { openSqliteConnection } from './sqlite/database.ts'
import { sqliteCatalogue } from './sqlite/catalogue.ts'
import { sqliteLog } from './sqlite/log.ts'
import { sqliteMembers } from './sqlite/members.ts'
import { sqliteNotes } from './sqlite/notes.ts'
import { sqliteRecords } from './sqlite/records.ts'
import { sqliteSnapshots } from './sqlite/snapshots.ts'
import { sqliteVotes } from './sqlite/votes.ts'
import { storageBounds, type Storage, type StorageOptions } from './storage.ts'

export { StorageDamagedError } from './sqlite/schema.ts'

export function openSqliteStorage(dataDir: string, options: StorageOptions = {}): Storage {
  const { maxMembersPerBoard } = storageBounds(options)
  const connection = openSqliteConnection(dataDir)
  return {
    log: sqliteLog(connection),
    catalogue: sqliteCatalogue(connection),
    snapshots: sqliteSnapshots(connection),
    votes: sqliteVotes(connection),
    members: sqliteMembers(connection, maxMembersPerBoard),
    notes: sqliteNotes(connection),
    records: sqliteRecords(connection),
    async usageBytes() {
      return connection.usageBytes()
    },
    async ping() {
      connection.db.prepare('SELECT 1').get()
    },
    close: () => connection.close(),
  }
}
