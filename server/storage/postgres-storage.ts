/**
 * Storage in PostgreSQL (DATABASE_URL), for several server processes sharing boards.
 *
 * Client: `pg` (node-postgres) — the most used and longest maintained PostgreSQL client for Node,
 * with a connection pool built in, bytea as Buffers, and nothing we would have to write
 * ourselves (no ORM: the few queries below are the whole data layer, as with SQLite).
 *
 * Concurrency, board by board: every write to a board's log (append, compact) first takes the
 * board's row lock (the upsert of its `boards` row). Writers of one board therefore commit one
 * after another and take their `seq` in that order, so the highest `seq` a reader saw is an exact
 * watermark: compacting "through" it deletes only updates that went into the state, never one
 * another process appended after the compactor read. The deletion tombstone is checked after that
 * lock, inside the same transaction, so an append racing a delete either commits first (and is
 * deleted with the board) or sees the tombstone and fails — a deleted board never comes back.
 */
import pg from 'pg'
import type { BoardId } from '../../shared/board-id.ts'
import type { VoteState } from '../../shared/voting.ts'
import { BoardDeletedError, BoardExistsError, DOT_REQUESTS_KEPT, snapshotInfoOf, storageBounds, type BoardInfo, type BoardStorage, type SnapshotRow as SnapshotRowBase, type StorageOptions } from './storage.ts'

/** Numbered migrations, applied in order at start under an advisory lock. Never change one that has shipped. */
const MIGRATIONS: string[] = [
  `CREATE TABLE boards (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL DEFAULT '',
     created_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL,
     closed_at BIGINT
   );
   CREATE TABLE updates (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
     data BYTEA NOT NULL
   );
   CREATE INDEX updates_by_board ON updates (board_id, seq);
   CREATE TABLE snapshots (
     id TEXT PRIMARY KEY,
     board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
     name TEXT NOT NULL,
     kind TEXT NOT NULL,
     created_by TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     size INTEGER NOT NULL,
     content_hash TEXT NOT NULL,
     state BYTEA NOT NULL,
     outcome TEXT NOT NULL,
     thumbnail TEXT NOT NULL,
     seq BIGINT GENERATED ALWAYS AS IDENTITY
   );
   CREATE INDEX snapshots_by_board ON snapshots (board_id, created_at);
   CREATE TABLE late_updates (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
     received_at BIGINT NOT NULL,
     data BYTEA NOT NULL
   );
   CREATE TABLE deleted_boards (id TEXT PRIMARY KEY, deleted_at BIGINT NOT NULL);
   CREATE TABLE board_members (
     board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
     key_hash TEXT NOT NULL,
     role TEXT NOT NULL,
     first_seen BIGINT NOT NULL,
     PRIMARY KEY (board_id, key_hash)
   );
   CREATE TABLE facilitator_notes (
     id TEXT NOT NULL,
     board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
     text TEXT NOT NULL,
     created_by TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     seq BIGINT GENERATED ALWAYS AS IDENTITY,
     PRIMARY KEY (board_id, id)
   );
   CREATE TABLE votes (
     id TEXT PRIMARY KEY,
     board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
     frame_id TEXT NOT NULL,
     dots INTEGER NOT NULL,
     ends_at BIGINT,
     open BOOLEAN NOT NULL
   );
   CREATE UNIQUE INDEX one_open_vote_per_board ON votes (board_id) WHERE open;
   CREATE INDEX open_votes_by_end ON votes (ends_at) WHERE open;
   CREATE TABLE vote_dots (
     vote_id TEXT NOT NULL REFERENCES votes(id) ON DELETE CASCADE,
     voter TEXT NOT NULL,
     shape_id TEXT NOT NULL,
     count INTEGER NOT NULL,
     first_at BIGINT GENERATED ALWAYS AS IDENTITY,
     PRIMARY KEY (vote_id, voter, shape_id)
   );`,
  // 2: programmes and their action lines (the vliegwiel), as JSON records.
  `CREATE TABLE records (
     seq BIGINT GENERATED ALWAYS AS IDENTITY,
     scope TEXT NOT NULL,
     kind TEXT NOT NULL,
     id TEXT NOT NULL,
     json TEXT NOT NULL,
     PRIMARY KEY (scope, kind, id)
   );
   CREATE INDEX records_in_order ON records (scope, kind, seq);`,
  // 3: request ids of dots already placed, so a retry after a lost answer places nothing twice.
  `CREATE TABLE dot_requests (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     vote_id TEXT NOT NULL REFERENCES votes(id) ON DELETE CASCADE,
     voter TEXT NOT NULL,
     request_id TEXT NOT NULL,
     UNIQUE (vote_id, voter, request_id)
   );`,
]

