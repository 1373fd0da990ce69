/**
 * Budgets per connection and per address (issue 20, findings 2 and 9): one participant's flood
 * of small valid updates (30,000 in 6 s delayed a card on another board by p50 2.2 s, max 9.8 s,
 * and /healthz by 5.1 s) is cut off with its own close code while everyone else carries on; and
 * a viewer link cannot open idle WebSockets without end (~18,000 of them used up the process's
 * file descriptors), while the people of a venue behind one address still get in.
 *
 * The server runs as its own process, as in the finding: its stalls show in the wall clock of
 * this process, which only sends and measures.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { CloseCode, MessageType, SyncMessageType } from '../../../shared/protocol.ts'
import { DEFAULT_SOCKET_LIMITS } from '../../../server/policy/socket-limits.ts'
import { makeClient, type TestClient } from '../../helpers/client.ts'
import { card } from '../../helpers/records.ts'
import { freePort, onCleanup, startServer, startServerProcess, tempDataDir, tokenFor } from '../../helpers/server.ts'
import { waitFor } from '../../helpers/wait.ts'

/** Pacing only: these tests send at a rate (a flood, honest probes), and the rate is what is under test. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024

async function serverProcess(env: Record<string, string> = {}) {
  const port = await freePort()
  const proc = await startServerProcess(tempDataDir(), port, { LOG_LEVEL: 'warn', SNAPSHOT_EVERY_MINUTES: '0', ...env })
  return { proc, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/sync` }
}

/**
 * Honest work on a board, measured while `during` runs: a card every 100 ms from one client, the
 * time until another client has it, and /healthz's answer time every 200 ms.
 */
async function measureHonest(wsUrl: string, url: string, board: string, ms: number) {
  const writer = makeClient(wsUrl, board)
  const reader = makeClient(wsUrl, board, { role: 'viewer' })
  await Promise.all([writer.synced(), reader.synced()])
  /** Close codes either honest client saw (none expected). */
  const closes: number[] = []
  for (const c of [writer, reader]) c.provider.on('connection-close', (event: { code: number } | null) => event && closes.push(event.code))
  const sentAt = new Map<string, number>()
  const latencies: number[] = []
  reader.records.observe((event) => {
    for (const key of event.keysChanged) {
      const sent = sentAt.get(key)
      if (sent !== undefined && !latencies[Number(key.slice(7))]) latencies[Number(key.slice(7))] = Date.now() - sent
    }
  })
  const health: number[] = []
  let probes = 0
  const until = Date.now() + ms
  const cards = (async () => {
    while (Date.now() < until) {
      const id = `shape:${String(probes++).padStart(4, '0')}`
      sentAt.set(id, Date.now())
      writer.records.set(id, card(id, `kaart ${probes}`, { x: probes * 10 }))
      await sleep(100)
    }
  })()
  const healthz = (async () => {
    while (Date.now() < until) {
      const started = Date.now()
      await fetch(`${url}/healthz`).then((r) => r.arrayBuffer())
      health.push(Date.now() - started)
      await sleep(200)
    }
  })()
  await Promise.all([cards, healthz])
  await waitFor(() => latencies.filter((l) => l !== undefined).length === probes, { timeout: 30_000, what: 'every honest card to arrive' })
  writer.destroy()
  reader.destroy()
  return { p50: percentile(latencies, 50), p90: percentile(latencies, 90), max: Math.max(...latencies), healthMax: Math.max(...health), closes }
}

const closedWith = (client: TestClient) => new Promise<number>((resolve) => client.provider.once('closed', ({ code }: { code: number }) => resolve(code)))

