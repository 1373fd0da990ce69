/**
 * The SQLite schema, as numbered migrations on `PRAGMA user_version`. One schema for all stores
 * (their tables reference `boards`, so deleting a board cascades through them in one transaction).
 */
import type { DatabaseSync } from 'node:sqlite'

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
  (db) =>
    db.exec(`
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
  (db) =>
    db.exec(`
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
  (db) =>
    db.exec(`
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
export function migrate(db: DatabaseSync, path: string) {
  const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version
  if (version > MIGRATIONS.length)
    throw new StorageDamagedError(`${path} has schema version ${version}, newer than this server knows (${MIGRATIONS.length}): run the newer version`)
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

/** A data file that cannot be trusted: the server refuses to start rather than serve it as empty. */
export class StorageDamagedError extends Error {}
