/**
 * Storage in PostgreSQL (DATABASE_URL), for several server processes sharing boards: one pool
 * and schema in postgres/database.ts and postgres/schema.ts, one module per store beside them.
 */
import { openPostgresConnection, type PostgresConnectionOptions } from './postgres/database.ts'
import { postgresCatalogue } from './postgres/catalogue.ts'
import { postgresLog } from './postgres/log.ts'
import { postgresMembers } from './postgres/members.ts'
import { postgresNotes } from './postgres/notes.ts'
import { postgresRecords } from './postgres/records.ts'
import { postgresSnapshots } from './postgres/snapshots.ts'
import { postgresVotes } from './postgres/votes.ts'
import { storageBounds, type Storage, type StorageOptions } from './storage.ts'

export interface PostgresOptions extends StorageOptions, PostgresConnectionOptions {}

export async function openPostgresStorage(options: PostgresOptions): Promise<Storage> {
  const { maxMembersPerBoard } = storageBounds(options)
  const connection = await openPostgresConnection(options)
  return {
    log: postgresLog(connection),
    catalogue: postgresCatalogue(connection),
    snapshots: postgresSnapshots(connection),
    votes: postgresVotes(connection),
    members: postgresMembers(connection, maxMembersPerBoard),
    notes: postgresNotes(connection),
    records: postgresRecords(connection),
    async usageBytes() {
      const row = await connection.one<{ bytes: string }>(
        `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS bytes
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
        [connection.schema],
      )
      return Number(row!.bytes)
    },
    async ping() {
      if (!connection.open) throw new Error('storage is closed')
      await connection.pool.query('SELECT 1')
    },
    close: () => connection.close(),
  }
}
