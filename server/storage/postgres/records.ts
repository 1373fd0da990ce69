/** JSON records in PostgreSQL: `records`. */
import type { RecordStore } from '../records.ts'
import type { PostgresConnection } from './database.ts'

export function postgresRecords({ pool, one }: PostgresConnection): RecordStore {
  return {
    async put(scope, kind, id, json) {
      await pool.query('INSERT INTO records (scope, kind, id, json) VALUES ($1, $2, $3, $4) ON CONFLICT (scope, kind, id) DO UPDATE SET json = EXCLUDED.json', [
        scope,
        kind,
        id,
        json,
      ])
    },
    async insert(scope, kind, id, json) {
      return Boolean(
        (await pool.query('INSERT INTO records (scope, kind, id, json) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [scope, kind, id, json])).rowCount,
      )
    },
    async get(scope, kind, id) {
      return (await one<{ json: string }>('SELECT json FROM records WHERE scope = $1 AND kind = $2 AND id = $3', [scope, kind, id]))?.json ?? null
    },
    async delete(scope, kind, id) {
      const removed = Boolean((await pool.query('DELETE FROM records WHERE scope = $1 AND kind = $2 AND id = $3', [scope, kind, id])).rowCount)
      // A DELETE only marks the row dead: a removed sign-up (name, e-mail, organisation) stayed in
      // the table's file. Plain VACUUM is not enough — it left the bytes of a page's newest row
      // where they were (measured, PostgreSQL 15: nothing is moved over them). VACUUM FULL writes
      // the table anew without the row and unlinks the old file (~0.1 s for 20,000 sign-ups,
      // 8 MB; it locks `records` meanwhile; removals are rare). What remains: the WAL segments
      // until PostgreSQL recycles them, and backups (README, Security and limits).
      // Chosen over a per-person key destroyed on removal (crypto-shredding): the key would be
      // stored in this same database, where its deleted bytes would linger just the same.
      if (removed) await pool.query('VACUUM FULL records')
      return removed
    },
    async list(scope, kind) {
      return (await pool.query<{ id: string; json: string }>('SELECT id, json FROM records WHERE scope = $1 AND kind = $2 ORDER BY seq', [scope, kind])).rows
    },
  }
}