/** Opens a raw WebSocket to a board as if from `address` (X-Forwarded-For, TRUST_PROXY=true); resolves once open, or with the refusal's status. */
function openFrom(wsUrl: string, board: string, address: string, role: 'viewer' | 'participant' = 'viewer') {
  return new Promise<{ ws: WebSocket; status?: undefined; body?: undefined } | { ws?: undefined; status: number; body: string }>((resolve, reject) => {
    const ws = new WebSocket(`${wsUrl}/${board}?token=${encodeURIComponent(tokenFor(board, role))}`, { headers: { 'x-forwarded-for': address } })
    onCleanup(() => ws.terminate())
    // What the server sends with its handshake arrives with 'open': kept from the start.
    const received: Buffer[] = []
    Object.assign(ws, { received })
    ws.on('message', (data: Buffer) => received.push(data))
    ws.once('open', () => resolve({ ws }))
    ws.once('unexpected-response', (_req, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    ws.once('error', (error) => reject(error))
  })
}

/** Whether the board has answered on a socket with its sync step 1 (within 5 s). */
async function answered(ws: WebSocket): Promise<boolean> {
  const first = (ws as WebSocket & { received: Buffer[] }).received
  const isStep1 = (data: Buffer) => data[0] === MessageType.sync && data[1] === SyncMessageType.step1
  return waitFor(() => first.some(isStep1), { timeout: 5_000, what: 'sync step 1' }).then(
    () => true,
    () => false,
  )
}

describe('budgets per connection and per address', () => {
  it('a flood of 30,000 small valid updates from one participant is closed with 4429; an honest card on another board and /healthz keep their pace', async () => {
    const { proc, url, wsUrl } = await serverProcess()
    const control = await measureHonest(wsUrl, url, 'ander-bord', 2_500)

    // The flooder's board: a card a facilitator made, which any participant may move.
    const maker = makeClient(wsUrl, 'vloed')
    await maker.synced()
    maker.records.set('shape:vloed', card('shape:vloed', 'verschuif mij'))
    const flooder = makeClient(wsUrl, 'vloed', { role: 'participant' })
    await flooder.synced()
    await waitFor(() => flooder.records.has('shape:vloed'), { what: 'the card at the flooder' })
    // The people on the flooder's board, who get each of its changes.
    const onBoard = Array.from({ length: 10 }, () => makeClient(wsUrl, 'vloed', { role: 'viewer' }))
    await Promise.all(onBoard.map((c) => c.synced()))
    const closed = closedWith(flooder)
    const rssBefore = rssMb(proc.child.pid!)

    // 30,000 small changes in 6 s, each its own update (250 every 50 ms), as in the finding: moves
    // of that card, and small new cards.
    const base = flooder.records.get('shape:vloed') as ReturnType<typeof card>
    let sent = 0
    const flood = (async () => {
      for (let tick = 0; tick < 120; tick++) {
        for (let i = 0; i < 250; i++) {
          if (++sent % 2) flooder.records.set('shape:vloed', { ...base, x: sent })
          else flooder.records.set(`shape:f${sent}`, card(`shape:f${sent}`, 'x', { x: sent }))
        }
        await sleep(50)
      }
    })()
    const during = await measureHonest(wsUrl, url, 'nog-een-bord', 7_000)
    await flood
    const rssGrowth = rssMb(proc.child.pid!) - rssBefore
    console.log(
      `honest card on another board: control p50 ${control.p50} ms, p90 ${control.p90}, max ${control.max}; during the flood p50 ${during.p50}, p90 ${during.p90}, max ${during.max}; /healthz max ${control.healthMax} → ${during.healthMax} ms; server RSS +${rssGrowth.toFixed(0)} MB`,
    )

    // Generous bounds, relative to the control of this same run (the unbudgeted server: p50 2.2 s, max 9.8 s).
    expect(during.p90).toBeLessThan(control.p90 * 3 + 300)
    expect(during.max).toBeLessThan(control.max + 1_000)
    expect(during.healthMax).toBeLessThan(control.healthMax + 1_000)
    expect(rssGrowth).toBeLessThan(150)
    expect(await Promise.race([closed, sleep(2_000).then(() => 'not closed')])).toBe(CloseCode.tooManyChanges)
    // The flooder's board still works for its other people.
    maker.records.set('shape:daarna', card('shape:daarna', 'na de vloed'))
    const late = makeClient(wsUrl, 'vloed', { role: 'viewer' })
    await waitFor(() => late.records.has('shape:daarna'), { what: 'a card after the flood' })
  }, 60_000)

  it('many connections from one address, each under its own budget, share one budget for document updates: 40 × 250 updates/s slow that address, not another board nor /healthz, and nobody is closed', async () => {
    // The re-test of finding 2: 10 connections × 280 updates/s from one participant made another
    // board's p95 56 ms and /healthz max 413 ms; 40 × 280/s left 47 of 50 cards undelivered.
    const { url, wsUrl } = await serverProcess({ TRUST_PROXY: 'true' })
    // The honest clients connect without X-Forwarded-For: their address is 127.0.0.1.
    const control = await measureHonest(wsUrl, url, 'ander-bord', 2_500)

    const connections = 40
    const perSecond = 250
    const seconds = 4
    // The flooder as its own process, as in the finding, with 5 people on its board (from another address).
    const child = spawn(process.execPath, ['tests/helpers/flood-process.ts'], {
      env: {
        ...process.env,
        FLOOD: JSON.stringify({
          url: `${wsUrl}/vloed`,
          floodToken: tokenFor('vloed', 'participant'),
          viewerToken: tokenFor('vloed', 'viewer'),
          address: '203.0.113.8',
          viewerAddress: '198.51.100.20',
          connections,
          perSecond,
          seconds,
          viewers: 5,
        }),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    onCleanup(() => void child.kill('SIGKILL'))
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()))
    await waitFor(() => out.includes('ready'), { timeout: 20_000, what: 'the flooder to be ready' })
    const during = await measureHonest(wsUrl, url, 'nog-een-bord', seconds * 1_000)
    await waitFor(() => /sent \d+/.test(out), { timeout: 10_000, what: 'the flooder to be done' })
    const sent = Number(/sent (\d+)/.exec(out)![1])
    const flooderCloses = () => [...out.matchAll(/close (\d+)/g)].map((m) => Number(m[1]))
    console.log(
      `${connections} connections from one address, ${sent} updates in ${seconds} s: honest card on another board: control p50 ${control.p50} ms, p90 ${control.p90}, max ${control.max}; during p50 ${during.p50}, p90 ${during.p90}, max ${during.max}; /healthz max ${control.healthMax} → ${during.healthMax} ms; flooders closed ${JSON.stringify(flooderCloses())}`,
    )

    expect(sent).toBe(connections * perSecond * seconds)
    // Generous bounds (other test files run beside this one); without the address's budget: p90 5,952 ms, /healthz 2,286 ms.
    expect(during.p90).toBeLessThan(control.p90 * 3 + 500)
    expect(during.healthMax).toBeLessThan(1_000)
    expect([...control.closes, ...during.closes]).toEqual([])
    // The address budget only slows: none of the 40 is closed for it.
    expect(flooderCloses()).toEqual([])
    // What was held back still arrives, once the address's turn comes (no socket left paused):
    // every connection's last move reaches the board.
    const late = makeClient(wsUrl, 'vloed', { role: 'viewer' })
    const last = perSecond * seconds - 1
    await waitFor(
      () => Array.from({ length: connections }, (_, c) => late.records.get(`shape:f${c}`) as { x?: number } | undefined).every((r) => r?.x === last),
      { timeout: 35_000, what: "every flooder's last move at the board" },
    )
    expect(flooderCloses()).toEqual([])
  }, 60_000)

  it('honest bursts pass untouched: 200 cards pasted at once (one update), then 500 changes in a row from a stock client', async () => {
    const server = await startServer()
    const writer = makeClient(server.wsUrl, 'plakken', { role: 'participant' })
    const reader = makeClient(server.wsUrl, 'plakken', { role: 'viewer' })
    await Promise.all([writer.synced(), reader.synced()])
    writer.doc.transact(() => {
      for (let i = 0; i < 200; i++) writer.records.set(`shape:p${i}`, card(`shape:p${i}`, `geplakt ${i}`, { x: i * 10 }))
    })
    for (let i = 0; i < 500; i++) writer.records.set(`shape:r${i}`, card(`shape:r${i}`, `los ${i}`, { y: i * 10 }))
    await waitFor(() => reader.records.size === 700, { timeout: 20_000, what: 'every card at the reader' })
    expect(server.log.lines.filter((l) => l.includes('closing connection'))).toEqual([])
  })

  it(`a viewer link opens at most ${DEFAULT_SOCKET_LIMITS.perAddress} WebSockets from one address (429 beyond); another address, and the address itself once it closes some, still get in`, async () => {
    const { wsUrl } = await serverProcess({ TRUST_PROXY: 'true' })
    const attacker = '203.0.113.7'
    const held: WebSocket[] = []
    for (let batch = 0; batch < DEFAULT_SOCKET_LIMITS.perAddress / 50; batch++) {
      const opened = await Promise.all(Array.from({ length: 50 }, () => openFrom(wsUrl, 'publiek', attacker)))
      for (const o of opened) {
        expect(o.status).toBeUndefined()
        held.push(o.ws!)
      }
    }
    const refused = await openFrom(wsUrl, 'publiek', attacker)
    expect(refused.status).toBe(429)
    expect(refused.body).toMatch(/too many connections from your address/)
    // Not just this board: every board counts for the address.
    expect((await openFrom(wsUrl, 'elders', attacker)).status).toBe(429)

    // Someone at another address — a viewer, and a participant — gets in and is answered.
    for (const role of ['viewer', 'participant'] as const) {
      const other = await openFrom(wsUrl, 'publiek', '198.51.100.9', role)
      expect(other.status).toBeUndefined()
      expect(await answered(other.ws!)).toBe(true)
    }
    // A closed socket frees its place.
    for (const ws of held.splice(0, 10)) ws.close()
    await waitFor(async () => (await openFrom(wsUrl, 'publiek', attacker)).status === undefined, { timeout: 5_000, what: 'a freed place' })
  }, 60_000)

  it('a board holds at most WS_PER_BOARD WebSockets (503 beyond) whoever opens them; other boards are not touched', async () => {
    const { wsUrl } = await serverProcess({ TRUST_PROXY: 'true', WS_PER_BOARD: '40' })
    const opened = await Promise.all(Array.from({ length: 40 }, (_, i) => openFrom(wsUrl, 'vol-bord', `192.0.2.${i + 1}`)))
    expect(opened.filter((o) => o.status === undefined)).toHaveLength(40)
    const full = await openFrom(wsUrl, 'vol-bord', '192.0.2.200', 'participant')
    expect(full.status).toBe(503)
    expect(full.body).toMatch(/board has as many connections as it takes/)
    const elsewhere = await openFrom(wsUrl, 'ander-bord', '192.0.2.200', 'participant')
    expect(elsewhere.status).toBeUndefined()
    expect(await answered(elsewhere.ws!)).toBe(true)
  }, 60_000)

  it('the defaults let a venue behind one address in: 80 people on one board, each with a second tab, and the beamers', () => {
    expect(DEFAULT_SOCKET_LIMITS.perAddress).toBeGreaterThanOrEqual(80 * 2 + 20)
    expect(DEFAULT_SOCKET_LIMITS.perBoard).toBeGreaterThanOrEqual(500 * 2)
  })
})
