/**
 * Hostile Yjs updates (issue findings 2–4): each is refused or contained, only its sender is
 * closed, nothing of it is stored, and the board and other boards carry on.
 */
import { performance } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../../shared/board-id.ts'
import { MetaKey } from '../../../shared/doc-layout.ts'
import { CloseCode, ContentLimits, Limits } from '../../../shared/protocol.ts'
import { judgeUpdate } from '../../../server/policy/update-policy.ts'
import { makeClient, openRaw, type TestClient } from '../../helpers/client.ts'
import { chainUpdate, gcUpdate, syncUpdateFrame } from '../../helpers/frames.ts'
import { card } from '../../helpers/records.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'
import { waitFor } from '../../helpers/wait.ts'
import { honestBoard } from '../../helpers/honest-board.ts'

/** Sends one update as `role` on a raw socket; resolves with the close code. */
async function sendUpdate(server: TestServer, board: string, update: Uint8Array, role: 'facilitator' | 'participant' = 'participant') {
  const raw = await openRaw(`${server.wsUrl}/${board}`, role)
  raw.ws.send(syncUpdateFrame(update))
  return raw.closed
}

/** An update from a fresh doc that already knows the board, so it builds on its state. */
function updateOn(base: TestClient, change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base.doc))
  const before = Y.encodeStateVector(doc)
  change(doc)
  return Y.encodeStateAsUpdate(doc, before)
}

const setRecord = (key: string, value: unknown) => (doc: Y.Doc) => doc.getMap('records').set(key, value)

