/**
 * The bench:load workload (LOAD_CLIENTS = 80 stock y-websocket clients on one board, cursors
 * LOAD_CURSOR_HZ = 4 times a second, a card every ~LOAD_EDIT_SECONDS = 3 s each, for
 * LOAD_SECONDS = 20) on three set-ups, one after the other in one run:
 *
 *   1. one process with SQLite (the default);
 *   2. one process with PostgreSQL + Redis;
 *   3. two processes with PostgreSQL + Redis, the clients alternating between them.
 *
 * Prints card fan-out latency p50/p95/p99 (and, for two processes, same-process against
 * cross-process deliveries: the Redis hop), cards and deliveries per second, and each process's
 * CPU and peak memory. Uses the machine's PostgreSQL and Redis (TEST_DATABASE_URL,
 * TEST_REDIS_URL) with a schema and key prefix of its own, removed afterwards. Stops by itself.
 *
 *   npm run bench:cluster
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import pg from 'pg'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { createTokens } from '../../server/tokens.ts'
import { card } from '../helpers/records.ts'

process.setMaxListeners(0)

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 80)
const SECONDS = Number(process.env.LOAD_SECONDS ?? 20)
const CURSOR_HZ = Number(process.env.LOAD_CURSOR_HZ ?? 4)
const EDIT_SECONDS = Number(process.env.LOAD_EDIT_SECONDS ?? 3)
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const SECRET = 'cluster-benchmark-secret-cluster-benchmark'
const BOARD = 'clusterload'

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return Number(fields[11]) + Number(fields[12])
}
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; wsUrl: string; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'board-cluster-bench-'))
  const child = spawn(process.execPath, ['server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, TOKEN_SECRET: SECRET, LOG_LEVEL: 'warn', SNAPSHOT_EVERY_MINUTES: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 15 s')), 15_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening on (\S+)/.exec(chunk.toString())
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
  })
  return { child, dataDir, wsUrl: url.replace('http', 'ws').replace('localhost', '127.0.0.1') + '/sync' }
}

interface Result {
  setup: string
  p50: number
  p95: number
  p99: number
  sameP50?: number
  crossP50?: number
  cards: number
  deliveries: number
  seconds: number
  converged: boolean
  processes: { cpu: number; rss: number }[]
}

async function run(setup: string, envs: Record<string, string>[]): Promise<Result> {
  const servers: Awaited<ReturnType<typeof startServer>>[] = []
  for (const env of envs) servers.push(await startServer(env))
  const tokens = createTokens(SECRET)
  const latencies: number[] = []
  const byHop: { same: number[]; cross: number[] } = { same: [], cross: [] }
  const sent = new Map<string, { at: number; server: number }>()
  const clients = Array.from({ length: CLIENTS }, (_, i) => {
    const server = i % servers.length
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(servers[server]!.wsUrl, BOARD, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: tokens.sign(BOARD, i < 2 ? 'facilitator' : 'participant') },
      disableBc: true,
    })
    const records = doc.getMap<{ id: string }>('records')
    const seen = new Set<string>()
    records.observe((event) => {
      const now = performance.now()
      for (const key of event.keysChanged) {
        const from = sent.get(key)
        if (from !== undefined && !seen.has(key) && event.transaction.origin !== null) {
          seen.add(key)
          latencies.push(now - from.at)
          ;(from.server === server ? byHop.same : byHop.cross).push(now - from.at)
        }
      }
    })
    return { doc, provider, records, server }
  })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('clients did not all sync in 30 s')), 30_000)
    const check = setInterval(() => {
      if (clients.every((c) => c.provider.synced)) {
        clearInterval(check)
        clearTimeout(timer)
        resolve()
      }
    }, 50)
  })
  const pids = servers.map((s) => s.child.pid!)
  const cpuBefore = pids.map(cpuTicks)
  const peak = pids.map(() => 0)
  const sampler = setInterval(() => pids.forEach((pid, k) => (peak[k] = Math.max(peak[k]!, rssMb(pid)))), 500)
  const t0 = performance.now()
  let edits = 0
  const timers: ReturnType<typeof setTimeout>[] = []
  clients.forEach((client, i) => {
    timers.push(setInterval(() => {
      client.provider.awareness.setLocalStateField('presence', { cursor: { x: Math.random() * 5000, y: Math.random() * 3000 }, name: `Deelnemer ${i}` })
    }, 1000 / CURSOR_HZ))
    timers.push(setTimeout(function again() {
      const id = `shape:load-${i}-${edits++}`
      sent.set(id, { at: performance.now(), server: client.server })
      client.records.set(id, card(id, `Bijdrage ${id}`, { x: Math.random() * 5000, y: Math.random() * 3000 }) as never)
      timers.push(setTimeout(again, EDIT_SECONDS * 1000 * (0.5 + Math.random())))
    }, Math.random() * EDIT_SECONDS * 1000))
  })
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000))
  for (const timer of timers) clearTimeout(timer)
  const seconds = (performance.now() - t0) / 1000
  const cpu = pids.map((pid, k) => ((cpuTicks(pid) - cpuBefore[k]!) / 100 / seconds) * 100)
  const deadline = performance.now() + 30_000
  while (performance.now() < deadline && !clients.every((c) => c.records.size === edits)) await new Promise((resolve) => setTimeout(resolve, 100))
  clearInterval(sampler)
  const converged = clients.every((c) => c.records.size === edits) && new Set(clients.map((c) => JSON.stringify([...c.records.keys()].sort()))).size === 1
  for (const client of clients) {
    client.provider.destroy()
    client.doc.destroy()
  }
  for (const server of servers) {
    server.child.kill('SIGTERM')
    await new Promise((resolve) => server.child.once('exit', resolve))
    rmSync(server.dataDir, { recursive: true, force: true })
  }
  latencies.sort((a, b) => a - b)
  byHop.same.sort((a, b) => a - b)
  byHop.cross.sort((a, b) => a - b)
  return {
    setup,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    ...(byHop.cross.length > 0 ? { sameP50: percentile(byHop.same, 50), crossP50: percentile(byHop.cross, 50) } : {}),
    cards: edits,
    deliveries: latencies.length,
    seconds,
    converged,
    processes: cpu.map((c, k) => ({ cpu: c, rss: peak[k]! })),
  }
}

async function main() {
  const schema = `bench_${randomBytes(4).toString('hex')}`
  const prefix = `bench-${randomBytes(4).toString('hex')}:`
  const admin = new pg.Client({ connectionString: DATABASE_URL })
  try {
    await admin.connect()
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${DATABASE_URL} (${(error as Error).message}); start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`)
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 })
  await redis.connect().catch((error: unknown) => {
    throw new Error(`Redis is not reachable at ${REDIS_URL} (${(error as Error).message})`)
  })
  const shared = (n: number) => ({ DATABASE_URL, DATABASE_SCHEMA: `${schema}_${n}`, REDIS_URL, REDIS_PREFIX: `${prefix}${n}:` })
  const results: Result[] = []
  try {
    results.push(await run('1 process, SQLite', [{}]))
    results.push(await run('1 process, PostgreSQL + Redis', [shared(2)]))
    results.push(await run('2 processes, PostgreSQL + Redis', [shared(3), shared(3)]))
  } finally {
    for (const n of [2, 3]) await admin.query(`DROP SCHEMA IF EXISTS ${schema}_${n} CASCADE`)
    await admin.end()
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    redis.disconnect()
  }
  const ms = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '–' : `${Math.round(n)}`)
  console.log(`\n${CLIENTS} clients on one board, ${CURSOR_HZ} cursor updates/s each, a card every ~${EDIT_SECONDS} s each, ${SECONDS} s per set-up (all on this machine: ${navigatorCores()} cores shared by servers, PostgreSQL, Redis and the clients)\n`)
  console.log('| set-up | card → others p50 / p95 / p99 (ms) | same process / via Redis p50 (ms) | cards/s | deliveries/s | CPU per process (% of a core) | peak RSS per process (MB) | converged |')
  console.log('|---|---|---|---|---|---|---|---|')
  for (const r of results) {
    console.log(`| ${r.setup} | ${ms(r.p50)} / ${ms(r.p95)} / ${ms(r.p99)} | ${r.crossP50 === undefined ? '–' : `${ms(r.sameP50)} / ${ms(r.crossP50)}`} | ${(r.cards / r.seconds).toFixed(1)} | ${Math.round(r.deliveries / r.seconds)} | ${r.processes.map((p) => Math.round(p.cpu)).join(' + ')} | ${r.processes.map((p) => Math.round(p.rss)).join(' + ')} | ${r.converged ? 'yes' : 'NO'} |`)
  }
  const two = results[2]!
  if (two.crossP50 !== undefined) console.log(`\nThe Redis hop: a card from a client of the other process arrives ${Math.round(two.crossP50 - two.sameP50!)} ms later (p50) than one from a client of the same process.`)
  process.exit(results.every((r) => r.converged) ? 0 : 1)
}

function navigatorCores(): number {
  return (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency ?? 2
}

void main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
