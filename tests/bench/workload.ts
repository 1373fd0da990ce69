/**
 * The load both bench:load and bench:cluster put on a board: CLIENTS stock y-websocket clients
 * (spread over the given servers in turn) that move their cursor CURSOR_HZ times a second and add
 * a card every ~EDIT_SECONDS, for SECONDS; measured: a card's latency to every other client
 * (same-process and cross-process apart), convergence, and each server process's CPU and peak RSS.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { createTokens } from '../../server/policy/tokens.ts'
import { card } from '../helpers/records.ts'

// y-websocket registers an exit listener per provider in Node.
process.setMaxListeners(0)

export const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 80)
export const SECONDS = Number(process.env.LOAD_SECONDS ?? 20)
export const CURSOR_HZ = Number(process.env.LOAD_CURSOR_HZ ?? 4)
export const EDIT_SECONDS = Number(process.env.LOAD_EDIT_SECONDS ?? 3)
const SECRET = 'load-benchmark-secret-load-benchmark-secret'
const BOARD = 'loadtest'

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return Number(fields[11]) + Number(fields[12])
}
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024

/** server/main.ts as its own process on 127.0.0.1 with a fresh DATA_DIR. */
export async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; wsUrl: string; dataDir: string }> {
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

export interface Result {
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
  /** Until every client had synced, ms. */
  syncMs: number
  processes: { cpu: number; rss: number }[]
}

/** Starts one server per env, runs the workload against them, stops them. */
export async function run(setup: string, envs: Record<string, string>[]): Promise<Result> {
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
  const syncStarted = performance.now()
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
  const syncMs = performance.now() - syncStarted
  const pids = servers.map((s) => s.child.pid!)
  const cpuBefore = pids.map(cpuTicks)
  const peak = pids.map(() => 0)
  const sampler = setInterval(() => pids.forEach((pid, k) => (peak[k] = Math.max(peak[k]!, rssMb(pid)))), 500)
  const t0 = performance.now()
  let edits = 0
  const timers: ReturnType<typeof setTimeout>[] = []
  clients.forEach((client, i) => {
    timers.push(
      setInterval(() => {
        client.provider.awareness.setLocalStateField('presence', { cursor: { x: Math.random() * 5000, y: Math.random() * 3000 }, name: `Deelnemer ${i}` })
      }, 1000 / CURSOR_HZ),
    )
    timers.push(
      setTimeout(
        function again() {
          const id = `shape:load-${i}-${edits++}`
          sent.set(id, { at: performance.now(), server: client.server })
          client.records.set(id, card(id, `Bijdrage ${id}`, { x: Math.random() * 5000, y: Math.random() * 3000 }) as never)
          timers.push(setTimeout(again, EDIT_SECONDS * 1000 * (0.5 + Math.random())))
        },
        Math.random() * EDIT_SECONDS * 1000,
      ),
    )
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
    syncMs,
    processes: cpu.map((c, k) => ({ cpu: c, rss: peak[k]! })),
  }
}
