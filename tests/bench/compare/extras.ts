/**
 * The rest of `npm run bench:compare`, after the fan-out table: the edit-rate ceiling of one
 * board, cold load of a 5,000-card board after a restart, durable single-writer appends, memory
 * per idle board and per connection, event-loop delay while a 5,000-card board is snapshotted and
 * compacted, and the browser (browser.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
// The reference's own storage (a dependency of @y/websocket-server), for the append comparison.
// @ts-expect-error its types are not reachable through its package exports
import { LeveldbPersistence } from 'y-leveldb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { inlineBoardWork } from '../../../server/room/board-work.ts'
import { createMemoryLogger } from '../../../server/log.ts'
import { createServer } from '../../../server/server.ts'
import { openSqliteStorage } from '../../../server/storage/sqlite-storage.ts'
import { createTokens } from '../../../server/policy/tokens.ts'
import { parseBoardId } from '../../../shared/board-id.ts'
import { card } from '../../helpers/records.ts'
import { browserRun } from './browser.ts'
import { fanOutRun } from './fanout.ts'
import { removeData, rssMb, SERVER_NAMES, startBenchServer, type BenchServer, type ServerKind } from './servers.ts'

const COMPARED: ServerKind[] = ['reference', 'this']
setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A stock y-websocket client; resolves once synced. */
async function stockClient(wsBase: string, board: string, token: string | undefined, doc = new Y.Doc()) {
  const provider = new WebsocketProvider(wsBase, board, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token ? { token } : {},
    disableBc: true,
  })
  const deadline = Date.now() + 60_000
  while (!provider.synced) {
    if (Date.now() > deadline) throw new Error('client did not sync in 60 s')
    await sleep(5)
  }
  return {
    doc,
    provider,
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Writes `count` cards in transactions of 100. */
function writeCards(doc: Y.Doc, count: number, prefix: string) {
  const records = doc.getMap('records')
  for (let i = 0; i < count; i += 100) {
    doc.transact(() => {
      for (let j = i; j < Math.min(count, i + 100); j++) {
        const id = `shape:${prefix}${j}`
        records.set(id, card(id, `Bijdrage ${j}: wat ons bindt in de wijk, en wat we samen willen doen`, { x: (j % 100) * 220, y: Math.floor(j / 100) * 220 }))
      }
    })
  }
}

async function waitForCards(doc: Y.Doc, count: number, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (doc.getMap('records').size < count) {
    if (Date.now() > deadline) throw new Error(`only ${doc.getMap('records').size} of ${count} cards arrived`)
    await sleep(20)
  }
}

async function editRateCeiling(kind: ServerKind): Promise<{ rate: number; p95: number }[]> {
  const steps: { rate: number; p95: number; delivered: number }[] = []
  for (const rate of [100, 200, 400, 800, 1600, 3200]) {
    const server = await startBenchServer(kind)
    try {
      const clients = 30
      const result = await fanOutRun(server, 'ceiling', { clients, generators: 2, seconds: 5, cursorHz: 4, editSeconds: clients / rate, drainMs: 5_000 })
      steps.push({ rate, p95: result.p95, delivered: result.delivered })
      console.log(`  ${SERVER_NAMES[kind]}: ${rate} cards/s → p95 ${result.p95.toFixed(1)} ms, delivered ${(result.delivered * 100).toFixed(2)} %`)
      if (!(result.p95 <= 1000) || result.delivered < 0.99) break
    } finally {
      await server.stop()
      removeData(server)
    }
  }
  return steps
}

async function coldLoad(kind: ServerKind): Promise<number> {
  let server: BenchServer = await startBenchServer(kind)
  const dataDir = server.dataDir
  try {
    const writer = await stockClient(server.wsBase, 'cold', server.token('cold', 0))
    writeCards(writer.doc, 5_000, 'cold')
    const reader = await stockClient(server.wsBase, 'cold', server.token('cold', 0))
    await waitForCards(reader.doc, 5_000)
    writer.destroy()
    reader.destroy()
    await sleep(2_000)
    await server.stop()
    server = await startBenchServer(kind, dataDir)
    const started = performance.now()
    const client = await stockClient(server.wsBase, 'cold', server.token('cold', 0))
    await waitForCards(client.doc, 5_000)
    const ms = performance.now() - started
    client.destroy()
    return ms
  } finally {
    await server.stop()
    removeData(server)
  }
}

function cardUpdates(count: number): Uint8Array[] {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  for (let i = 0; i < count; i++) doc.getMap('records').set(`shape:a${i}`, card(`shape:a${i}`, `Bijdrage ${i}`))
  doc.destroy()
  return updates
}

async function durableAppends(): Promise<Record<string, number>> {
  const updates = cardUpdates(10_000)
  const result: Record<string, number> = {}
  {
    const dir = mkdtempSync(join(tmpdir(), 'bench-appends-'))
    const storage = openSqliteStorage(dir)
    const one = parseBoardId('appendsone')!
    const batched = parseBoardId('appendsbatch')!
    await storage.catalogue.create(one, '')
    let started = performance.now()
    for (const update of updates) await storage.log.append(one, [update])
    result['this server, one update per write (SQLite)'] = updates.length / ((performance.now() - started) / 1000)
    await storage.catalogue.create(batched, '')
    started = performance.now()
    for (let i = 0; i < updates.length; i += 50) await storage.log.append(batched, updates.slice(i, i + 50))
    result['this server, as the room writes (batches of 50)'] = updates.length / ((performance.now() - started) / 1000)
    await storage.close()
    rmSync(dir, { recursive: true, force: true })
  }
  {
    const dir = mkdtempSync(join(tmpdir(), 'bench-leveldb-'))
    const ldb = new LeveldbPersistence(dir)
    const started = performance.now()
    for (const update of updates) await ldb.storeUpdate('appends', update)
    result['@y/websocket-server, one update per write (y-leveldb)'] = updates.length / ((performance.now() - started) / 1000)
    await ldb.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
  return result
}

/** A raw protocol client that has received the server's sync answer. */
function rawSynced(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false })
    const timer = setTimeout(() => reject(new Error(`no sync answer from ${url}`)), 30_000)
    ws.on('open', () => {
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint8Array(e, new Uint8Array([0]))
      ws.send(encoding.toUint8Array(e))
    })
    ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(data)
      if (decoding.readVarUint(d) === 0 && decoding.readVarUint(d) === 1) {
        clearTimeout(timer)
        resolve(ws)
      }
    })
    ws.on('error', reject)
  })
}

