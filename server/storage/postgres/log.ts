/**
 * The update log in PostgreSQL: `updates` and `late_updates`.
 *
 * Concurrency, board by board: every write to a board's log (append, compact) first takes the
 * board's row lock (the upsert of its `boards` row). Writers of one board therefore commit one
 * after another and take their `seq` in that order, so the highest `seq` a reader saw is an exact
 * watermark: compacting "through" it deletes only updates that went into the state, never one
 * another process appended after the compactor read. The deletion tombstone is checked after that
 * lock, inside the same transaction, so an append racing a delete either commits first (and is
 * deleted with the board) or sees the tombstone and fails — a deleted board never comes back.
 */
import type pg from 'pg'
import type { BoardId } from '../../../shared/board-id.ts'
import { BoardDeletedError } from '../catalogue.ts'
import type { UpdateLog } from '../log.ts'
import { bytes, toU8, type PostgresConnection } from './database.ts'

/** Takes the board's row lock (creating the catalogue's row) and refuses a deleted board, in `client`'s transaction. */
async function lockBoard(client: pg.PoolClient, id: BoardId, now: number) {
  await client.query(
    "INSERT INTO boards (id, title, created_at, updated_at) VALUES ($1, '', $2, $2) ON CONFLICT (id) DO UPDATE SET updated_at = EXCLUDED.updated_at",
    [id, now],
  )
  const { rowCount } = await client.query('SELECT 1 FROM deleted_boards WHERE id = $1', [id])
  if (rowCount) throw new BoardDeletedError(id)
}

export function postgresLog({ pool, one, transaction }: PostgresConnection): UpdateLog {
  return {
    async load(id) {
      return (await pool.query<{ data: Buffer }>('SELECT data FROM updates WHERE board_id = $1 ORDER BY seq', [id])).rows.map((r) => toU8(r.data))
    },
    async loadLog(id) {
      const { rows } = await pool.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM updates WHERE board_id = $1 ORDER BY seq', [id])
      return { updates: rows.map((r) => toU8(r.data)), through: Number(rows.at(-1)?.seq ?? 0) }
    },
    async append(id, updates) {
      if (updates.length === 0) return
      await transaction(async (client) => {
        await lockBoard(client, id, Date.now())
        await client.query('INSERT INTO updates (board_id, data) SELECT $1, d FROM unnest($2::bytea[]) WITH ORDINALITY AS u(d, n) ORDER BY n', [
          id,
          updates.map(bytes),
        ])
      })
    },
    async compact(id, state, through = Number.MAX_SAFE_INTEGER) {
      await transaction(async (client) => {
        await lockBoard(client, id, Date.now())
        await client.query('DELETE FROM updates WHERE board_id = $1 AND seq <= $2', [id, through])
        await client.query('INSERT INTO updates (board_id, data) VALUES ($1, $2)', [id, bytes(state)])
      })
    },
    async countUpdates(id) {
      return Number((await one<{ n: string }>('SELECT COUNT(*) AS n FROM updates WHERE board_id = $1', [id]))!.n)
    },
    async addLateUpdate(id, update) {
      await pool.query('INSERT INTO late_updates (board_id, received_at, data) VALUES ($1, $2, $3)', [id, Date.now(), bytes(update)])
    },
    async lateUpdateStats(id) {
      const row = (await one<{ count: string; bytes: string }>(
        'SELECT COUNT(*) AS count, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM late_updates WHERE board_id = $1',
        [id],
      ))!
      return { count: Number(row.count), bytes: Number(row.bytes) }
    },
    async loadLateUpdates(id) {
      return (await pool.query<{ data: Buffer }>('SELECT data FROM late_updates WHERE board_id = $1 ORDER BY seq', [id])).rows.map((r) => toU8(r.data))
    },
  }
}
