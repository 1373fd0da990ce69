/**
 * One fan-out run of `npm run bench:compare`: N raw protocol clients on one board, spread over
 * generator processes, each moving its cursor CURSOR_HZ times a second and adding a card every
 * ~EDIT_SECONDS; how long a card takes to reach each other client, whether all arrive, whether the
 * server's board converges, and what the server spends.
 */
import { fork, type ChildProcess } from 'node:child_process'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { FromGenerator, StartMessage, ToGenerator } from './generator.ts'
import { cpuSeconds, rssMb, type BenchServer } from './servers.ts'

export interface FanOutOptions {
  clients: number
  generators: number
  seconds: number
  cursorHz: number
  editSeconds: number
  /** How long clients may take to receive the last cards after the run. */
  drainMs: number
}

export interface FanOutResult {
  connected: number
  edits: number
  p50: number
  p95: number
  p99: number
  max: number
  /** Share of (edit × other client) deliveries that arrived. */
  delivered: number
  /** The server's board holds every card (null: the relay holds no board). */
  converged: boolean | null
  cpuPercent: number
  /** Server CPU milliseconds per 1,000 card deliveries (cursor traffic included in the CPU). */
  cpuMsPer1000: number
  rssMb: number
  framesPerClientSecond: number
  kbPerClientSecond: number
  /** CPU of the generator processes together, % of one core (they share the machine). */
  generatorCpuPercent: number
  /** This server only: event-loop lag during the run (max and p99, ms) and share of time in GC. */
  loop: { lagMaxMs: number; lagP99Ms: number; gcPercent: number } | null
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

function next<T extends FromGenerator['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<FromGenerator, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`generator: no '${type}' in ${timeoutMs} ms`)), timeoutMs)
    const exited = (code: number | null) => {
      clearTimeout(timer)
      reject(new Error(`generator exited (${code}) before '${type}'`))
    }
    const listener = (message: FromGenerator) => {
      if (message.type !== type) return
      clearTimeout(timer)
      child.off('message', listener)
      child.off('exit', exited)
      resolve(message as Extract<FromGenerator, { type: T }>)
    }
    child.on('message', listener)
    child.once('exit', exited)
  })
}

/** The cards the server's board holds, read by a stock y-websocket client (waiting up to `timeoutMs` for `expected`). */
async function boardCards(server: BenchServer, board: string, expected: number, timeoutMs = 15_000): Promise<number> {
  const doc = new Y.Doc()
  const token = server.token(board, 0)
  const provider = new WebsocketProvider(server.wsBase, board, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token ? { token } : {},
    disableBc: true,
  })
  try {
    const deadline = Date.now() + timeoutMs
    const records = doc.getMap('records')
    while ((!provider.synced || records.size < expected) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    return provider.synced ? records.size : -1
  } finally {
    provider.destroy()
    doc.destroy()
  }
}

export async function fanOutRun(server: BenchServer, board: string, options: FanOutOptions): Promise<FanOutResult> {
  const generators = Array.from({ length: options.generators }, () =>
    fork('tests/bench/compare/generator.ts', [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  )
  const tell = (child: ChildProcess, message: ToGenerator) => child.send(message)
  try {
    const shares = generators.map((_, g) => Array.from({ length: options.clients }, (_, i) => i).filter((i) => i % options.generators === g))
    generators.forEach((child, g) => {
      const start: StartMessage = {
        type: 'start',
        url: server.wsBase,
        board,
        syncs: server.syncs,
        clients: shares[g]!.map((index) => ({ index, token: server.token(board, index) })),
        cursorHz: options.cursorHz,
        editSeconds: options.editSeconds,
        seconds: options.seconds,
      }
      tell(child, start)
    })
    const ready = await Promise.all(generators.map((child) => next(child, 'ready', 120_000)))
    const connected = ready.reduce((n, r) => n + r.connected, 0)

    const loopBefore = await server.loopStats()
    const cpuBefore = cpuSeconds(server.pid)
    const started = performance.now()
    let peakRss = 0
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(server.pid))), 250)
    const sentPromise = Promise.all(generators.map((child) => next(child, 'sent', options.seconds * 1000 + 60_000)))
    for (const child of generators) tell(child, { type: 'go' })
    const sent = await sentPromise
    const activeSeconds = (performance.now() - started) / 1000
    const cpu = cpuSeconds(server.pid) - cpuBefore
    const loop = await server.loopStats()
    const edits = sent.reduce((n, s) => n + s.edits, 0)
    const framesIn = sent.reduce((n, s) => n + s.framesIn, 0)
    const bytesIn = sent.reduce((n, s) => n + s.bytesIn, 0)

    const reportsPromise = Promise.all(generators.map((child) => next(child, 'report', options.drainMs + 120_000)))
    for (const child of generators) tell(child, { type: 'expect', total: edits, drainMs: options.drainMs })
    const reports = await reportsPromise
    clearInterval(sampler)
    const parts = reports.map((r) => new Float32Array(new Uint8Array(Buffer.from(r.latencies, 'base64')).buffer))
    const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0))
    let offset = 0
    for (const part of parts) {
      all.set(part, offset)
      offset += part.length
    }
    all.sort()
    const deliveries = all.length
    const expected = edits * (connected - 1)
    const converged = server.syncs ? (await boardCards(server, board, edits)) === edits : null
    for (const child of generators) tell(child, { type: 'exit' })
    return {
      connected,
      edits,
      p50: percentile(all, 50),
      p95: percentile(all, 95),
      p99: percentile(all, 99),
      max: all.length ? all[all.length - 1]! : NaN,
      delivered: expected > 0 ? deliveries / expected : 0,
      converged,
      cpuPercent: (cpu / activeSeconds) * 100,
      cpuMsPer1000: deliveries > 0 ? (cpu * 1000 * 1000) / deliveries : NaN,
      rssMb: peakRss,
      framesPerClientSecond: framesIn / connected / activeSeconds,
      kbPerClientSecond: bytesIn / 1024 / connected / activeSeconds,
      generatorCpuPercent: (sent.reduce((n, s) => n + s.cpuSeconds, 0) / activeSeconds) * 100,
      loop:
        loop && loopBefore
          ? { lagMaxMs: loop.lagMaxMs, lagP99Ms: loop.lagP99Ms, gcPercent: ((loop.gcSeconds - loopBefore.gcSeconds) / activeSeconds) * 100 }
          : null,
    }
  } finally {
    for (const child of generators) if (child.exitCode === null) child.kill('SIGKILL')
  }
}
