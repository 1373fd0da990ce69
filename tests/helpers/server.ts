/**
 * Starts real servers for tests: in this process (`startServer`) or as a child process running
 * server/main.ts (`startServerProcess`, for kill -9 and signal tests). Both clean up after the test.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { pooledBoardWork } from '../../server/room/board-work.ts'
import { freePort } from './ports.ts'
import { createMemoryLogger } from '../../server/log.ts'
import type { BoardOptions as RoomOptions } from '../../server/server.ts'
import { createServer, type RunningServer, type ServerOptions } from '../../server/server.ts'
import { openSqliteStorage } from '../../server/storage/sqlite-storage.ts'
import { createTokens } from '../../server/policy/tokens.ts'
import type { Role } from '../../shared/roles.ts'

/** The secret every test server signs with, so helpers can make tokens for any board and role. */
export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123'
export const testTokens = createTokens(TEST_SECRET)
export const tokenFor = (boardId: string, role: Role = 'facilitator') => testTokens.sign(boardId, role)
import type { Storage } from '../../server/storage/storage.ts'

/** One pool of board workers for every test server of this test file (threads start once). */
const testWork = pooledBoardWork({ maxThreads: 1 })

const cleanups: (() => Promise<void> | void)[] = []
/** Runs (and forgets) every cleanup, newest first: after each test, or at the end of a script. */
export async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
}
// Outside vitest (npm run fuzz:session) there is no test to hang this on: the script calls runCleanups.
try {
  afterEach(runCleanups)
} catch {
  // not running under vitest
}
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn)
}

export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'board-test-'))
  onCleanup(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export interface TestServer {
  server: RunningServer
  port: number
  url: string
  wsUrl: string
  dataDir: string
  storage: Storage
  log: ReturnType<typeof createMemoryLogger>
  close(): Promise<void>
}

type ExtraOptions = Pick<
  ServerOptions,
  'limits' | 'redis' | 'redisPrefix' | 'metricsToken' | 'publicOrigin' | 'allowedOrigins' | 'createKey' | 'maxDataBytes' | 'now' | 'keepaliveMs' | 'cluster'
>

export async function startServer(
  opts: { dataDir?: string; port?: number; storage?: Storage; room?: Partial<RoomOptions>; staticDir?: string } & ExtraOptions = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDataDir()
  const storage = opts.storage ?? openSqliteStorage(dataDir)
  const log = createMemoryLogger()
  const { dataDir: _d, port: wanted, storage: _s, room, ...rest } = opts
  const server = createServer({
    ...rest,
    port: wanted ?? 0,
    storage,
    log,
    tokens: testTokens,
    work: testWork,
    room: { flushMs: 10, idleUnloadMs: 200, ...room },
  })
  const { port } = await server.listen()
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await server.close()
  }
  onCleanup(close)
  return { server, port, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/sync`, dataDir, storage, log, close }
}

export { freePort }

export interface ServerProcess {
  child: ChildProcess
  port: number
  stderr: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Runs `node server/main.ts` with the project's Node; resolves once it prints its URL. */
export async function startServerProcess(dataDir: string, port: number, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['server/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'debug', FLUSH_MS: '10', TOKEN_SECRET: TEST_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await exited
    }
  })
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('listening on')) resolve()
    })
    void exited.then(({ code }) => reject(new Error(`server exited with ${code} before listening:\n${err}`)))
  })
  return { child, port, stderr: () => err, exited }
}