async function memory(kind: ServerKind): Promise<{ perBoardKb: number; perConnectionKb: number }> {
  const server = await startBenchServer(kind)
  const sockets: WebSocket[] = []
  const url = (board: string, i: number) => `${server.wsBase}/${board}${server.token(board, i) ? `?token=${server.token(board, i)}` : ''}`
  try {
    await sleep(1_000)
    const before = rssMb(server.pid)
    for (let b = 0; b < 100; b++) sockets.push(await rawSynced(url(`idle${b}`, 5)))
    await sleep(1_500)
    const boards = rssMb(server.pid)
    for (let i = 0; i < 400; i += 20) sockets.push(...(await Promise.all(Array.from({ length: 20 }, (_, j) => rawSynced(url('crowd', i + j + 5))))))
    await sleep(1_500)
    const connections = rssMb(server.pid)
    return { perBoardKb: ((boards - before) * 1024) / 100, perConnectionKb: ((connections - boards) * 1024) / 400 }
  } finally {
    for (const ws of sockets) ws.terminate()
    await server.stop()
    removeData(server)
  }
}

/** The event loop of this server while a 5,000-card board is snapshotted and compacted: in worker threads, and (for comparison) on the loop. */
async function eventLoop(where: 'worker' | 'event loop') {
  const dir = mkdtempSync(join(tmpdir(), 'bench-loop-'))
  const storage = openSqliteStorage(dir)
  const tokens = createTokens('event-loop-benchmark-secret-event-loop-bench')
  const server = createServer({
    port: 0,
    storage,
    log: createMemoryLogger(),
    tokens,
    snapshots: { autoEveryMs: 0 },
    room: { compactEvery: 1e9, compactMinBytes: 1e12, ...(where === 'event loop' ? { compactState: undefined } : {}) },
    ...(where === 'event loop' ? { work: inlineBoardWork } : {}),
  })
  const { port } = await server.listen()
  const board = parseBoardId('loopboard')!
  await storage.catalogue.create(board, 'Eventloop')
  const writer = await stockClient(`ws://127.0.0.1:${port}/sync`, board, tokens.sign(board, 'facilitator'))
  writeCards(writer.doc, 5_000, 'loop')
  const room = server.rooms.get(board)!
  while (room.doc.getMap('records').size < 5_000) await sleep(20)
  await room.flush()
  // Warm the worker threads: their start is not what is measured.
  await server.snapshots.take(board, { name: 'warm-up', kind: 'manual', by: '' })
  // The writer (a client in this process) goes, and the garbage of setting up is collected first.
  writer.destroy()
  collect()
  const measure = async (what: () => Promise<unknown>) => {
    const histogram = monitorEventLoopDelay({ resolution: 5 })
    histogram.enable()
    await sleep(50)
    const started = performance.now()
    await what()
    const ms = performance.now() - started
    await sleep(50)
    histogram.disable()
    return { ms, maxDelayMs: histogram.max / 1e6, p99DelayMs: histogram.percentile(99) / 1e6 }
  }
  const snapshot = await measure(() => server.snapshots.take(board, { name: 'bench', kind: 'manual', by: '' }))
  const compaction = await measure(() => room.compact())
  await server.close()
  rmSync(dir, { recursive: true, force: true })
  return { snapshot, compaction }
}