describe('hostile updates', () => {
  it('judges an adversarial update of the largest allowed size in well under 100 ms (N = 40,000 stalled everyone 7.3 s)', async () => {
    const server = await startServer()
    const { honest } = await honestBoard(server, 'quadratic')
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(honest.doc))
    // CPU time of this process, the fastest of five runs: what judging costs, not what a loaded
    // 2-core machine makes the wall clock show (it read 134 ms for a 56 ms judgement under load).
    const judge = (update: Uint8Array) => {
      const decodeStarted = performance.now()
      const decoded = Y.decodeUpdate(update)
      const decodeMs = performance.now() - decodeStarted
      const cpu = process.cpuUsage()
      const verdict = judgeUpdate(doc, update, { role: 'participant', ownedByOther: () => false }, decoded)
      const used = process.cpuUsage(cpu)
      return { verdict, ms: (used.user + used.system) / 1000, decodeMs }
    }
    const fastest = (update: Uint8Array) => Array.from({ length: 5 }, () => judge(update)).sort((a, b) => a.ms - b.ms)[0]!
    // The attack: every item refers to the update's last one. Refused at once.
    const attack = chainUpdate(4242, Limits.maxUpdateItems, 'shape:chain', card('shape:chain', 'ketting'), 'to-last')
    const refused = fastest(attack)
    expect(refused.verdict.ok).toBe(false)
    // The deepest valid chain of the largest allowed size: judged, and accepted, in time linear in
    // its size. (An absolute bound on it flaked: 56 ms alone, 119 ms CPU with the suite running on
    // both cores; and twice the items against 3× the time flaked too — a garbage collection in
    // the bigger run read 76.6 vs 22.6 ms. Four times the items must cost well under eight times
    // the time: linear is 4×, quadratic 16×.)
    const deepest = chainUpdate(4343, Limits.maxUpdateItems, 'shape:chain', card('shape:chain', 'ketting'), 'to-previous')
    const quarter = chainUpdate(4344, Limits.maxUpdateItems / 4, 'shape:chain', card('shape:chain', 'ketting'), 'to-previous')
    expect(Y.decodeUpdate(deepest).structs.length).toBe(Limits.maxUpdateItems)
    fastest(quarter) // warm up
    const quarterTime = fastest(quarter)
    const accepted = fastest(deepest)
    expect(accepted.verdict.ok).toBe(true)
    console.log(
      `judged ${Limits.maxUpdateItems} items (${deepest.length} bytes), CPU time: attack refused in ${refused.ms.toFixed(1)} ms, deepest valid chain in ${accepted.ms.toFixed(1)} ms (a quarter of it: ${quarterTime.ms.toFixed(1)} ms; decoding at the edge: ${accepted.decodeMs.toFixed(1)} ms)`,
    )
    expect(refused.ms).toBeLessThan(100)
    expect(accepted.ms).toBeLessThan(8 * quarterTime.ms + 10)
    expect(accepted.ms).toBeLessThan(500)

    // Sent for real, neither stalls an edit on another board; one more item is refused.
    const other = makeClient(server.wsUrl, 'quadratic-other')
    await other.synced()
    expect((await sendUpdate(server, 'quadratic', attack)).code).toBe(CloseCode.malformedMessage)
    const raw = await openRaw(`${server.wsUrl}/quadratic`, 'participant')
    raw.ws.send(syncUpdateFrame(deepest))
    const sent = performance.now()
    other.records.set('shape:o', card('shape:o', 'ander bord'))
    const witness = makeClient(server.wsUrl, 'quadratic-other')
    await witness.synced()
    await waitFor(() => witness.records.has('shape:o'))
    console.log(`an edit on another board arrived ${(performance.now() - sent).toFixed(0)} ms after the largest update was sent`)
    await waitFor(() => honest.records.has('shape:chain'), { what: 'the valid chain to be applied' })
    const tooMany = chainUpdate(4444, Limits.maxUpdateItems + 1, 'shape:chain2', card('shape:chain2', 'te lang'), 'to-previous')
    expect((await sendUpdate(server, 'quadratic', tooMany)).code).toBe(CloseCode.malformedMessage)
  })

  const invalid: [string, (base: TestClient) => Uint8Array][] = [
    ['a record set to null', (b) => updateOn(b, setRecord('shape:good', null))],
    ['a record of an unknown type', (b) => updateOn(b, setRecord('ufo:1', { id: 'ufo:1', typeName: 'ufo' }))],
    ['a card with invalid props', (b) => updateOn(b, setRecord('shape:bad', { ...card('shape:bad', 'x'), props: { text: 42 } }))],
    ['a record under another id', (b) => updateOn(b, setRecord('shape:a', card('shape:b', 'x')))],
    ['a card with 1 MB of text', (b) => updateOn(b, setRecord('shape:big', card('shape:big', 'x'.repeat(1024 * 1024))))],
    [
      'a record nested 3,000 deep',
      (b) => {
        let deep: unknown = 'bodem'
        for (let i = 0; i < 3_000; i++) deep = { deep }
        return updateOn(b, setRecord('shape:deep', { ...card('shape:deep', 'x'), meta: { deep } }))
      },
    ],
    [
      'an asset pointing at another site',
      (b) =>
        updateOn(
          b,
          setRecord('asset:1', {
            id: 'asset:1',
            typeName: 'asset',
            type: 'image',
            props: { name: 'x.png', src: 'http://evil.example/x.png', w: 10, h: 10, mimeType: 'image/png', isAnimated: false, fileSize: 1 },
            meta: {},
          }),
        ),
    ],
    [
      'meta.schema from the future',
      (b) =>
        updateOn(b, (doc) => {
          const schema = structuredClone(doc.getMap('meta').get(MetaKey.schema)) as { sequences: Record<string, number> } | undefined
          doc.getMap('meta').set(MetaKey.schema, { schemaVersion: 2, sequences: { ...schema?.sequences, 'com.tldraw.shape': 999 } })
        }),
    ],
    ['a nested Yjs type in the records', (b) => updateOn(b, setRecord('shape:nested', new Y.Map()))],
    ['a text type outside the layout', (b) => updateOn(b, (doc) => doc.getText('elsewhere').insert(0, 'x'))],
  ]
  for (const [what, make] of invalid) {
    it(`refuses ${what} from a participant and a facilitator alike, storing nothing`, async () => {
      const server = await startServer()
      const board = `inv-${what.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}`
      const { honest, carriesOn } = await honestBoard(server, board)
      for (const role of ['participant', 'facilitator'] as const) {
        const closed = await sendUpdate(server, board, make(honest), role)
        expect([CloseCode.malformedMessage, CloseCode.forbidden, CloseCode.messageTooBig], `${what} as ${role}`).toContain(closed.code)
      }
      expect(server.log.lines.filter((l) => l.includes('closing connection')).length).toBeGreaterThanOrEqual(2)
      await carriesOn()
    })
  }

  it('the board still opens, reports and snapshots after every one of those attempts', async () => {
    const server = await startServer()
    const { honest } = await honestBoard(server, 'after-all')
    for (const [, make] of invalid) await sendUpdate(server, 'after-all', make(honest), 'facilitator')
    const token = (await import('../../helpers/server.ts')).tokenFor('after-all', 'facilitator')
    for (const path of ['outcome.json', 'outcome.html', 'export.tldr', 'archive.zip', 'map.svg']) {
      expect((await fetch(`${server.url}/api/boards/after-all/${path}?token=${token}`)).status, path).toBe(200)
    }
    const snap = await fetch(`${server.url}/api/boards/after-all/snapshots?token=${token}`, { method: 'POST', body: JSON.stringify({ name: 'na de aanval' }) })
    expect(snap.status).toBe(201)
  })

  it('a board stored before the server validated content still reports, exports, snapshots, reverts, closes and archives (bad records are skipped)', async () => {
    const server = await startServer()
    const created = (await (
      await fetch(`${server.url}/api/boards`, { method: 'POST', body: JSON.stringify({ example: 'samen-aan-de-slag-2018' }) })
    ).json()) as { id: BoardId }
    const board = created.id
    // Written straight into storage, as an older server would have accepted it.
    const doc = new Y.Doc()
    for (const u of await server.storage.log.load(board)) Y.applyUpdate(doc, u)
    const before = Y.encodeStateVector(doc)
    let deep: unknown = 'bodem'
    for (let i = 0; i < 3_000; i++) deep = { deep }
    doc.transact(() => {
      doc.getMap('records').set('shape:null', null)
      doc.getMap('records').set('shape:deep', { ...card('shape:deep', 'diep'), meta: { deep } })
      doc.getMap('records').set('shape:string', 'geen record')
    })
    await server.storage.log.append(board, [Y.encodeStateAsUpdate(doc, before)])
    const token = (await import('../../helpers/server.ts')).tokenFor(board, 'facilitator')
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}/api/boards/${board}${path}${path.includes('?') ? '&' : '?'}token=${token}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    for (const path of ['/outcome.json', '/outcome.html', '/outcome.md', '/export.tldr', '/archive.zip', '/map.svg'])
      expect((await call('GET', path)).status, path).toBe(200)
    const snap = await call('POST', '/snapshots', { name: 'met rommel' })
    expect(snap.status).toBe(201)
    const { id: sid } = (await snap.json()) as { id: string }
    expect((await call('GET', `/snapshots/${sid}/compare?with=live`)).status).toBe(200)
    expect((await call('POST', `/snapshots/${sid}/revert`, {})).status).toBe(200)
    expect((await call('POST', '/close', {})).status).toBe(200)
    const archiveKey = (await import('../../helpers/server.ts')).testTokens.sign('*archive*', 'facilitator')
    expect((await fetch(`${server.url}/api/archive`, { headers: { authorization: `Bearer ${archiveKey}` } })).status).toBe(200)
    // And a browser's client can still open it: a stock client syncs.
    const reader = makeClient(server.wsUrl, board, { role: 'viewer' })
    await reader.synced()
    expect(reader.records.size).toBeGreaterThan(10)
  })

  it('refuses GC structs, so nobody can erase the next clocks of someone else (their offline card survives)', async () => {
    const server = await startServer()
    const { honest } = await honestBoard(server, 'gc-attack')
    // The victim goes offline and writes a card; the attacker claims the victim's next clocks.
    const victim = honest.doc.clientID
    const next = Y.getState(honest.doc.store, victim)
    honest.provider.disconnect()
    const closed = await sendUpdate(server, 'gc-attack', gcUpdate(victim, next, 5))
    expect(closed.code).toBe(CloseCode.malformedMessage)
    expect(closed.reason).toBe('malformed message: garbage-collected structs are not accepted from clients')
    honest.records.set('shape:offline', card('shape:offline', 'in de trein geschreven'))
    honest.provider.connect()
    const witness = makeClient(server.wsUrl, 'gc-attack')
    await witness.synced()
    await waitFor(() => witness.records.has('shape:offline'), { what: "the victim's offline card" })
    expect(server.log.lines.some((l) => l.includes('garbage-collected'))).toBe(true)
  })

  it('does not keep updates that depend on changes the board lacks ("pending" structs): the sender is asked for them, and closed (4509) only if it keeps sending such', async () => {
    const server = await startServer()
    const { honest, carriesOn } = await honestBoard(server, 'pending')
    // A 5 MB-style pending update: its first clock is far ahead of what the board has.
    const doc = new Y.Doc()
    doc.getMap('records').set('shape:p1', card('shape:p1', 'eerste'))
    const missing = Y.encodeStateVector(doc)
    doc.getMap('records').set('shape:p2', card('shape:p2', 'x'.repeat(100_000)))
    const ahead = Y.encodeStateAsUpdate(doc, missing)
    const raw = await openRaw(`${server.wsUrl}/pending`, 'participant')
    raw.ws.send(syncUpdateFrame(ahead))
    // Asked in place for what the board lacks (a second sync step 1 after the greeting's), not closed:
    // a reconnect would only send the same again (issue 19: 86–118 sockets in 40 s).
    const stepOnes = () => raw.messages.filter((m) => m[0] === 0 && m[1] === 0).length
    await waitFor(() => stepOnes() >= 2, { what: 'the server asking for what it lacks' })
    expect(raw.ws.readyState).toBe(raw.ws.OPEN)
    // A sender that never answers with what is missing is closed (transient) after a bounded number of asks.
    for (let i = 0; i < 25 && raw.ws.readyState === raw.ws.OPEN; i++) raw.ws.send(syncUpdateFrame(ahead))
    expect((await raw.closed).code).toBe(CloseCode.resync)
    const room = server.server.rooms.get('pending' as BoardId)!
    expect(room.doc.store.pendingStructs).toBeNull()
    expect(room.doc.getMap('records').has('shape:p2')).toBe(false)
    expect(honest.records.has('shape:p2')).toBe(false)
    await carriesOn()
  })

  it('lets a client relay changes the server lost, but not write under the id of a connected person', async () => {
    const server = await startServer()
    const { honest } = await honestBoard(server, 'owned')
    // The honest client is connected and owns its id (through its awareness); a forger's
    // structs under that id are left out — the rest of the forger's update still counts.
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(honest.doc))
    forged.clientID = honest.doc.clientID // after loading: Yjs would otherwise pick another id
    const before = Y.encodeStateVector(forged)
    forged.getMap('records').set('shape:forged', card('shape:forged', 'namens een ander'))
    const raw = await openRaw(`${server.wsUrl}/owned`, 'participant')
    raw.ws.send(syncUpdateFrame(Y.encodeStateAsUpdate(forged, before)))
    const mine = new Y.Doc()
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(honest.doc))
    const mineBefore = Y.encodeStateVector(mine)
    mine.getMap('records').set('shape:mine', card('shape:mine', 'van de afzender zelf'))
    raw.ws.send(syncUpdateFrame(Y.encodeStateAsUpdate(mine, mineBefore)))
    await waitFor(() => honest.records.has('shape:mine'), { what: "the sender's own card" })
    expect(honest.records.has('shape:forged')).toBe(false)
    // The honest client's own next write, at the clock the forger tried to take, arrives.
    honest.records.set('shape:real', card('shape:real', 'echt'))
    const witness = makeClient(server.wsUrl, 'owned')
    await witness.synced()
    await waitFor(() => witness.records.has('shape:real'), { what: "the owner's write" })
    expect(witness.records.has('shape:forged')).toBe(false)
  })

  it('refuses an update larger than the limit with 1009', async () => {
    const server = await startServer()
    await honestBoard(server, 'huge')
    const big = new Uint8Array(Limits.maxUpdateBytes + 10)
    expect((await sendUpdate(server, 'huge', big)).code).toBe(CloseCode.messageTooBig)
    expect(ContentLimits.maxRecordBytes).toBeLessThan(Limits.maxUpdateBytes)
  })
})
