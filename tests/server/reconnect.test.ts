/**
 * One person, one live connection (issue 19, findings 3 and 4). A phone on venue Wi-Fi drops off
 * without the server noticing (a half-open TCP connection, played by a freezing proxy), or its
 * connection closes and comes back: the same browser's new connection takes over from the old one
 * at once — its presence, its client id's changes and its member key — and no rule of the policy
 * closes it again and again.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { recordsOf } from '../../shared/doc-layout.ts'
import { OWNER_META } from '../../shared/ownership.ts'
import { CloseCode, Limits, MEMBER_KEY_PARAM } from '../../shared/protocol.ts'
import { sha256Hex } from '../../shared/sha256.ts'
import { makeClient, openRaw, type TestClient } from '../helpers/client.ts'
import { awarenessFrame } from '../helpers/frames.ts'
import { startFreezingProxy } from '../helpers/freezing-proxy.ts'
import { card } from '../helpers/records.ts'
import { onCleanup, startServer, tokenFor, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

type Card = ReturnType<typeof card>

/** A participant whose stock client sends its member key and publishes its hash, the way the app does (client/board/members.ts). */
function person(wsUrl: string, board: string, name: string) {
  const key = randomBytes(32).toString('hex')
  const keyHash = sha256Hex(key)
  const client = makeClient(wsUrl, board, { role: 'participant', memberKey: key })
  client.provider.awareness.setLocalStateField('member', { userId: keyHash.slice(0, 8), name, role: 'participant', groupId: '', hand: false, keyHash })
  const closes: number[] = []
  client.provider.on('connection-close', (event: { code: number } | null) => event && closes.push(event.code))
  return { client, keyHash, closes, own: (id: string, text: string, x = 0): Card => card(id, text, { x, meta: { [OWNER_META]: keyHash } }) }
}

const nameAt = (observer: TestClient, id: number) => (observer.provider.awareness.getStates().get(id)?.member as { name?: string } | undefined)?.name
const textAt = (client: TestClient, id: string) => (client.records.get(id) as Card | undefined)?.props.text
const closings = (server: TestServer) => server.log.lines.filter((l) => l.includes('closing connection'))

async function twoPeople(server: TestServer, annaUrl: string, board: string) {
  const anna = person(annaUrl, board, 'Anna')
  const wim = person(server.wsUrl, board, 'Wim')
  await Promise.all([anna.client.synced(), wim.client.synced()])
  await waitFor(() => nameAt(wim.client, anna.client.doc.clientID) === 'Anna' && nameAt(anna.client, wim.client.doc.clientID) === 'Wim', {
    what: 'each to see the other',
  })
  anna.client.records.set('shape:anna', anna.own('shape:anna', 'Voor de storing'))
  await waitFor(() => textAt(wim.client, 'shape:anna') === 'Voor de storing', { what: "Anna's first card at Wim" })
  return { anna, wim }
}

