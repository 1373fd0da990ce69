/** Snapshots in PostgreSQL. */
import { SNAPSHOT_INFO_COLUMNS, snapshotInfoOf, type SnapshotRow as SnapshotRowBase, type SnapshotStore } from '../snapshots.ts'
import { bytes, toU8, type PostgresConnection } from './database.ts'

interface SnapshotRow extends SnapshotRowBase {
  state?: Buffer
  outcome?: string
  thumbnail?: string
}

export function postgresSnapshots({ pool, one }: PostgresConnection): SnapshotStore {
  return {
    async add(s) {
      await pool.query(
        'INSERT INTO snapshots (id, board_id, name, kind, created_by, created_at, size, content_hash, state, outcome, thumbnail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
        [s.id, s.boardId, s.name, s.kind, s.createdBy, s.createdAt, s.size, s.contentHash, bytes(s.state), s.outcome, s.thumbnail],
      )
    },
    async list(id) {
      return (
        await pool.query<SnapshotRow>(`SELECT ${SNAPSHOT_INFO_COLUMNS} FROM snapshots WHERE board_id = $1 ORDER BY created_at DESC, seq DESC`, [id])
      ).rows.map(snapshotInfoOf)
    },
    async get(id, snapshotId) {
      const row = await one<SnapshotRow>(`SELECT ${SNAPSHOT_INFO_COLUMNS}, state, outcome, thumbnail FROM snapshots WHERE board_id = $1 AND id = $2`, [
        id,
        snapshotId,
      ])
      return row ? { ...snapshotInfoOf(row), state: toU8(row.state!), outcome: row.outcome!, thumbnail: row.thumbnail! } : null
    },
  }
}