/** COMPARE_EXTRAS: 1 (all), or some of ceiling,cold,appends,memory,loop,browser. */
const wanted = (name: string) => {
  const setting = process.env.COMPARE_EXTRAS ?? '1'
  return setting === '1' || setting.split(',').includes(name)
}

export async function extras() {
  if (wanted('ceiling')) await ceilingPart()
  if (wanted('cold')) await coldPart()
  if (wanted('appends')) {
    console.log('\nDurable single-writer appends (10,000 card updates, each awaited)')
    console.table(Object.fromEntries(Object.entries(await durableAppends()).map(([k, v]) => [k, `${Math.round(v).toLocaleString('en')} /s`])))
  }
  if (wanted('memory')) await memoryPart()
  if (wanted('loop')) await loopPart()
  if (wanted('browser')) await browserRun()
}

async function ceilingPart() {
  console.log('\nEdit-rate ceiling of one board (30 clients with cursors, 5 s per step, rate doubled until p95 > 1 s or < 99 % delivered)')
  const ceilings: Record<string, string> = {}
  for (const kind of COMPARED) {
    const steps = await editRateCeiling(kind)
    const passing = steps.filter((s) => s.p95 <= 1000)
    ceilings[SERVER_NAMES[kind]] = passing.length ? `${passing.at(-1)!.rate} cards/s (p95 ${passing.at(-1)!.p95.toFixed(1)} ms)` : 'below 100 cards/s'
  }
  console.table(ceilings)
}

async function coldPart() {
  console.log('\nCold load of a 5,000-card board after a restart (stock client: connect → all cards)')
  const cold: Record<string, string> = {}
  for (const kind of COMPARED) cold[SERVER_NAMES[kind]] = `${Math.round(await coldLoad(kind))} ms`
  console.table(cold)
}

async function memoryPart() {
  console.log('\nMemory (server RSS growth): per idle board with one connection (100 boards), per extra connection (400 on one board)')
  const mem: Record<string, Record<string, string>> = {}
  for (const kind of COMPARED) {
    const m = await memory(kind)
    mem[SERVER_NAMES[kind]] = { 'per board (KB)': m.perBoardKb.toFixed(0), 'per connection (KB)': m.perConnectionKb.toFixed(0) }
  }
  console.table(mem)
}

async function loopPart() {
  console.log('\nEvent loop of this server while a 5,000-card board is snapshotted and compacted (monitorEventLoopDelay, 5 ms resolution)')
  const loop: Record<string, Record<string, string>> = {}
  for (const where of ['worker', 'event loop'] as const) {
    const { snapshot, compaction } = await eventLoop(where)
    loop[`snapshot, work in ${where}`] = {
      'took (ms)': snapshot.ms.toFixed(0),
      'longest stall (ms)': snapshot.maxDelayMs.toFixed(1),
      'p99 delay (ms)': snapshot.p99DelayMs.toFixed(1),
    }
    loop[`compaction, work in ${where}`] = {
      'took (ms)': compaction.ms.toFixed(0),
      'longest stall (ms)': compaction.maxDelayMs.toFixed(1),
      'p99 delay (ms)': compaction.p99DelayMs.toFixed(1),
    }
  }
  console.table(loop)
}