export interface PostgresOptions extends StorageOptions {
  /** postgres://user@host:port/database */
  url: string
  /** The schema to use (created when missing); `public` by default. Tests use one of their own. */
  schema?: string
  /** Connections per process. */
  maxConnections?: number
}

const SNAPSHOT_INFO = 'id, board_id, name, kind, created_by, created_at, size, content_hash'

const bytes = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength)
const toU8 = (b: Buffer) => new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))

interface BoardRow { id: string; title: string; created_at: string; updated_at: string; closed_at: string | null }
interface SnapshotRow extends SnapshotRowBase { state?: Buffer; outcome?: string; thumbnail?: string }

const toInfo = (row: BoardRow): BoardInfo => ({
  id: row.id as BoardId,
  title: row.title,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
  closedAt: row.closed_at === null ? null : Number(row.closed_at),
})
const toSnapshotInfo = snapshotInfoOf
const voteState = (row: { id: string; frame_id: string; dots: number; ends_at: string | null }, open: boolean): VoteState =>
  ({ id: row.id, frameId: row.frame_id, dots: Number(row.dots), endsAt: row.ends_at === null ? null : Number(row.ends_at), open, results: [] })

/** A schema name that is safe to put into SQL unquoted. */
function checkSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`DATABASE schema "${schema}" must be lower-case letters, digits and _`)
  return schema
}

