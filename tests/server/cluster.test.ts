/**
 * Several server processes, one board: real processes (server/main.ts) sharing the machine's
 * PostgreSQL and Redis, stock y-websocket clients spread over them.
 */
import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { TEST_REDIS_URL } from '../helpers/redis.ts'
import { onCleanup } from '../helpers/server.ts'
import type { Role } from '../../shared/roles.ts'
import { sha256Hex } from '../../shared/sha256.ts'
import { contributionDefaults } from '../../shared/shapes/contribution-shape.ts'
import { startCluster, type TestCluster } from '../helpers/cluster.ts'
import { makeClient, recordsJson, type TestClient } from '../helpers/client.ts'
import { tokenFor } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

const card = (id: string, text: string, index = 'a1') => ({
  id,
  typeName: 'shape',
  type: 'contribution',
  x: 0,
  y: 0,
  rotation: 0,
  index,
  parentId: 'page:page',
  isLocked: false,
  opacity: 1,
  meta: {},
  props: { ...contributionDefaults(), text },
})

const member = (key: string, name: string) => ({ userId: key.slice(0, 8), name, role: 'participant', groupId: '', hand: false, keyHash: sha256Hex(key) })

/** A client that, like a browser behind a load balancer, reconnects to a live process when its own goes away. */
function clientOn(cluster: TestCluster, index: number, board: string, role: Role = 'facilitator', memberKey?: string): TestClient {
  const client = makeClient(cluster.nodes[index]!.wsUrl, board, { role, memberKey })
  client.provider.on('status', ({ status }: { status: string }) => {
    if (status !== 'disconnected') return
    const live = cluster.nodes.find((n) => n.alive)
    if (live) client.provider.serverUrl = live.wsUrl
  })
  return client
}

async function createBoard(url: string, body: unknown = {}): Promise<string> {
  const response = await fetch(`${url}/api/boards`, { method: 'POST', body: JSON.stringify(body) })
  expect(response.status).toBe(201)
  return ((await response.json()) as { id: string }).id
}

