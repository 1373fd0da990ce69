/**
 * Where whole-board work runs. The server hands it to worker threads, so encoding, hashing and
 * rendering a big board never stalls the event loop that relays everyone's edits and cursors
 * (measured in `npm run bench:compare`: a 5,000-card board's snapshot is ~0.4 s of CPU).
 * `inlineBoardWork` runs the same functions on the calling thread (a SnapshotService made without
 * a pool; the benchmark's "work on the event loop" comparison).
 *
 * Piscina: a maintained worker-thread pool (Vitest's tinypool started as a fork of it) — it
 * queues tasks, starts threads on demand, lets idle ones go and reports a worker that crashed as
 * a rejected task, which we would otherwise write ourselves.
 */
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { Piscina } from 'piscina'
import * as work from './board-worker.ts'
import type { BoardSummaryParts, ExportRequest, ImportVerdict, SnapshotParts } from './board-worker.ts'

export interface BoardWork {
  compactState(updates: Uint8Array[]): Promise<Uint8Array>
  snapshotParts(updates: Uint8Array[], title: string): Promise<SnapshotParts>
  exportFile(request: ExportRequest): Promise<string | Uint8Array>
  boardSummary(updates: Uint8Array[], title: string): Promise<BoardSummaryParts>
  /** A `.tldr` file's text read and judged as a new board's state (up to 32 MB: 2.4–2.9 s of CPU). */
  importState(text: string): Promise<ImportVerdict>
}

/** The same work on the calling thread. */
export const inlineBoardWork: BoardWork = {
  compactState: async (updates) => work.compactState({ updates }),
  snapshotParts: async (updates, title) => work.snapshotParts({ updates, title }),
  exportFile: (request) => work.exportFile(request),
  boardSummary: async (updates, title) => work.boardSummary({ updates, title }),
  importState: (text) => work.importState({ text }),
}

export interface PooledBoardWorkOptions {
  /** At most this many threads (default: one less than the cores, at least one). */
  maxThreads?: number
}

/**
 * Worker threads for whole-board work. Threads start when work arrives and stop after a minute
 * without any, so an idle server holds none. They run at a lower priority where the system
 * allows it (piscina's `niceIncrement`): on a small machine the event loop comes first.
 */
export function pooledBoardWork({ maxThreads = Math.max(1, availableParallelism() - 1) }: PooledBoardWorkOptions = {}): BoardWork & { close(): Promise<void> } {
  const pool = new Piscina({
    // A file path, not import.meta.url: under a browser-like test environment that is an http: URL.
    filename: join(import.meta.dirname, 'board-worker.ts'),
    minThreads: 0,
    maxThreads,
    idleTimeout: 60_000,
    niceIncrement: 5,
  })
  const run = <T>(name: keyof typeof work, task: unknown) => pool.run(task, { name }) as Promise<T>
  return {
    compactState: (updates) => run('compactState', { updates }),
    snapshotParts: (updates, title) => run('snapshotParts', { updates, title }),
    exportFile: (request) => run('exportFile', request),
    boardSummary: (updates, title) => run('boardSummary', { updates, title }),
    importState: (text) => run('importState', { text }),
    close: () => pool.close(),
  }
}
