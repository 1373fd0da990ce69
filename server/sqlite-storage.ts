/**
 * The default storage: one SQLite file (`<DATA_DIR>/boards.sqlite`) through Node's built-in
 * `node:sqlite`, in WAL mode. Each `append` is one transaction; with `synchronous = NORMAL` a
 * committed transaction survives a crash of the process (not necessarily of the machine).
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import type { BoardId } from '../shared/board-id.ts'
import { BoardExistsError, type BoardInfo, type BoardStorage } from './storage.ts'

const SCHEMA = `
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
`

interface BoardRow {
  id: string
  title: string
  created_at: number
  updated_at: number
}

export function openSqliteStorage(dataDir: string): BoardStorage {
  mkdirSync(dataDir, { recursive: true })
  const db = new DatabaseSync(join(dataDir, 'boards.sqlite'))
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;')
  db.exec(SCHEMA)

  const insertBoard = db.prepare('INSERT INTO boards (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)')
  const ensureBoard = db.prepare('INSERT OR IGNORE INTO boards (id, title, created_at, updated_at) VALUES (?, \'\', ?, ?)')
  const touchBoard = db.prepare('UPDATE boards SET updated_at = ? WHERE id = ?')
  const selectBoard = db.prepare('SELECT id, title, created_at, updated_at FROM boards WHERE id = ?')
  const selectUpdates = db.prepare('SELECT data FROM updates WHERE board_id = ? ORDER BY seq')
  const insertUpdate = db.prepare('INSERT INTO updates (board_id, data) VALUES (?, ?)')
  const deleteUpdates = db.prepare('DELETE FROM updates WHERE board_id = ?')
  const countRows = db.prepare('SELECT COUNT(*) AS n FROM updates WHERE board_id = ?')

  const inTransaction = <T>(fn: () => T): T => {
    db.exec('BEGIN IMMEDIATE')
    try {
      const result = fn()
      db.exec('COMMIT')
      return result
    } catch (error) {
      db.exec('ROLLBACK')
      throw error
    }
  }

  const toInfo = (row: BoardRow): BoardInfo => ({
    id: row.id as BoardId,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  })

  return {
    async createBoard(id, title) {
      const now = Date.now()
      try {
        insertBoard.run(id, title, now, now)
      } catch (error) {
        if (String(error).includes('UNIQUE')) throw new BoardExistsError(id)
        throw error
      }
      return { id, title, createdAt: now, updatedAt: now }
    },
    async getBoard(id) {
      const row = selectBoard.get(id) as BoardRow | undefined
      return row ? toInfo(row) : null
    },
    async load(id) {
      return (selectUpdates.all(id) as { data: Uint8Array }[]).map((row) => new Uint8Array(row.data))
    },
    async append(id, updates) {
      if (updates.length === 0) return
      const now = Date.now()
      inTransaction(() => {
        ensureBoard.run(id, now, now)
        for (const update of updates) insertUpdate.run(id, update)
        touchBoard.run(now, id)
      })
    },
    async compact(id, state) {
      const now = Date.now()
      inTransaction(() => {
        ensureBoard.run(id, now, now)
        deleteUpdates.run(id)
        insertUpdate.run(id, state)
      })
    },
    async countUpdates(id) {
      return (countRows.get(id) as { n: number }).n
    },
    async close() {
      if (db.isOpen) db.close()
    },
  }
}
