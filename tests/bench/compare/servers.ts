/**
 * The three servers of `npm run bench:compare`, each started as its own process on 127.0.0.1:
 * the plain relay (the floor), the stock `@y/websocket-server` (the reference, with its own
 * durable storage, y-leveldb, as its README describes) and this project's server (SQLite).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTokens } from '../../../server/policy/tokens.ts'
import { freePort } from '../../helpers/ports.ts'

export type ServerKind = 'relay' | 'reference' | 'this'
export const SERVER_NAMES: Record<ServerKind, string> = { relay: 'plain ws relay', reference: '@y/websocket-server', this: 'this server' }

const SECRET = 'compare-benchmark-secret-compare-benchmark'
const tokens = createTokens(SECRET)
/** This server's /metrics (Prometheus text), read after a run: event-loop lag and garbage collection. */
export const METRICS_TOKEN = 'compare-benchmark-metrics'

export interface BenchServer {
  kind: ServerKind
  pid: number
  /** ws URL to which `/<board>` is appended. */
  wsBase: string
  /** Whether it answers the sync protocol (holds a document). */
  syncs: boolean
  token(board: string, index: number): string | undefined
  stop(): Promise<void>
  dataDir: string
  /** This server's event-loop lag (max, p99, ms) and GC time (s) since the last call; null for the others. */
  loopStats(): Promise<{ lagMaxMs: number; lagP99Ms: number; gcSeconds: number } | null>
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 20 s: ${seen.slice(-500)}`)), 20_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      const match = pattern.exec(seen)
      if (match) {
        clearTimeout(timer)
        resolve(match)
      }
    })
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}: ${seen.slice(-500)}`)))
  })
}

/** Starts a server; `dataDir` reuses a data folder (cold load after a restart). */
export async function startBenchServer(kind: ServerKind, dataDir = mkdtempSync(join(tmpdir(), `bench-${kind}-`))): Promise<BenchServer> {
  let child: ChildProcess
  let wsBase: string
  if (kind === 'relay') {
    child = spawn(process.execPath, ['tests/bench/compare/relay.ts'], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] })
    const [, port] = await waitForLine(child, /relay on (\d+)/, 'relay')
    wsBase = `ws://127.0.0.1:${port}`
  } else if (kind === 'reference') {
    const port = await freePort()
    child = spawn(process.execPath, ['node_modules/@y/websocket-server/src/server.js'], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), YPERSISTENCE: dataDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    await waitForLine(child, /running at/, 'reference server')
    wsBase = `ws://127.0.0.1:${port}`
  } else {
    // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile this server under load.
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
    child = spawn(process.execPath, [...nodeArgs, 'server/main.ts'], {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        TOKEN_SECRET: SECRET,
        LOG_LEVEL: 'warn',
        SNAPSHOT_EVERY_MINUTES: '0',
        METRICS_TOKEN: METRICS_TOKEN,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const [, url] = await waitForLine(child, /listening on (\S+)/, 'this server')
    wsBase = url!.replace('http', 'ws').replace('localhost', '127.0.0.1') + '/sync'
  }
  return {
    kind,
    pid: child.pid!,
    wsBase,
    syncs: kind !== 'relay',
    dataDir,
    async loopStats() {
      if (kind !== 'this') return null
      const text = await (
        await fetch(wsBase.replace('ws', 'http').replace(/\/sync$/, '/metrics'), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
      ).text()
      const value = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN)
      const gc = [...text.matchAll(/^nodejs_gc_duration_seconds_sum\{[^}]*\} (\S+)/gm)].reduce((n, m) => n + Number(m[1]), 0)
      return { lagMaxMs: value('nodejs_eventloop_lag_max_seconds') * 1000, lagP99Ms: value('nodejs_eventloop_lag_p99_seconds') * 1000, gcSeconds: gc }
    },
    token: (board, index) => (kind === 'this' ? tokens.sign(board, index < 2 ? 'facilitator' : 'participant') : undefined),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
        await exited
        clearTimeout(timer)
      }
    },
  }
}

export function removeData(server: BenchServer) {
  rmSync(server.dataDir, { recursive: true, force: true })
}

/** CPU time of a process so far, in seconds (utime + stime). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

export const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024
