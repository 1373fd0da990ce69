/** Snapshots in SQLite. */
import { SNAPSHOT_INFO_COLUMNS, snapshotInfoOf, type SnapshotRow as SnapshotRowBase, type SnapshotStore } from '../snapshots.ts'
import type { SqliteConnection } from './database.ts'

interface SnapshotRow extends SnapshotRowBase {
  state?: Uint8Array
  outcome?: string
  thumbnail?: string
}

export function sqliteSnapshots({ db }: SqliteConnection): SnapshotStore {
  const insertSnapshot = db.prepare(
    'INSERT INTO snapshots (id, board_id, name, kind, created_by, created_at, size, content_hash, state, outcome, thumbnail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  )
  const selectSnapshots = db.prepare(`SELECT ${SNAPSHOT_INFO_COLUMNS} FROM snapshots WHERE board_id = ? ORDER BY created_at DESC, rowid DESC`)
  const selectSnapshot = db.prepare(`SELECT ${SNAPSHOT_INFO_COLUMNS}, state, outcome, thumbnail FROM snapshots WHERE board_id = ? AND id = ?`)

  return {
    async add(s) {
      insertSnapshot.run(s.id, s.boardId, s.name, s.kind, s.createdBy, s.createdAt, s.size, s.contentHash, s.state, s.outcome, s.thumbnail)
    },
    async list(id) {
      return (selectSnapshots.all(id) as unknown as SnapshotRow[]).map(snapshotInfoOf)
    },
    async get(id, snapshotId) {
      const row = selectSnapshot.get(id, snapshotId) as SnapshotRow | undefined
      if (!row) return null
      return { ...snapshotInfoOf(row), state: new Uint8Array(row.state!), outcome: row.outcome!, thumbnail: row.thumbnail! }
    },
  }
}
