/**
 * The default storage: one SQLite file (`<DATA_DIR>/boards.sqlite`) through Node's built-in
 * `node:sqlite`, in WAL mode. Each `append` is one transaction; with `synchronous = NORMAL` a
 * committed transaction survives a crash of the process (not necessarily of the machine).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { DatabaseSync } from 'node:sqlite'
import type { BoardId } from '../../shared/board-id.ts'
import type { VoteState } from '../../shared/voting.ts'
import { BoardDeletedError, BoardExistsError, DOT_REQUESTS_KEPT, snapshotInfoOf, storageBounds, type BoardInfo, type BoardStorage, type SnapshotRow as SnapshotRowBase, type StorageOptions } from './storage.ts'

/** The schema of the first release (files made before migrations were numbered have parts of it). */
const SCHEMA_1 = `
  CREATE TABLE IF NOT EXISTS boards (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    data BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS updates_by_board ON updates (board_id, seq);
  CREATE TABLE IF NOT EXISTS snapshots (
    id TEXT PRIMARY KEY,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    size INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    state BLOB NOT NULL,
    outcome TEXT NOT NULL,
    thumbnail TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS snapshots_by_board ON snapshots (board_id, created_at);
  CREATE TABLE IF NOT EXISTS late_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    received_at INTEGER NOT NULL,
    data BLOB NOT NULL
  );
  CREATE TABLE IF NOT EXISTS deleted_boards (id TEXT PRIMARY KEY, deleted_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS board_members (
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    key_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    PRIMARY KEY (board_id, key_hash)
  );
  CREATE TABLE IF NOT EXISTS facilitator_notes (
    id TEXT NOT NULL,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (board_id, id)
  );
`

/**
 * Numbered migrations, applied in order on open, each in its own transaction, with the file's
 * version in `PRAGMA user_version`. Never change one that has shipped: add the next.
 */
const MIGRATIONS: ((db: DatabaseSync) => void)[] = [
  // 1: the tables (IF NOT EXISTS: files from before numbering hold some or all of them).
  (db) => db.exec(SCHEMA_1),
  // 2: closing a session. Files from before numbering may have the column already.
  (db) => {
    const columns = db.prepare('PRAGMA table_info(boards)').all() as { name: string }[]
    if (!columns.some((c) => c.name === 'closed_at')) db.exec('ALTER TABLE boards ADD COLUMN closed_at INTEGER')
  },
  // 3: open dot votes and their dots, out of the server's memory (a restart keeps them).
  (db) => db.exec(`
    CREATE TABLE votes (
      id TEXT PRIMARY KEY,
      board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
      frame_id TEXT NOT NULL,
      dots INTEGER NOT NULL,
      ends_at INTEGER,
      open INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX one_open_vote_per_board ON votes (board_id) WHERE open = 1;
    CREATE INDEX open_votes_by_end ON votes (ends_at) WHERE open = 1;
    CREATE TABLE vote_dots (
      vote_id TEXT NOT NULL REFERENCES votes(id) ON DELETE CASCADE,
      voter TEXT NOT NULL,
      shape_id TEXT NOT NULL,
      count INTEGER NOT NULL,
      first_at INTEGER NOT NULL,
      PRIMARY KEY (vote_id, voter, shape_id)
    );
  `),
  // 4: programmes and their action lines (the vliegwiel), as JSON records.
  (db) => db.exec(`
    CREATE TABLE records (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      scope TEXT NOT NULL,
      kind TEXT NOT NULL,
      id TEXT NOT NULL,
      json TEXT NOT NULL,
      UNIQUE (scope, kind, id)
    );
  `),
  // 5: request ids of dots already placed, so a retry after a lost answer places nothing twice.
  (db) => db.exec(`
    CREATE TABLE dot_requests (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      vote_id TEXT NOT NULL REFERENCES votes(id) ON DELETE CASCADE,
      voter TEXT NOT NULL,
      request_id TEXT NOT NULL,
      UNIQUE (vote_id, voter, request_id)
    );
  `),
]

/** Brings the file to the latest schema version; a file newer than this code is refused. */
function migrate(db: DatabaseSync, path: string) {
  const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version
  if (version > MIGRATIONS.length) throw new StorageDamagedError(`${path} has schema version ${version}, newer than this server knows (${MIGRATIONS.length}): run the newer version`)
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.exec('BEGIN IMMEDIATE')
    try {
      MIGRATIONS[v]!(db)
      db.exec(`PRAGMA user_version = ${v + 1}`)
      db.exec('COMMIT')
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK')
      throw error
    }
  }
}