function api(url: string, board: string, path: string, role: Role, method = 'GET', body?: unknown) {
  return fetch(`${url}/api/boards/${board}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(board, role)}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

/** The records, in key order (a Y.Map's own order depends on the order updates arrived in). */
const sorted = (client: TestClient) => JSON.stringify(Object.entries(recordsJson(client.doc)).sort(([x], [y]) => (x < y ? -1 : 1)))
const same = (clients: TestClient[]) => {
  const first = sorted(clients[0]!)
  return clients.every((c) => sorted(c) === first)
}

/** Two processes and a conference board made through the first. */
async function conferenceOnTwo() {
  const cluster = await startCluster(2)
  const [a, b] = cluster.nodes as [TestCluster['nodes'][0], TestCluster['nodes'][0]]
  const board = await createBoard(a.url, { template: '24-uursconferentie', centraleOpgave: 'Samen', targetYear: 2030 })
  return { cluster, a, b, board }
}

describe('several server processes sharing Redis and PostgreSQL', () => {
  it('30 clients on three processes converge to one board, and cursors on A are seen on C', async () => {
    const cluster = await startCluster(3)
    const board = await createBoard(cluster.nodes[0]!.url)
    const clients = Array.from({ length: 30 }, (_, i) => clientOn(cluster, i % 3, board, 'participant'))
    await Promise.all(clients.map((c) => c.synced()))
    // Concurrent edits: each its own cards, and everyone writing one shared card (a conflict).
    await Promise.all(
      clients.map(async (client, i) => {
        for (let k = 0; k < 5; k++) {
          client.records.set(`shape:c${i}-${k}`, card(`shape:c${i}-${k}`, `kaart ${k} van ${i}`))
          // Jitter, so the 30 writers interleave differently across the three processes.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20))
        }
      }),
    )
    await waitFor(() => clients.every((c) => c.records.size >= 150), { what: 'every card at every client', timeout: 20_000 })
    await waitFor(() => same(clients), { what: 'identical documents', timeout: 10_000 }).catch((error) => {
      const counts = clients.map((c, i) => `${i}:${[...c.records.keys()].filter((k) => k.startsWith('shape:c')).length}`)
      throw new Error(`${(error as Error).message}; cards per client ${counts.join(' ')}`)
    })
    expect(Object.keys(recordsJson(clients[29]!.doc)).filter((k) => k.startsWith('shape:c'))).toHaveLength(150)

    const onA = clients[0]!
    const onC = clients[2]!
    onA.provider.awareness.setLocalStateField('member', member('a'.repeat(64), 'Anna op A'))
    onA.provider.awareness.setLocalStateField('cursor', { x: 12, y: 34 })
    await waitFor(() => (onC.provider.awareness.getStates().get(onA.doc.clientID) as { cursor?: { x: number } } | undefined)?.cursor?.x === 12, {
      what: 'the cursor of a client on A at a client on C',
    })
    expect((onC.provider.awareness.getStates().get(onA.doc.clientID) as { member: { name: string } }).member.name).toBe('Anna op A')

    // Presence crosses processes batched: 10 people on A moving their cursors 60 times a second
    // make a handful of Redis messages, not one per move.
    const listener = new Redis(TEST_REDIS_URL)
    onCleanup(() => listener.disconnect())
    let presenceMessages = 0
    listener.on('messageBuffer', (_channel: Buffer, message: Buffer) => {
      if (message[0] === 2) presenceMessages++
    })
    await listener.subscribe(`${cluster.prefix}board:${board}`)
    const onAll = clients.filter((_, i) => i % 3 === 0)
    const moves = 60
    for (let m = 0; m < moves; m++) {
      for (const client of onAll) client.provider.awareness.setLocalStateField('cursor', { x: m, y: m })
      // One move per frame: the rate of moves is what the Redis message count is tested against.
      await new Promise((resolve) => setTimeout(resolve, 16))
    }
    await waitFor(() => (onC.provider.awareness.getStates().get(onA.doc.clientID) as { cursor?: { x: number } } | undefined)?.cursor?.x === moves - 1, {
      what: 'the last cursor position on C',
    })
    const seconds = (moves * 16) / 1000
    console.log(`presence: ${moves * onAll.length} cursor moves on A in ~${seconds.toFixed(1)} s → ${presenceMessages} Redis messages`)
    expect(presenceMessages).toBeGreaterThan(0)
    expect(presenceMessages).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 5)
  }, 90_000)

  it('a process killed (SIGKILL) in the middle of edits: its clients go on elsewhere, nothing anyone wrote is lost, its cursors disappear', async () => {
    const cluster = await startCluster(3)
    const board = await createBoard(cluster.nodes[0]!.url)
    const clients = Array.from({ length: 9 }, (_, i) => clientOn(cluster, i % 3, board, 'participant'))
    // One person on B closes the laptop as the server dies: only their cursor was left behind.
    const leaving = makeClient(cluster.nodes[1]!.wsUrl, board, { role: 'participant' })
    await Promise.all([...clients, leaving].map((c) => c.synced()))
    leaving.provider.awareness.setLocalStateField('member', member('l'.repeat(64), 'Lotte op B'))
    const watcher = clients[0]! // on A
    await waitFor(() => watcher.provider.awareness.getStates().has(leaving.doc.clientID), { what: 'the cursor of the client on B at A' })

    let writing = true
    const written = new Map<string, string>()
    const writers = clients.map(async (client, i) => {
      for (let k = 0; writing; k++) {
        const id = `shape:w${i}-${k}`
        const text = `kaart ${k} van ${i}`
        client.records.set(id, card(id, text))
        written.set(id, text)
        // Pacing: each writer edits steadily, as a person does.
        await new Promise((resolve) => setTimeout(resolve, 15))
      }
    })
    // Windows of time with edits flowing — before the crash and across it — are what is under test.
    await new Promise((resolve) => setTimeout(resolve, 700))
    leaving.provider.shouldConnect = false
    await cluster.kill(1)
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    writing = false
    await Promise.all(writers)
    expect(written.size).toBeGreaterThan(200)

    // Every card anyone wrote is at every client, the same everywhere.
    await waitFor(() => clients.every((c) => [...written.keys()].every((id) => c.records.has(id))), { what: 'every card at every client', timeout: 30_000 })
    await waitFor(() => same(clients), { what: 'identical documents' })
    for (const [id, text] of written) expect((clients[4]!.records.get(id) as { props: { text: string } }).props.text).toBe(text)
    // The clients of B are on A or C now.
    for (const client of clients.filter((_, i) => i % 3 === 1)) expect(client.provider.wsconnected).toBe(true)
    // The cursor of the person who was on B is gone everywhere within a few seconds.
    await waitFor(() => clients.every((c) => !c.provider.awareness.getStates().has(leaving.doc.clientID)), {
      what: "the dead process's cursor gone",
      timeout: 8_000,
    })

    // And it is all stored: a fresh client of a process that reloads the board from PostgreSQL.
    for (const client of clients) client.destroy()
    await waitFor(async () => (await fetch(`${cluster.nodes[0]!.url}/readyz`)).ok)
    await cluster.stop(0)
    await cluster.stop(2)
    await cluster.restart(2)
    const fresh = makeClient(cluster.nodes[2]!.wsUrl, board, { role: 'viewer' })
    await fresh.synced()
    const missing = [...written.keys()].filter((id) => !fresh.records.has(id))
    expect(missing).toEqual([])
  }, 120_000)

  it('a process opening a board that is being edited elsewhere misses nothing (its load from storage races the edits on purpose)', async () => {
    // Process A stores its edits only every 3 s: whatever C loads from storage is behind, and
    // edits keep coming while C subscribes. C must catch up from A itself.
    const cluster = await startCluster(3, (i): Record<string, string> => (i === 0 ? { FLUSH_MS: '3000' } : {}))
    const board = await createBoard(cluster.nodes[0]!.url)
    const writers = [makeClient(cluster.nodes[0]!.wsUrl, board), makeClient(cluster.nodes[0]!.wsUrl, board)]
    await Promise.all(writers.map((c) => c.synced()))
    let writing = true
    let n = 0
    const loop = Promise.all(
      writers.map(async (client, w) => {
        while (writing) {
          const id = `shape:r${w}-${n++}`
          client.records.set(id, card(id, `tekst ${n}`))
          // Pacing: the edits keep flowing while C subscribes.
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
      }),
    )
    // Edits flowing for a while before and while newcomers join is the situation under test.
    await new Promise((resolve) => setTimeout(resolve, 400))
    // Several newcomers on C and B, joining while the edits flow.
    const newcomers: TestClient[] = []
    for (let i = 0; i < 4; i++) {
      newcomers.push(makeClient(cluster.nodes[1 + (i % 2)]!.wsUrl, board, { role: 'viewer' }))
      await new Promise((resolve) => setTimeout(resolve, 150))
    }
    await Promise.all(newcomers.map((c) => c.synced()))
    writing = false
    await loop
    const all = [...writers[0]!.records.keys()]
    expect(all.length).toBeGreaterThan(100)
    await waitFor(() => newcomers.every((c) => c.records.size === writers[0]!.records.size), { what: 'every newcomer with every card', timeout: 15_000 })
    await waitFor(() => same([...writers, ...newcomers]), { what: 'identical documents' })
  }, 60_000)

  it('a phase change, a revert, a close and a delete through process A reach and bind clients of process B', async () => {
    const { a, b, board } = await conferenceOnTwo()
    const facilitatorOnA = makeClient(a.wsUrl, board)
    const participantOnB = makeClient(b.wsUrl, board, { role: 'participant' })
    await Promise.all([facilitatorOnA.synced(), participantOnB.synced()])

    // Phase change by the facilitator (connected to A): seen on B, and one phase snapshot taken.
    facilitatorOnA.doc.getMap('facilitation').set('phaseIndex', 1)
    await waitFor(() => participantOnB.doc.getMap('facilitation').get('phaseIndex') === 1, { what: 'the phase on B' })
    await waitFor(async () => ((await (await api(a.url, board, '/snapshots', 'facilitator')).json()) as { kind: string }[]).some((s) => s.kind === 'phase'), {
      what: 'the phase snapshot',
    })

    // A card written on B, then a revert through A's API to the phase snapshot: gone on B.
    participantOnB.records.set('shape:b1', card('shape:b1', 'van B'))
    await waitFor(() => facilitatorOnA.records.has('shape:b1'))
    const snapshots = (await (await api(a.url, board, '/snapshots', 'facilitator')).json()) as { id: string; kind: string }[]
    const phase = snapshots.find((s) => s.kind === 'phase')!
    // The revert changes A's live board, which holds B's card (it came through Redis).
    expect((await api(a.url, board, `/snapshots/${phase.id}/revert`, 'facilitator', 'POST', { by: 'Fien' })).status).toBe(200)
    await waitFor(() => !participantOnB.records.has('shape:b1'), { what: 'the revert on B' })

    // Co-facilitator made on A (a facilitation field) is seen on B.
    facilitatorOnA.doc.getMap('facilitation').set('cofacilitators', [{ keyHash: 'c'.repeat(64), name: 'Cor' }])
    await waitFor(() => Array.isArray(participantOnB.doc.getMap('facilitation').get('cofacilitators')), { what: 'the co-facilitator on B' })

    // Close through A: B's client is read-only from then on (its change is refused with 4403).
    expect((await api(a.url, board, '/close', 'facilitator', 'POST', { by: 'Fien' })).status).toBe(200)
    await waitFor(() => participantOnB.doc.getMap('meta').has('closedAt'), { what: 'closed on B' })
    const closes: number[] = []
    participantOnB.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code))
    participantOnB.records.set('shape:late', card('shape:late', 'te laat'))
    await waitFor(() => closes.includes(4403), { what: 'B refusing a change after the close' })
    expect(facilitatorOnA.records.has('shape:late')).toBe(false)

    // Delete through A: B's clients are told 4410 and cannot come back.
    const viewerOnB = makeClient(b.wsUrl, board, { role: 'viewer' })
    await viewerOnB.synced()
    const deletedCodes: number[] = []
    viewerOnB.provider.on('connection-close', (event: CloseEvent | null) => event && deletedCodes.push(event.code))
    expect((await api(a.url, board, '', 'facilitator', 'DELETE')).status).toBe(200)
    await waitFor(() => deletedCodes.includes(4410), { what: '4410 on B' })
    expect((await api(b.url, board, '', 'facilitator')).status).toBe(410) // gone on every process, for every link (the deleted-board test)
  }, 60_000)

  it('takes one automatic snapshot per interval across three processes, not three', async () => {
    // Every process ticks every 2 s; the board changes on all three all the time.
    const cluster = await startCluster(3, { SNAPSHOT_EVERY_MINUTES: String(2 / 60) })
    const board = await createBoard(cluster.nodes[0]!.url)
    const clients = cluster.nodes.map((node) => makeClient(node.wsUrl, board))
    await Promise.all(clients.map((c) => c.synced()))
    const started = Date.now()
    let n = 0
    while (Date.now() - started < 7_000) {
      for (const client of clients) client.records.set(`shape:s${n}`, card(`shape:s${n++}`, 'x'))
      // Pacing: the board changes on all three all the time, over several snapshot intervals.
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const seconds = (Date.now() - started) / 1000
    const auto = ((await (await api(cluster.nodes[0]!.url, board, '/snapshots', 'facilitator')).json()) as { kind: string; createdAt: number }[]).filter(
      (s) => s.kind === 'auto',
    )
    // At most one per 0.9 interval (the lease) — three processes without it took 10 in this time.
    // (Their stored times are not compared: each is stamped after its encoding, which varies by
    // hundreds of ms on a busy machine.)
    expect(auto.length).toBeGreaterThanOrEqual(2)
    expect(auto.length).toBeLessThanOrEqual(Math.floor(seconds / 1.8) + 1)
  }, 60_000)

  it('a dot vote whose dots are cast through two processes survives a restart of one, and closes once with every dot', async () => {
    const { cluster, a, b, board } = await conferenceOnTwo()
    const facilitator = makeClient(a.wsUrl, board)
    const [keyA, keyB] = ['a'.repeat(64), 'b'.repeat(64)]
    const voterA = clientOn(cluster, 0, board, 'participant', keyA)
    const voterB = clientOn(cluster, 1, board, 'participant', keyB)
    voterA.provider.awareness.setLocalStateField('member', member(keyA, 'A'))
    voterB.provider.awareness.setLocalStateField('member', member(keyB, 'B'))
    await Promise.all([facilitator, voterA, voterB].map((c) => c.synced()))
    const agenda = facilitator.doc.getMap('facilitation').get('agenda') as { phase: string; frameId: string }[]
    const frameId = agenda.find((x) => x.phase === 'trends')!.frameId
    for (const [i, text] of ['Wonen', 'Werk'].entries())
      facilitator.records.set(`shape:v${i}`, { ...card(`shape:v${i}`, text, `a${i + 2}`), parentId: frameId })
    // B's live board has the cards (its voter sees them): B's API finds them for a dot.
    await waitFor(() => voterB.records.has('shape:v1'))

    const started = await api(a.url, board, '/votes', 'facilitator', 'POST', { frameId, dots: 3 })
    expect(started.status).toBe(201)
    const vote = ((await started.json()) as { id: string }).id
    const dot = (url: string, memberKey: string, shapeId: string) =>
      api(url, board, `/votes/${vote}/dots`, 'participant', 'POST', { memberKey, shapeId, delta: 1 })
    // A's voter is connected to A but votes through B's API (a load balancer without sticky sessions), and the other way round.
    await waitFor(async () => (await dot(b.url, keyA, 'shape:v0')).status === 200, { what: 'a dot through B from the voter on A' })
    // (each voter's presence reaches the other process within a presence batch, ~100 ms)
    await waitFor(async () => (await dot(a.url, keyB, 'shape:v1')).status === 200, { what: 'a dot through A from the voter on B' })
    expect((await dot(a.url, keyB, 'shape:v0')).status).toBe(200)

    // B restarts: the vote and its dots are in PostgreSQL, not in B's memory.
    await cluster.stop(1)
    await cluster.restart(1)
    await waitFor(() => voterB.provider.wsconnected && voterB.provider.synced, { what: 'voter B back' })
    // Back on a server, the browser's cursor moves (its presence is new there).
    voterB.provider.awareness.setLocalStateField('cursor', { x: 1, y: 1 })
    await waitFor(async () => (await dot(b.url, keyB, 'shape:v0')).status === 200, { what: 'a dot through the restarted B' })
    const mine = await api(b.url, board, `/votes/${vote}/mine`, 'participant', 'GET')
    // (the member key goes in a header for this one)
    expect(mine.status).toBeLessThan(500)

    expect((await api(b.url, board, `/votes/${vote}/close`, 'facilitator', 'POST', {})).status).toBe(200)
    expect((await api(a.url, board, `/votes/${vote}/close`, 'facilitator', 'POST', {})).status).toBe(404)
    await waitFor(() => (voterA.doc.getMap('facilitation').get('vote') as { open?: boolean } | undefined)?.open === false, { what: 'the result on A' })
    const results = (voterA.doc.getMap('facilitation').get('vote') as { results: { shapeId: string; count: number }[] }).results
    expect(results.map((r) => [r.shapeId, r.count])).toEqual([
      ['shape:v0', 3],
      ['shape:v1', 1],
    ])
  }, 60_000)

  it("a move of someone else's card from an older copy, through another process: settled once, by the process that judged it, and everyone ends with her text where he put it", async () => {
    const { cluster, a, b, board } = await conferenceOnTwo()
    // Bram's client id above Anna's: Yjs alone would keep his older copy (and lose her edit).
    const anna = makeClient(a.wsUrl, board, { role: 'participant', clientID: 1_000, memberKey: 'a'.repeat(64) })
    const bram = makeClient(b.wsUrl, board, { role: 'participant', clientID: 2_000, memberKey: 'b'.repeat(64) })
    const watcherOnA = makeClient(a.wsUrl, board, { role: 'viewer' })
    anna.provider.awareness.setLocalStateField('member', member('a'.repeat(64), 'Anna'))
    bram.provider.awareness.setLocalStateField('member', member('b'.repeat(64), 'Bram'))
    await Promise.all([anna, bram, watcherOnA].map((c) => c.synced()))
    const owned = (text: string) => ({ ...card('shape:anna', text), meta: { owner: sha256Hex('a'.repeat(64)) } })
    anna.records.set('shape:anna', owned('Trots op de buurt'))
    await waitFor(() => bram.records.has('shape:anna'), { what: "Anna's card on B" })
    const closes: number[] = []
    for (const c of [anna, bram]) c.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code))

    bram.provider.disconnect()
    anna.records.set('shape:anna', owned('Trots op het buurthuis'))
    // B has her edit (a client of B sees it) before Bram's move from the older copy arrives there.
    const otherOnB = makeClient(b.wsUrl, board, { role: 'viewer' })
    await otherOnB.synced()
    await waitFor(() => (otherOnB.records.get('shape:anna') as { props: { text: string } } | undefined)?.props.text === 'Trots op het buurthuis', {
      what: 'her edit on B',
    })
    bram.records.set('shape:anna', { ...(bram.records.get('shape:anna') as object), x: 400, y: 80 })
    bram.provider.connect()

    type Shown = { x: number; y: number; props: { text: string } } | undefined
    const meant = (c: TestClient) => {
      const r = c.records.get('shape:anna') as Shown
      return r?.props.text === 'Trots op het buurthuis' && r.x === 400 && r.y === 80
    }
    const everyone = [anna, bram, watcherOnA, otherOnB]
    await waitFor(() => closes.length > 0 || everyone.every(meant), { what: 'her text at his place everywhere' })
    expect(closes).toEqual([])
    await waitFor(() => same(everyone), { what: 'identical documents' })
    const settled = (i: number) =>
      cluster.nodes[i]!.process.stderr()
        .split('\n')
        .filter((l) => l.includes('from an older copy')).length
    expect([settled(0), settled(1)]).toEqual([0, 1])

    // What PostgreSQL keeps: both processes stopped, one started again, a newcomer loads the board.
    for (const c of everyone) c.provider.disconnect()
    await cluster.stop(0)
    await cluster.stop(1)
    await cluster.restart(0)
    const fresh = makeClient(cluster.nodes[0]!.wsUrl, board, { role: 'viewer' })
    await fresh.synced()
    expect(meant(fresh)).toBe(true)
  }, 60_000)
})
