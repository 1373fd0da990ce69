/** JSON records in SQLite: `records`. */
import type { RecordStore } from '../records.ts'
import type { SqliteConnection } from './database.ts'

export function sqliteRecords({ db, emptyLog }: SqliteConnection): RecordStore {
  const upsertRecord = db.prepare(
    'INSERT INTO records (scope, kind, id, json) VALUES (?, ?, ?, ?) ON CONFLICT (scope, kind, id) DO UPDATE SET json = excluded.json',
  )
  const insertRecordRow = db.prepare('INSERT OR IGNORE INTO records (scope, kind, id, json) VALUES (?, ?, ?, ?)')
  const selectRecord = db.prepare('SELECT json FROM records WHERE scope = ? AND kind = ? AND id = ?')
  const removeRecord = db.prepare('DELETE FROM records WHERE scope = ? AND kind = ? AND id = ?')
  const selectRecords = db.prepare('SELECT id, json FROM records WHERE scope = ? AND kind = ? ORDER BY seq')

  return {
    async put(scope, kind, id, json) {
      upsertRecord.run(scope, kind, id, json)
    },
    async insert(scope, kind, id, json) {
      return Number(insertRecordRow.run(scope, kind, id, json).changes) > 0
    },
    async get(scope, kind, id) {
      return (selectRecord.get(scope, kind, id) as { json: string } | undefined)?.json ?? null
    },
    async delete(scope, kind, id) {
      // Zeroed in its page (secure_delete), then the log's older copies of that page go too.
      const removed = Number(removeRecord.run(scope, kind, id).changes) > 0
      if (removed) await emptyLog()
      return removed
    },
    async list(scope, kind) {
      return (selectRecords.all(scope, kind) as { id: string; json: string }[]).map((r) => ({ id: r.id, json: r.json }))
    },
  }
}
