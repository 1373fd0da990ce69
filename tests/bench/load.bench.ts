/**
 * A conference's worth of people on one board: the real server as its own process on
 * 127.0.0.1, and LOAD_CLIENTS (80) stock y-websocket clients that move their cursor
 * LOAD_CURSOR_HZ (4, crowd mode's rate) times a second and add a card every ~LOAD_EDIT_SECONDS (3),
 * for LOAD_SECONDS (20). Prints how long a card takes to reach everyone (p50/p95/max), whether
 * every client ended with the same board, and the server's CPU and memory. Stops by itself.
 *
 *   npm run bench:load
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { createTokens } from '../../server/tokens.ts'
import { card } from '../helpers/records.ts'

// y-websocket registers an exit listener per provider in Node.
process.setMaxListeners(0)

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 80)
const SECONDS = Number(process.env.LOAD_SECONDS ?? 20)
const CURSOR_HZ = Number(process.env.LOAD_CURSOR_HZ ?? 4)
const EDIT_SECONDS = Number(process.env.LOAD_EDIT_SECONDS ?? 3)
const SECRET = 'load-benchmark-secret-load-benchmark-secret'
const BOARD = 'loadtest'

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return Number(fields[11]) + Number(fields[12]) // utime + stime, in clock ticks (100/s)
}
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'board-load-'))
  const server = spawn(process.execPath, ['server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, TOKEN_SECRET: SECRET, LOG_LEVEL: 'warn', SNAPSHOT_EVERY_MINUTES: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 15 s')), 15_000)
    server.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening on (\S+)/.exec(chunk.toString())
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
  })
  const wsUrl = url.replace('http', 'ws').replace('localhost', '127.0.0.1') + '/sync'
  const tokens = createTokens(SECRET)

  const latencies: number[] = []
  const sentAt = new Map<string, number>()
  const clients = Array.from({ length: CLIENTS }, (_, i) => {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(wsUrl, BOARD, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: tokens.sign(BOARD, i < 2 ? 'facilitator' : 'participant') },
      disableBc: true,
    })
    const records = doc.getMap<{ id: string }>('records')
    const seen = new Set<string>()
    records.observe((event) => {
      const now = performance.now()
      for (const key of event.keysChanged) {
        const at = sentAt.get(key)
        if (at !== undefined && !seen.has(key) && event.transaction.origin !== null) {
          seen.add(key)
          latencies.push(now - at)
        }
      }
    })
    return { doc, provider, records }
  })
  const started = performance.now()
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
  const syncMs = performance.now() - started

  const cpuBefore = cpuTicks(server.pid!)
  const t0 = performance.now()
  let edits = 0
  const timers: ReturnType<typeof setInterval>[] = []
  clients.forEach((client, i) => {
    timers.push(setInterval(() => {
      client.provider.awareness.setLocalStateField('presence', { cursor: { x: Math.random() * 5000, y: Math.random() * 3000 }, name: `Deelnemer ${i}` })
    }, 1000 / CURSOR_HZ))
    const edit = () => {
      const id = `shape:load-${i}-${edits++}`
      sentAt.set(id, performance.now())
      client.records.set(id, { ...card(id, `Bijdrage ${id}`, { x: Math.random() * 5000, y: Math.random() * 3000 }) } as never)
    }
    timers.push(setTimeout(function again() {
      edit()
      timers.push(setTimeout(again, EDIT_SECONDS * 1000 * (0.5 + Math.random())))
    }, Math.random() * EDIT_SECONDS * 1000))
  })
  let peakRss = 0
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(server.pid!))), 500)
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000))
  for (const timer of timers) clearTimeout(timer)
  const activeSeconds = (performance.now() - t0) / 1000
  const cpuPercent = ((cpuTicks(server.pid!) - cpuBefore) / 100 / activeSeconds) * 100

  // Convergence: every client has every card.
  const convergeStart = performance.now()
  const expected = edits
  while (performance.now() - convergeStart < 30_000 && !clients.every((c) => c.records.size === expected)) await new Promise((resolve) => setTimeout(resolve, 100))
  const converged = clients.every((c) => c.records.size === expected)
  const convergeMs = performance.now() - convergeStart
  const same = new Set(clients.map((c) => JSON.stringify([...c.records.keys()].sort()))).size === 1
  clearInterval(sampler)

  latencies.sort((a, b) => a - b)
  console.log(`${CLIENTS} clients, ${CURSOR_HZ} cursor updates/s each, a card every ~${EDIT_SECONDS} s each, for ${SECONDS} s (server on 127.0.0.1, own process)`)
  console.table([{
    'all synced (ms)': Math.round(syncMs),
    cards: expected,
    'deliveries measured': latencies.length,
    'card → others p50 (ms)': Math.round(percentile(latencies, 50)),
    'p95 (ms)': Math.round(percentile(latencies, 95)),
    'max (ms)': Math.round(latencies.at(-1) ?? NaN),
    'converged after stop (ms)': Math.round(convergeMs),
    'identical boards': converged && same,
    'server CPU (% of one core)': Math.round(cpuPercent),
    'server peak RSS (MB)': Math.round(peakRss),
  }])

  for (const client of clients) {
    client.provider.destroy()
    client.doc.destroy()
  }
  server.kill('SIGTERM')
  await new Promise((resolve) => server.once('exit', resolve))
  rmSync(dataDir, { recursive: true, force: true })
  process.exit(converged && same ? 0 : 1)
}

void main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