interface BoardRow {
  id: string
  title: string
  created_at: number
  updated_at: number
  closed_at: number | null
}

interface SnapshotRow extends SnapshotRowBase {
  state?: Uint8Array
  outcome?: string
  thumbnail?: string
}

const SNAPSHOT_INFO = 'id, board_id, name, kind, created_by, created_at, size, content_hash'

/** A data file that cannot be trusted: the server refuses to start rather than serve it as empty. */
export class StorageDamagedError extends Error {}

/** The write-ahead log is cut back to this size when it is reset. */
const WAL_LIMIT_BYTES = 8 * 1024 * 1024

/**
 * The checkpointer thread: its own connection to the file, folding the write-ahead log in every
 * `everyMs` and when asked. PASSIVE: it never waits for, or blocks, the server's writes; when all
 * of the log is in, the log file is truncated (a moment's lock, nothing left to copy).
 */
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads')
const { DatabaseSync } = require('node:sqlite')
const db = new DatabaseSync(workerData.path)
db.exec('PRAGMA busy_timeout = 1000; PRAGMA journal_size_limit = ' + workerData.limit)
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
const checkpoint = () => {
  try {
    const done = passive.get()
    // All of it folded in: the file is cut back (quick now, with nothing left to copy).
    if (done && done.busy === 0 && done.log > 0 && done.log === done.checkpointed) db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
  } catch {}
}
setInterval(checkpoint, workerData.everyMs)
parentPort.on('message', (message) => {
  if (typeof message !== 'object' || message === null) return checkpoint()
  // Asked to empty the log: all of it folded in and the file cut to 0 bytes (busy: 1 when it could not).
  let result
  try {
    result = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get()
  } catch (error) {
    result = { busy: 1, error: String(error) }
  }
  parentPort.postMessage({ truncated: message.truncate, busy: result ? result.busy : 1 })
})
`

function voteState(row: { id: string; frame_id: string; dots: number; ends_at: number | null }, open: boolean): VoteState {
  return { id: row.id, frameId: row.frame_id, dots: Number(row.dots), endsAt: row.ends_at === null ? null : Number(row.ends_at), open, results: [] }
}

export function openSqliteStorage(dataDir: string, options: StorageOptions = {}): BoardStorage {
  const { maxMembersPerBoard } = storageBounds(options)
  mkdirSync(dataDir, { recursive: true })
  const path = join(dataDir, 'boards.sqlite')
  // An existing file of 0 bytes is a lost database, not a new one: the links people hold would
  // open empty boards.
  if (existsSync(path) && statSync(path).size === 0) {
    throw new StorageDamagedError(`${path} is empty (0 bytes): restore it from a backup, or move it away to start with no boards`)
  }
  let db: DatabaseSync
  try {
    db = new DatabaseSync(path)
    // auto_vacuum first: on a new file it must be set before anything (WAL too) writes the header.
    db.exec('PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;')
    // What is deleted is overwritten with zeros, in its page and in freed pages: a removed sign-up
    // (name, e-mail, organisation) stayed readable in the file. Per connection, so set at every open.
    // Cost: deleting 40 MB of rows (a compaction) took 250–285 ms instead of 110–130 ms.
    db.exec('PRAGMA secure_delete = ON')
    const check = db.prepare('PRAGMA quick_check').all() as { quick_check: string }[]
    if (check[0]?.quick_check !== 'ok') throw new Error(check.slice(0, 3).map((r) => r.quick_check).join('; '))
  } catch (error) {
    throw new StorageDamagedError(`${path} is damaged (${(error as Error).message}): restore it from a backup, or move it away to start with no boards`)
  }
  // Space freed by compaction (and deleted boards) goes back to the disk: a board that once held
  // 100,000 updates kept a 34 MB file for 1.3 MB of data. An older file gets incremental
  // auto-vacuum with one VACUUM, once, at its first open by this version.
  if ((db.prepare('PRAGMA auto_vacuum').get() as { auto_vacuum: number }).auto_vacuum !== 2) db.exec('PRAGMA auto_vacuum = INCREMENTAL; VACUUM')
  migrate(db, path)

  // Checkpoints (folding the write-ahead log into the file) fsync, ~10 ms per MB: done on the event
  // loop they stalled every connection during a compaction or snapshot of a big board (30–60 ms
  // measured). They run in a worker thread with its own connection instead; the log is kept small
  // there (every second, and at once after a compaction) and cut back to 8 MB when reset.
  db.exec(`PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = ${WAL_LIMIT_BYTES};`)
  const checkpointer = new Worker(CHECKPOINTER, { eval: true, workerData: { path, everyMs: 1_000, limit: WAL_LIMIT_BYTES } })
  checkpointer.unref()
  checkpointer.on('error', () => {
    // Without it the log would only grow: the event loop takes the checkpoints over.
    db.exec('PRAGMA wal_autocheckpoint = 1000')
  })

  /**
   * Empties the write-ahead log: every frame folded into the file and the log cut to 0 bytes, so
   * the old frames of a page — a removed record as it was before — are in no file any more
   * (secure_delete zeroes only the current page). In the checkpointer thread (it fsyncs); on the
   * event loop if that thread is gone. Busy (another connection reading) is retried.
   */
  let truncations = 0
  const waiting = new Map<number, (busy: number) => void>()
  let checkpointerAlive = true
  checkpointer.on('message', (m: { truncated: number; busy: number }) => {
    waiting.get(m.truncated)?.(m.busy)
    waiting.delete(m.truncated)
  })
  const checkpointerGone = () => {
    checkpointerAlive = false
    for (const [ask, done] of waiting) {
      waiting.delete(ask)
      done(1)
    }
  }
  checkpointer.on('error', checkpointerGone)
  checkpointer.on('exit', checkpointerGone)
  const emptyLog = async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const busy = checkpointerAlive
        ? await new Promise<number>((resolve) => {
          const ask = ++truncations
          waiting.set(ask, resolve)
          checkpointer.postMessage({ truncate: ask })
        })
        : Number((db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get() as { busy: number }).busy)
      if (busy === 0) return
    }
    throw new Error('the write-ahead log could not be emptied (the database stayed busy); the record is removed, its old copy stays in boards.sqlite-wal until the next checkpoint')
  }

  /** Free pages back to the disk (cheap: no sync in WAL mode); the log is folded in by the checkpointer. */
  const returnFreeSpace = () => {
    db.exec('PRAGMA incremental_vacuum;')
    checkpointer.postMessage('checkpoint')
  }

  const insertBoard = db.prepare('INSERT INTO boards (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)')
  const ensureBoard = db.prepare('INSERT OR IGNORE INTO boards (id, title, created_at, updated_at) VALUES (?, \'\', ?, ?)')
  const touchBoard = db.prepare('UPDATE boards SET updated_at = ? WHERE id = ?')
  const selectBoard = db.prepare('SELECT id, title, created_at, updated_at, closed_at FROM boards WHERE id = ?')
  const selectBoards = db.prepare('SELECT id, title, created_at, updated_at, closed_at FROM boards ORDER BY updated_at DESC')
  const closeBoard = db.prepare('UPDATE boards SET closed_at = ? WHERE id = ?')
  const removeBoard = db.prepare('DELETE FROM boards WHERE id = ?')
  const buryBoard = db.prepare('INSERT OR REPLACE INTO deleted_boards (id, deleted_at) VALUES (?, ?)')
  const insertLate = db.prepare('INSERT INTO late_updates (board_id, received_at, data) VALUES (?, ?, ?)')
  const lateStats = db.prepare('SELECT COUNT(*) AS count, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM late_updates WHERE board_id = ?')
  const selectLate = db.prepare('SELECT data FROM late_updates WHERE board_id = ? ORDER BY seq')
  const selectDeleted = db.prepare('SELECT 1 AS yes FROM deleted_boards WHERE id = ?')
  // Bounded per board (maxMembersPerBoard): the count of a full board stops growing.
  const insertMember = db.prepare(`INSERT OR IGNORE INTO board_members (board_id, key_hash, role, first_seen)
    SELECT id, ?, ?, ? FROM boards WHERE id = ? AND (SELECT COUNT(*) FROM board_members WHERE board_id = boards.id) < ?`)
  const countMemberRows = db.prepare('SELECT COUNT(*) AS n FROM board_members WHERE board_id = ?')
  const insertNote = db.prepare('INSERT INTO facilitator_notes (id, board_id, text, created_by, created_at) VALUES (?, ?, ?, ?, ?)')
  const selectNotes = db.prepare('SELECT id, board_id, text, created_by, created_at FROM facilitator_notes WHERE board_id = ? ORDER BY created_at, rowid')
  const removeNote = db.prepare('DELETE FROM facilitator_notes WHERE board_id = ? AND id = ?')
  const insertSnapshot = db.prepare('INSERT INTO snapshots (id, board_id, name, kind, created_by, created_at, size, content_hash, state, outcome, thumbnail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
  const selectSnapshots = db.prepare(`SELECT ${SNAPSHOT_INFO} FROM snapshots WHERE board_id = ? ORDER BY created_at DESC, rowid DESC`)
  const selectSnapshot = db.prepare(`SELECT ${SNAPSHOT_INFO}, state, outcome, thumbnail FROM snapshots WHERE board_id = ? AND id = ?`)
  const selectUpdates = db.prepare('SELECT data FROM updates WHERE board_id = ? ORDER BY seq')
  const selectLog = db.prepare('SELECT seq, data FROM updates WHERE board_id = ? ORDER BY seq')
  const insertUpdate = db.prepare('INSERT INTO updates (board_id, data) VALUES (?, ?)')
  const deleteUpdates = db.prepare('DELETE FROM updates WHERE board_id = ? AND seq <= ?')
  const insertVote = db.prepare('INSERT INTO votes (id, board_id, frame_id, dots, ends_at, open) VALUES (?, ?, ?, ?, ?, 1)')
  const selectOpenVote = db.prepare('SELECT id, frame_id, dots, ends_at FROM votes WHERE board_id = ? AND open = 1')
  const selectVote = db.prepare('SELECT id, frame_id, dots, ends_at, open FROM votes WHERE id = ? AND board_id = ?')
  const selectDots = db.prepare('SELECT shape_id, count FROM vote_dots WHERE vote_id = ? AND voter = ? ORDER BY first_at, rowid')
  const upsertDot = db.prepare(`INSERT INTO vote_dots (vote_id, voter, shape_id, count, first_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (vote_id, voter, shape_id) DO UPDATE SET count = excluded.count`)
  const removeDot = db.prepare('DELETE FROM vote_dots WHERE vote_id = ? AND voter = ? AND shape_id = ?')
  const closeOpenVote = db.prepare('UPDATE votes SET open = 0 WHERE id = ? AND board_id = ? AND open = 1')
  const selectTallies = db.prepare('SELECT shape_id, SUM(count) AS n, MIN(first_at) AS first FROM vote_dots WHERE vote_id = ? GROUP BY shape_id ORDER BY first')
  const countVoters = db.prepare('SELECT COUNT(DISTINCT voter) AS n FROM vote_dots WHERE vote_id = ?')
  const selectRequest = db.prepare('SELECT 1 FROM dot_requests WHERE vote_id = ? AND voter = ? AND request_id = ?')
  const insertRequest = db.prepare('INSERT INTO dot_requests (vote_id, voter, request_id) VALUES (?, ?, ?)')
  const trimRequests = db.prepare(`DELETE FROM dot_requests WHERE vote_id = ? AND voter = ? AND seq NOT IN
    (SELECT seq FROM dot_requests WHERE vote_id = ? AND voter = ? ORDER BY seq DESC LIMIT ${DOT_REQUESTS_KEPT})`)
  const forgetRequests = db.prepare('DELETE FROM dot_requests WHERE vote_id = ?')
  const selectDue = db.prepare('SELECT id, board_id FROM votes WHERE open = 1 AND ends_at IS NOT NULL AND ends_at <= ?')
  let dotOrder = 0
  const upsertRecord = db.prepare('INSERT INTO records (scope, kind, id, json) VALUES (?, ?, ?, ?) ON CONFLICT (scope, kind, id) DO UPDATE SET json = excluded.json')
  const insertRecordRow = db.prepare('INSERT OR IGNORE INTO records (scope, kind, id, json) VALUES (?, ?, ?, ?)')
  const selectRecord = db.prepare('SELECT json FROM records WHERE scope = ? AND kind = ? AND id = ?')
  const removeRecord = db.prepare('DELETE FROM records WHERE scope = ? AND kind = ? AND id = ?')
  const selectRecords = db.prepare('SELECT id, json FROM records WHERE scope = ? AND kind = ? ORDER BY seq')
  const countRows = db.prepare('SELECT COUNT(*) AS n FROM updates WHERE board_id = ?')

  const inTransaction = <T>(fn: () => T): T => {
    db.exec('BEGIN IMMEDIATE')
    try {
      const result = fn()
      db.exec('COMMIT')
      return result
    } catch (error) {
      // SQLite rolls back by itself on some errors (SQLITE_FULL): a second rollback would throw
      // "no transaction is active" and hide the real cause.
      if (db.isTransaction) db.exec('ROLLBACK')
      throw error
    }
  }

  const toInfo = (row: BoardRow): BoardInfo => ({
    id: row.id as BoardId,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at ?? null,
  })
  const toSnapshotInfo = snapshotInfoOf

  return {
    maxMembersPerBoard,
    async createBoard(id, title) {
      const now = Date.now()
      try {
        insertBoard.run(id, title, now, now)
      } catch (error) {
        if (String(error).includes('UNIQUE')) throw new BoardExistsError(id)
        throw error
      }
      return { id, title, createdAt: now, updatedAt: now, closedAt: null }
    },
    async getBoard(id) {
      const row = selectBoard.get(id) as BoardRow | undefined
      return row ? toInfo(row) : null
    },
    async load(id) {
      return (selectUpdates.all(id) as { data: Uint8Array }[]).map((row) => new Uint8Array(row.data))
    },
    async loadLog(id) {
      const rows = selectLog.all(id) as { seq: number; data: Uint8Array }[]
      return { updates: rows.map((row) => new Uint8Array(row.data)), through: Number(rows.at(-1)?.seq ?? 0) }
    },
    async append(id, updates) {
      if (updates.length === 0) return
      const now = Date.now()
      inTransaction(() => {
        if (selectDeleted.get(id)) throw new BoardDeletedError(id)
        ensureBoard.run(id, now, now)
        for (const update of updates) insertUpdate.run(id, update)
        touchBoard.run(now, id)
      })
    },
    async compact(id, state, through = Number.MAX_SAFE_INTEGER) {
      const now = Date.now()
      inTransaction(() => {
        if (selectDeleted.get(id)) throw new BoardDeletedError(id)
        ensureBoard.run(id, now, now)
        deleteUpdates.run(id, through)
        insertUpdate.run(id, state)
      })
      returnFreeSpace()
    },
    async countUpdates(id) {
      return (countRows.get(id) as { n: number }).n
    },
    async listBoards() {
      return (selectBoards.all() as unknown as BoardRow[]).map(toInfo)
    },
    async setClosed(id, closedAt) {
      closeBoard.run(closedAt, id)
    },
    async deleteBoard(id) {
      // Updates and snapshots go with it (ON DELETE CASCADE).
      const existed = inTransaction(() => {
        const removed = Number(removeBoard.run(id).changes) > 0
        if (removed) buryBoard.run(id, Date.now())
        return removed
      })
      if (existed) returnFreeSpace()
      return existed
    },
    async addLateUpdate(id, update) {
      insertLate.run(id, Date.now(), update)
    },
    async lateUpdateStats(id) {
      const row = lateStats.get(id) as { count: number; bytes: number }
      return { count: Number(row.count), bytes: Number(row.bytes) }
    },
    async loadLateUpdates(id) {
      return (selectLate.all(id) as { data: Uint8Array }[]).map((row) => new Uint8Array(row.data))
    },
    async isDeleted(id) {
      return selectDeleted.get(id) !== undefined
    },
    async addMember(id, keyHash, role) {
      insertMember.run(keyHash, role, Date.now(), id, maxMembersPerBoard)
    },
    async countMembers(id) {
      return Number((countMemberRows.get(id) as { n: number }).n)
    },
    async addFacilitatorNote(n) {
      insertNote.run(n.id, n.boardId, n.text, n.createdBy, n.createdAt)
    },
    async listFacilitatorNotes(id) {
      return (selectNotes.all(id) as { id: string; board_id: string; text: string; created_by: string; created_at: number }[])
        .map((r) => ({ id: r.id, boardId: r.board_id as BoardId, text: r.text, createdBy: r.created_by, createdAt: Number(r.created_at) }))
    },
    async deleteFacilitatorNote(id, noteId) {
      return Number(removeNote.run(id, noteId).changes) > 0
    },
    async addSnapshot(s) {
      insertSnapshot.run(s.id, s.boardId, s.name, s.kind, s.createdBy, s.createdAt, s.size, s.contentHash, s.state, s.outcome, s.thumbnail)
    },
    async openVote(id, state) {
      try {
        insertVote.run(state.id, id, state.frameId, state.dots, state.endsAt)
        return true
      } catch (error) {
        if (String(error).includes('UNIQUE')) return false
        throw error
      }
    },
    async openVoteOf(id) {
      const row = selectOpenVote.get(id) as { id: string; frame_id: string; dots: number; ends_at: number | null } | undefined
      return row ? voteState(row, true) : null
    },
    async castDot(id, voteId, voter, shapeId, delta, requestId) {
      // One transaction (BEGIN IMMEDIATE): the check and the write cannot interleave with another's.
      return inTransaction(() => {
        const vote = selectVote.get(voteId, id) as { dots: number; open: number } | undefined
        if (!vote || !vote.open) return { ok: false, reason: 'no-vote' } as const
        const mine = new Map((selectDots.all(voteId, voter) as { shape_id: string; count: number }[]).map((r) => [r.shape_id, Number(r.count)]))
        if (requestId && selectRequest.get(voteId, voter, requestId)) return { ok: true, mine: Object.fromEntries(mine) } as const
        const used = [...mine.values()].reduce((a, b) => a + b, 0)
        const current = mine.get(shapeId) ?? 0
        if (delta === 1 && used >= Number(vote.dots)) return { ok: false, reason: 'all-placed' } as const
        if (delta === -1 && current === 0) return { ok: false, reason: 'none-there' } as const
        if (current + delta === 0) {
          removeDot.run(voteId, voter, shapeId)
          mine.delete(shapeId)
        } else {
          upsertDot.run(voteId, voter, shapeId, current + delta, Date.now() * 1000 + (dotOrder++ % 1000))
          mine.set(shapeId, current + delta)
        }
        if (requestId) {
          insertRequest.run(voteId, voter, requestId)
          trimRequests.run(voteId, voter, voteId, voter)
        }
        return { ok: true, mine: Object.fromEntries(mine) } as const
      })
    },
    async dotsOf(id, voteId, voter) {
      if (!selectVote.get(voteId, id)) return {}
      return Object.fromEntries((selectDots.all(voteId, voter) as { shape_id: string; count: number }[]).map((r) => [r.shape_id, Number(r.count)]))
    },
    async closeVote(id, voteId) {
      return inTransaction(() => {
        const row = selectVote.get(voteId, id) as { id: string; frame_id: string; dots: number; ends_at: number | null } | undefined
        if (!row || Number(closeOpenVote.run(voteId, id).changes) === 0) return null
        forgetRequests.run(voteId)
        const tallies = new Map((selectTallies.all(voteId) as { shape_id: string; n: number }[]).map((r) => [r.shape_id, Number(r.n)]))
        return { state: voteState(row, false), tallies, voters: Number((countVoters.get(voteId) as { n: number }).n) }
      })
    },
    async dueVotes(now) {
      return (selectDue.all(now) as { id: string; board_id: string }[]).map((r) => ({ boardId: r.board_id as BoardId, voteId: r.id }))
    },
    async putRecord(scope, kind, id, json) {
      upsertRecord.run(scope, kind, id, json)
    },
    async insertRecord(scope, kind, id, json) {
      return Number(insertRecordRow.run(scope, kind, id, json).changes) > 0
    },
    async getRecord(scope, kind, id) {
      return (selectRecord.get(scope, kind, id) as { json: string } | undefined)?.json ?? null
    },
    async deleteRecord(scope, kind, id) {
      // Zeroed in its page (secure_delete), then the log's older copies of that page go too.
      const removed = Number(removeRecord.run(scope, kind, id).changes) > 0
      if (removed) await emptyLog()
      return removed
    },
    async listRecords(scope, kind) {
      return (selectRecords.all(scope, kind) as { id: string; json: string }[]).map((r) => ({ id: r.id, json: r.json }))
    },
    async listSnapshots(id) {
      return (selectSnapshots.all(id) as unknown as SnapshotRow[]).map(toSnapshotInfo)
    },
    async getSnapshot(id, snapshotId) {
      const row = selectSnapshot.get(id, snapshotId) as SnapshotRow | undefined
      if (!row) return null
      return { ...toSnapshotInfo(row), state: new Uint8Array(row.state!), outcome: row.outcome!, thumbnail: row.thumbnail! }
    },
    async usageBytes() {
      const pages = db.prepare('SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()').get() as { bytes: number }
      const wal = existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0
      return Number(pages.bytes) + wal
    },
    async ping() {
      db.prepare('SELECT 1').get()
    },
    async close() {
      await checkpointer.terminate()
      // The last checkpoint leaves a file that needs no log.
      if (db.isOpen) {
        db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
        db.close()
      }
    },
  }
}
