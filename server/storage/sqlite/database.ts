/**
 * The SQLite connection every store of this backend shares: one file (`<DATA_DIR>/boards.sqlite`)
 * through Node's built-in `node:sqlite`, in WAL mode, migrated on open (schema.ts). With
 * `synchronous = NORMAL` a committed transaction survives a crash of the process (not
 * necessarily of the machine).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { DatabaseSync } from 'node:sqlite'
import { migrate, StorageDamagedError } from './schema.ts'

export interface SqliteConnection {
  readonly db: DatabaseSync
  /** `fn` in one BEGIN IMMEDIATE transaction: what spans stores (a board and its rows) commits together. */
  inTransaction<T>(fn: () => T): T
  /** Free pages back to the disk (cheap: no sync in WAL mode); the log is folded in by the checkpointer. */
  returnFreeSpace(): void
  /** Folds the write-ahead log in and cuts it to 0 bytes, so no old copy of a removed row stays in a file. */
  emptyLog(): Promise<void>
  usageBytes(): number
  close(): Promise<void>
}

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

export function openSqliteConnection(dataDir: string): SqliteConnection {
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
    if (check[0]?.quick_check !== 'ok')
      throw new Error(
        check
          .slice(0, 3)
          .map((r) => r.quick_check)
          .join('; '),
      )
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
    throw new Error(
      'the write-ahead log could not be emptied (the database stayed busy); the record is removed, its old copy stays in boards.sqlite-wal until the next checkpoint',
    )
  }

  const returnFreeSpace = () => {
    db.exec('PRAGMA incremental_vacuum;')
    checkpointer.postMessage('checkpoint')
  }

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

  return {
    db,
    inTransaction,
    returnFreeSpace,
    emptyLog,
    usageBytes() {
      const pages = db.prepare('SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()').get() as { bytes: number }
      const wal = existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0
      return Number(pages.bytes) + wal
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