describe('one person, one live connection', () => {
  it('a half-open connection: the same browser reconnecting through a fresh socket takes over at once, its next card reaches the others within 2 s', async () => {
    const server = await startServer()
    const proxy = await startFreezingProxy(server.port)
    const { anna, wim } = await twoPeople(server, proxy.wsUrl, 'halfopen')
    expect(proxy.freeze()).toBe(1)
    // The browser gives up on the silent socket and opens a new one; the server still holds the old.
    const socketsBefore = proxy.opened
    anna.client.provider.disconnect()
    anna.client.provider.connect()
    await anna.client.synced()
    const started = Date.now()
    anna.client.records.set('shape:anna2', anna.own('shape:anna2', 'Na de storing'))
    await waitFor(() => textAt(wim.client, 'shape:anna2') === 'Na de storing', { what: "Anna's card after the blip at Wim", timeout: 2_000 })
    // Changing her own earlier card refers to her changes before the blip: still hers.
    anna.client.records.set('shape:anna', anna.own('shape:anna', 'Voor de storing, verbeterd', 200))
    await waitFor(() => textAt(wim.client, 'shape:anna') === 'Voor de storing, verbeterd', { what: "Anna's edit at Wim", timeout: 2_000 })
    console.log(`half-open: Anna's card after the reconnect reached Wim in ${Date.now() - started} ms`)
    await waitFor(() => nameAt(wim.client, anna.client.doc.clientID) === 'Anna', { what: "Anna's presence at Wim" })
    expect(proxy.opened - socketsBefore).toBeLessThanOrEqual(2)
    expect(server.log.lines.filter((l) => l.includes(`code=${CloseCode.resync}`))).toEqual([])
    // The old connection was told it was replaced (transient: a stock client would reconnect).
    expect(closings(server).some((l) => l.includes(`code=${CloseCode.replaced}`))).toBe(true)
    expect(CloseCode.replaced < 4400 || CloseCode.replaced >= 4500).toBe(true)
    expect(anna.closes.filter((code) => code >= 4400 && code < 4500)).toEqual([])
  })

  it("a connection claiming someone's client id takes nothing over without her member key and at least her role", async () => {
    const server = await startServer()
    const { anna, wim } = await twoPeople(server, server.wsUrl, 'claims')
    const id = anna.client.doc.clientID
    const state = anna.client.provider.awareness.getLocalState()
    const clock = anna.client.provider.awareness.meta.get(id)!.clock
    // Another key, the same role; her exact state (her key), a lower role.
    const forger = await openRaw(`${server.wsUrl}/claims`, 'participant')
    forger.ws.send(awarenessFrame([{ clientId: id, clock: clock + 5, state: { ...state, member: { ...(state!.member as object), keyHash: 'f'.repeat(64) } } }]))
    const viewer = await openRaw(`${server.wsUrl}/claims`, 'viewer')
    viewer.ws.send(awarenessFrame([{ clientId: id, clock: clock + 5, state }]))
    // Anna's own next change still arrives after theirs, so theirs were judged (and dropped).
    anna.client.provider.awareness.setLocalStateField('cursor', { x: 1, y: 2 })
    await waitFor(() => (wim.client.provider.awareness.getStates().get(id) as { cursor?: { x: number } } | undefined)?.cursor?.x === 1, {
      what: "Anna's own change",
    })
    anna.client.records.set('shape:anna', anna.own('shape:anna', 'Nog steeds van mij'))
    await waitFor(() => textAt(wim.client, 'shape:anna') === 'Nog steeds van mij', { what: "Anna's card edit" })
    expect(anna.client.provider.wsconnected).toBe(true)
    expect(closings(server)).toEqual([])
  })

  it('a stock client with its member key in its presence writes its own card right after its connection dropped and came back: not closed, and seen at once', async () => {
    const server = await startServer()
    const { anna, wim } = await twoPeople(server, server.wsUrl, 'rejoin')
    for (let round = 0; round < 3; round++) {
      // The network drops the socket (no close frame): the server removes Anna's presence.
      ;(anna.client.provider.ws as unknown as WebSocket).terminate()
      await waitFor(() => wim.client.provider.awareness.getStates().get(anna.client.doc.clientID) === undefined, { what: "Anna's presence gone at Wim" })
      await waitFor(() => anna.client.provider.synced, { what: 'Anna reconnected' })
      anna.client.records.set('shape:anna', anna.own('shape:anna', `Ronde ${round}`, round * 50))
      await waitFor(() => textAt(wim.client, 'shape:anna') === `Ronde ${round}`, { what: `Anna's card in round ${round} at Wim`, timeout: 2_000 })
      // She is listed again at once, not after her presence's 15-second renewal.
      await waitFor(() => nameAt(wim.client, anna.client.doc.clientID) === 'Anna', { what: "Anna's presence back at Wim", timeout: 2_000 })
    }
    expect(anna.closes.filter((code) => code >= 4400 && code < 4500)).toEqual([])
    expect(closings(server)).toEqual([])
  })

  it("four stock providers in one process with BroadcastChannel on (y-websocket's default) are never closed", async () => {
    const server = await startServer()
    const board = 'broadcast'
    // Opened one after the other, like tabs: each publishes its member at once, while its own socket
    // is still connecting — the tabs already connected relay it over theirs (BroadcastChannel →
    // awareness → WebSocket), before its own connection could introduce it.
    const people: { doc: Y.Doc; provider: WebsocketProvider; keyHash: string; closes: number[]; records: Y.Map<unknown> }[] = []
    for (let i = 0; i < 4; i++) {
      const key = randomBytes(32).toString('hex')
      const keyHash = sha256Hex(key)
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(server.wsUrl, board, doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        params: { token: tokenFor(board, 'participant'), [MEMBER_KEY_PARAM]: key },
        maxBackoffTime: 200,
      })
      provider.awareness.setLocalStateField('member', { userId: `p${i}`, name: `Persoon ${i}`, role: 'participant', groupId: '', hand: false, keyHash })
      const closes: number[] = []
      provider.on('connection-close', (event: { code: number } | null) => event && closes.push(event.code))
      onCleanup(() => {
        provider.destroy()
        doc.destroy()
      })
      people.push({ doc, provider, keyHash, closes, records: recordsOf(doc) })
      await waitFor(() => provider.synced || closes.length > 0, { what: `provider ${i} synced` })
    }
    expect(people[0]!.provider.disableBc).toBe(false)
    expect(people.map((p) => p.closes)).toEqual([[], [], [], []])
    people.forEach((p, i) => p.records.set(`shape:p${i}`, card(`shape:p${i}`, `Kaart ${i}`, { meta: { [OWNER_META]: p.keyHash } })))
    people.forEach((p, i) => p.records.set(`shape:p${i}`, card(`shape:p${i}`, `Kaart ${i}, verbeterd`, { x: 10, meta: { [OWNER_META]: p.keyHash } })))
    // A fifth, plain client sees every card (each went through the server) and every person.
    const witness = makeClient(server.wsUrl, board, { role: 'viewer' })
    await waitFor(() => people.every((_, i) => textAt(witness, `shape:p${i}`) === `Kaart ${i}, verbeterd`), { what: 'every card at the witness' })
    await waitFor(() => people.every((p) => witness.provider.awareness.getStates().has(p.doc.clientID)), { what: 'every person at the witness' })
    expect(people.map((p) => p.closes)).toEqual([[], [], [], []])
    expect(closings(server)).toEqual([])
  })

  it(`the server drops a frozen connection within 15 s with its default keepalive (${Limits.keepaliveMs} ms)`, async () => {
    const server = await startServer()
    const proxy = await startFreezingProxy(server.port)
    const { anna, wim } = await twoPeople(server, proxy.wsUrl, 'keepalive')
    proxy.freeze()
    // Nobody reconnects: only the keepalive can find out.
    anna.client.provider.shouldConnect = false
    const started = Date.now()
    await waitFor(() => wim.client.provider.awareness.getStates().get(anna.client.doc.clientID) === undefined, {
      what: 'the frozen connection dropped',
      timeout: 16_000,
      interval: 100,
    })
    const took = Date.now() - started
    console.log(`keepalive: a frozen connection was dropped after ${took} ms`)
    expect(took).toBeLessThanOrEqual(15_000)
    expect(3 * Limits.keepaliveMs).toBeLessThanOrEqual(10_000)
  }, 30_000)

  it('the keepalive also finds a frozen connection with a shorter interval, and leaves live ones alone', async () => {
    const server = await startServer({ keepaliveMs: 500 })
    const proxy = await startFreezingProxy(server.port)
    const { anna, wim } = await twoPeople(server, proxy.wsUrl, 'keepalive-short')
    proxy.freeze()
    anna.client.provider.shouldConnect = false
    const started = Date.now()
    await waitFor(() => wim.client.provider.awareness.getStates().get(anna.client.doc.clientID) === undefined, {
      what: 'the frozen connection dropped',
      timeout: 3_000,
    })
    expect(Date.now() - started).toBeLessThanOrEqual(2_000)
    expect(wim.client.provider.wsconnected).toBe(true)
    expect(wim.closes).toEqual([])
  })
})