export async function openPostgresStorage(options: PostgresOptions): Promise<BoardStorage> {
  const schema = checkSchema(options.schema ?? 'public')
  const { maxMembersPerBoard } = storageBounds(options)
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
    // Every connection works in the board schema.
    options: `-c search_path=${schema}`,
  })
  // A connection that breaks while idle is dropped by the pool; queries get a new one.
  pool.on('error', () => {})
  let open = true

  const transaction = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      const result = await fn(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }

  try {
    await transaction(async (client) => {
      // One process migrates at a time (the schema too: two CREATE SCHEMA IF NOT EXISTS at once
      // collide); the others wait here and then find nothing to do.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`samen-migrations:${schema}`])
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)')
      const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations')
      const version = rows[0]?.v ?? 0
      if (version > MIGRATIONS.length) throw new Error(`the database schema "${schema}" has version ${version}, newer than this server knows (${MIGRATIONS.length}): run the newer version`)
      for (let v = version; v < MIGRATIONS.length; v++) {
        await client.query(MIGRATIONS[v]!)
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [v + 1, Date.now()])
      }
    })
  } catch (error) {
    await pool.end()
    throw error
  }

  /** Takes the board's row lock (creating the row) and refuses a deleted board, in `client`'s transaction. */
  const lockBoard = async (client: pg.PoolClient, id: BoardId, now: number) => {
    await client.query('INSERT INTO boards (id, title, created_at, updated_at) VALUES ($1, \'\', $2, $2) ON CONFLICT (id) DO UPDATE SET updated_at = EXCLUDED.updated_at', [id, now])
    const { rowCount } = await client.query('SELECT 1 FROM deleted_boards WHERE id = $1', [id])
    if (rowCount) throw new BoardDeletedError(id)
  }

  const one = async <T extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<T | undefined> => (await pool.query<T>(sql, values)).rows[0]

  return {
    maxMembersPerBoard,
    async createBoard(id, title) {
      const now = Date.now()
      try {
        await pool.query('INSERT INTO boards (id, title, created_at, updated_at) VALUES ($1, $2, $3, $3)', [id, title, now])
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw new BoardExistsError(id)
        throw error
      }
      return { id, title, createdAt: now, updatedAt: now, closedAt: null }
    },
    async getBoard(id) {
      const row = await one<BoardRow>('SELECT id, title, created_at, updated_at, closed_at FROM boards WHERE id = $1', [id])
      return row ? toInfo(row) : null
    },
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
        await client.query('INSERT INTO updates (board_id, data) SELECT $1, d FROM unnest($2::bytea[]) WITH ORDINALITY AS u(d, n) ORDER BY n', [id, updates.map(bytes)])
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
    async listBoards() {
      return (await pool.query<BoardRow>('SELECT id, title, created_at, updated_at, closed_at FROM boards ORDER BY updated_at DESC')).rows.map(toInfo)
    },
    async setClosed(id, closedAt) {
      await pool.query('UPDATE boards SET closed_at = $2 WHERE id = $1', [id, closedAt])
    },
    async deleteBoard(id) {
      return transaction(async (client) => {
        // Its log, snapshots, votes and notes go with it (ON DELETE CASCADE).
        const { rowCount } = await client.query('DELETE FROM boards WHERE id = $1', [id])
        if (!rowCount) return false
        await client.query('INSERT INTO deleted_boards (id, deleted_at) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET deleted_at = EXCLUDED.deleted_at', [id, Date.now()])
        return true
      })
    },
    async isDeleted(id) {
      return Boolean((await pool.query('SELECT 1 FROM deleted_boards WHERE id = $1', [id])).rowCount)
    },
    async addLateUpdate(id, update) {
      await pool.query('INSERT INTO late_updates (board_id, received_at, data) VALUES ($1, $2, $3)', [id, Date.now(), bytes(update)])
    },
    async lateUpdateStats(id) {
      const row = (await one<{ count: string; bytes: string }>('SELECT COUNT(*) AS count, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM late_updates WHERE board_id = $1', [id]))!
      return { count: Number(row.count), bytes: Number(row.bytes) }
    },
    async loadLateUpdates(id) {
      return (await pool.query<{ data: Buffer }>('SELECT data FROM late_updates WHERE board_id = $1 ORDER BY seq', [id])).rows.map((r) => toU8(r.data))
    },
    async addMember(id, keyHash, role) {
      // Bounded per board (maxMembersPerBoard); two processes racing at the bound may add one or two more.
      await pool.query(`INSERT INTO board_members (board_id, key_hash, role, first_seen)
        SELECT id, $2, $3, $4 FROM boards WHERE id = $1 AND (SELECT COUNT(*) FROM board_members WHERE board_id = $1) < $5
        ON CONFLICT DO NOTHING`, [id, keyHash, role, Date.now(), maxMembersPerBoard])
    },
    async countMembers(id) {
      return Number((await one<{ n: string }>('SELECT COUNT(*) AS n FROM board_members WHERE board_id = $1', [id]))!.n)
    },
    async addFacilitatorNote(n) {
      await pool.query('INSERT INTO facilitator_notes (id, board_id, text, created_by, created_at) VALUES ($1, $2, $3, $4, $5)', [n.id, n.boardId, n.text, n.createdBy, n.createdAt])
    },
    async listFacilitatorNotes(id) {
      const { rows } = await pool.query<{ id: string; board_id: string; text: string; created_by: string; created_at: string }>(
        'SELECT id, board_id, text, created_by, created_at FROM facilitator_notes WHERE board_id = $1 ORDER BY created_at, seq', [id])
      return rows.map((r) => ({ id: r.id, boardId: r.board_id as BoardId, text: r.text, createdBy: r.created_by, createdAt: Number(r.created_at) }))
    },
    async deleteFacilitatorNote(id, noteId) {
      return Boolean((await pool.query('DELETE FROM facilitator_notes WHERE board_id = $1 AND id = $2', [id, noteId])).rowCount)
    },
    async addSnapshot(s) {
      await pool.query('INSERT INTO snapshots (id, board_id, name, kind, created_by, created_at, size, content_hash, state, outcome, thumbnail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
        [s.id, s.boardId, s.name, s.kind, s.createdBy, s.createdAt, s.size, s.contentHash, bytes(s.state), s.outcome, s.thumbnail])
    },
    async putRecord(scope, kind, id, json) {
      await pool.query('INSERT INTO records (scope, kind, id, json) VALUES ($1, $2, $3, $4) ON CONFLICT (scope, kind, id) DO UPDATE SET json = EXCLUDED.json', [scope, kind, id, json])
    },
    async insertRecord(scope, kind, id, json) {
      return Boolean((await pool.query('INSERT INTO records (scope, kind, id, json) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [scope, kind, id, json])).rowCount)
    },
    async getRecord(scope, kind, id) {
      return (await one<{ json: string }>('SELECT json FROM records WHERE scope = $1 AND kind = $2 AND id = $3', [scope, kind, id]))?.json ?? null
    },
    async deleteRecord(scope, kind, id) {
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
    async listRecords(scope, kind) {
      return (await pool.query<{ id: string; json: string }>('SELECT id, json FROM records WHERE scope = $1 AND kind = $2 ORDER BY seq', [scope, kind])).rows
    },
    async listSnapshots(id) {
      return (await pool.query<SnapshotRow>(`SELECT ${SNAPSHOT_INFO} FROM snapshots WHERE board_id = $1 ORDER BY created_at DESC, seq DESC`, [id])).rows.map(toSnapshotInfo)
    },
    async getSnapshot(id, snapshotId) {
      const row = await one<SnapshotRow>(`SELECT ${SNAPSHOT_INFO}, state, outcome, thumbnail FROM snapshots WHERE board_id = $1 AND id = $2`, [id, snapshotId])
      return row ? { ...toSnapshotInfo(row), state: toU8(row.state!), outcome: row.outcome!, thumbnail: row.thumbnail! } : null
    },
    async openVote(id, state) {
      try {
        await pool.query('INSERT INTO votes (id, board_id, frame_id, dots, ends_at, open) VALUES ($1, $2, $3, $4, $5, TRUE)', [state.id, id, state.frameId, state.dots, state.endsAt])
        return true
      } catch (error) {
        if ((error as { code?: string }).code === '23505') return false
        throw error
      }
    },
    async openVoteOf(id) {
      const row = await one<{ id: string; frame_id: string; dots: number; ends_at: string | null }>('SELECT id, frame_id, dots, ends_at FROM votes WHERE board_id = $1 AND open', [id])
      return row ? voteState(row, true) : null
    },
    async castDot(id, voteId, voter, shapeId, delta, requestId) {
      return transaction(async (client) => {
        // The vote's row lock: casts on one vote, from any process, take turns.
        const vote = (await client.query<{ dots: number; open: boolean }>('SELECT dots, open FROM votes WHERE id = $1 AND board_id = $2 FOR UPDATE', [voteId, id])).rows[0]
        if (!vote?.open) return { ok: false, reason: 'no-vote' } as const
        const { rows } = await client.query<{ shape_id: string; count: number }>('SELECT shape_id, count FROM vote_dots WHERE vote_id = $1 AND voter = $2 ORDER BY first_at', [voteId, voter])
        const mine = new Map(rows.map((r) => [r.shape_id, Number(r.count)]))
        if (requestId && (await client.query('SELECT 1 FROM dot_requests WHERE vote_id = $1 AND voter = $2 AND request_id = $3', [voteId, voter, requestId])).rowCount) {
          return { ok: true, mine: Object.fromEntries(mine) } as const
        }
        const used = [...mine.values()].reduce((a, b) => a + b, 0)
        const current = mine.get(shapeId) ?? 0
        if (delta === 1 && used >= Number(vote.dots)) return { ok: false, reason: 'all-placed' } as const
        if (delta === -1 && current === 0) return { ok: false, reason: 'none-there' } as const
        if (current + delta === 0) {
          await client.query('DELETE FROM vote_dots WHERE vote_id = $1 AND voter = $2 AND shape_id = $3', [voteId, voter, shapeId])
          mine.delete(shapeId)
        } else {
          await client.query(`INSERT INTO vote_dots (vote_id, voter, shape_id, count) VALUES ($1, $2, $3, $4)
            ON CONFLICT (vote_id, voter, shape_id) DO UPDATE SET count = EXCLUDED.count`, [voteId, voter, shapeId, current + delta])
          mine.set(shapeId, current + delta)
        }
        if (requestId) {
          await client.query('INSERT INTO dot_requests (vote_id, voter, request_id) VALUES ($1, $2, $3)', [voteId, voter, requestId])
          await client.query(`DELETE FROM dot_requests WHERE vote_id = $1 AND voter = $2 AND seq NOT IN
            (SELECT seq FROM dot_requests WHERE vote_id = $1 AND voter = $2 ORDER BY seq DESC LIMIT ${DOT_REQUESTS_KEPT})`, [voteId, voter])
        }
        return { ok: true, mine: Object.fromEntries(mine) } as const
      })
    },
    async dotsOf(id, voteId, voter) {
      const { rows } = await pool.query<{ shape_id: string; count: number }>(
        'SELECT d.shape_id, d.count FROM vote_dots d JOIN votes v ON v.id = d.vote_id WHERE v.id = $1 AND v.board_id = $2 AND d.voter = $3 ORDER BY d.first_at', [voteId, id, voter])
      return Object.fromEntries(rows.map((r) => [r.shape_id, Number(r.count)]))
    },
    async closeVote(id, voteId) {
      return transaction(async (client) => {
        // Only the one UPDATE that finds it open gets the tallies.
        const row = (await client.query<{ id: string; frame_id: string; dots: number; ends_at: string | null }>(
          'UPDATE votes SET open = FALSE WHERE id = $1 AND board_id = $2 AND open RETURNING id, frame_id, dots, ends_at', [voteId, id])).rows[0]
        if (!row) return null
        await client.query('DELETE FROM dot_requests WHERE vote_id = $1', [voteId])
        const { rows } = await client.query<{ shape_id: string; n: string }>('SELECT shape_id, SUM(count) AS n, MIN(first_at) AS first FROM vote_dots WHERE vote_id = $1 GROUP BY shape_id ORDER BY first', [voteId])
        const voters = (await client.query<{ n: string }>('SELECT COUNT(DISTINCT voter) AS n FROM vote_dots WHERE vote_id = $1', [voteId])).rows[0]!
        return { state: voteState(row, false), tallies: new Map(rows.map((r) => [r.shape_id, Number(r.n)])), voters: Number(voters.n) }
      })
    },
    async dueVotes(now) {
      const { rows } = await pool.query<{ id: string; board_id: string }>('SELECT id, board_id FROM votes WHERE open AND ends_at IS NOT NULL AND ends_at <= $1', [now])
      return rows.map((r) => ({ boardId: r.board_id as BoardId, voteId: r.id }))
    },
    async usageBytes() {
      const row = await one<{ bytes: string }>(`SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS bytes
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`, [schema])
      return Number(row!.bytes)
    },
    async ping() {
      if (!open) throw new Error('storage is closed')
      await pool.query('SELECT 1')
    },
    async close() {
      if (!open) return
      open = false
      await pool.end()
    },
  }
}
