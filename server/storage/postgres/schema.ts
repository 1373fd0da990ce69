/**
 * The PostgreSQL schema, as numbered migrations recorded in `schema_migrations`. One schema for
 * all stores (their tables reference `boards`, so deleting a board cascades through them in one
 * transaction).
 */
import type pg from 'pg'

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

/** Brings the schema to the latest version, in `client`'s transaction; a schema newer than this code is refused. */
export async function migrate(client: pg.PoolClient, schema: string): Promise<void> {
  // One process migrates at a time (the schema too: two CREATE SCHEMA IF NOT EXISTS at once
  // collide); the others wait here and then find nothing to do.
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`samen-migrations:${schema}`])
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
  await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)')
  const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations')
  const version = rows[0]?.v ?? 0
  if (version > MIGRATIONS.length)
    throw new Error(`the database schema "${schema}" has version ${version}, newer than this server knows (${MIGRATIONS.length}): run the newer version`)
  for (let v = version; v < MIGRATIONS.length; v++) {
    await client.query(MIGRATIONS[v]!)
    await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [v + 1, Date.now()])
  }
}
