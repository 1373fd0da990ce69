/**
 * Batched fan-out (server/room/fanout.ts) is about speed; these check it stays correct: stock clients
 * converge, a client never gets its own presence back, a departed client's presence goes away for
 * everyone, and one sender's updates arrive in order.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { makeClient, openRaw, recordsJson } from '../helpers/client.ts'
import { awarenessFrame, syncUpdateFrame } from '../helpers/frames.ts'
import { card } from '../helpers/records.ts'
import { startServer } from '../helpers/server.ts'
import { CloseCode, Limits } from '../../shared/protocol.ts'
import { FanOut } from '../../server/room/fanout.ts'
import { Awareness } from 'y-protocols/awareness'
import { waitFor } from '../helpers/wait.ts'

/** Bytes in ArrayBuffers still referenced (after a full collection): received frames are garbage, not buffers. */
setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void
function liveArrayBuffers(): number {
  collect()
  return process.memoryUsage().arrayBuffers
}

const INDICES = '123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** The client ids and states in the awareness messages a raw socket received, in order. */
function presencesIn(messages: Buffer[]): { id: number; state: { cursor?: { x: number } } | null }[] {
  const presences: { id: number; state: { cursor?: { x: number } } | null }[] = []
  for (const message of messages) {
    const d = decoding.createDecoder(new Uint8Array(message))
    if (decoding.readVarUint(d) !== 1) continue
    const update = decoding.createDecoder(decoding.readVarUint8Array(d))
    const count = decoding.readVarUint(update)
    for (let i = 0; i < count; i++) {
      const id = decoding.readVarUint(update)
      decoding.readVarUint(update)
      presences.push({ id, state: JSON.parse(decoding.readVarString(update)) })
    }
  }
  return presences
}
const presenceIdsIn = (messages: Buffer[]) => presencesIn(messages).map((p) => p.id)

describe('batched fan-out', () => {
  it('30 stock clients writing at once converge on the same board', async () => {
    const { wsUrl } = await startServer()
    const clients = Array.from({ length: 30 }, () => makeClient(wsUrl, 'converge', { role: 'participant' }))
    await Promise.all(clients.map((c) => c.synced()))
    clients.forEach((client, i) => {
      for (let k = 0; k < 3; k++)
        client.records.set(`shape:c${i}-${k}`, card(`shape:c${i}-${k}`, `${i}/${k}`, { x: i * 10, y: k * 10, index: `a${INDICES[k]}` }))
    })
    await waitFor(() => clients.every((c) => c.records.size === 90), { what: '90 cards everywhere', timeout: 20_000 })
    const first = recordsJson(clients[0]!.doc)
    for (const c of clients) expect(recordsJson(c.doc)).toEqual(first)
  }, 40_000)

  it("never sends a client its own presence (but once, the clock the server gave its opening one); a departed client's presence goes for everyone", async () => {
    const { wsUrl } = await startServer()
    const raw = await openRaw(`${wsUrl}/presence`, 'participant')
    raw.ws.send(awarenessFrame([{ clientId: 4242, clock: 1, state: { cursor: { x: 1, y: 1 } } }]))
    const others = Array.from({ length: 3 }, () => makeClient(wsUrl, 'presence', { role: 'participant' }))
    await Promise.all(others.map((c) => c.synced()))
    for (let i = 0; i < 5; i++) {
      others.forEach((c, k) => c.provider.awareness.setLocalStateField('cursor', { x: i, y: k }))
      // (Its opening clock 1 became 2 at the server; a stock client would have adopted it.)
      raw.ws.send(awarenessFrame([{ clientId: 4242, clock: 3 + i, state: { cursor: { x: i, y: 9 } } }]))
      // Each round in a tick of its own: it has reached the others before the next.
      await waitFor(() => others.every((c) => (c.provider.awareness.getStates().get(4242) as { cursor?: { x: number } } | undefined)?.cursor?.x === i), {
        what: `round ${i} of the raw client's presence at the others`,
      })
    }
    // A change the others make now goes out in a later tick than the raw client's last state, on
    // the raw client's socket behind it: once it is there, its own state would have been too.
    others.forEach((c) => c.provider.awareness.setLocalStateField('cursor', { x: 99, y: 0 }))
    await waitFor(() => others.every((c) => presencesIn(raw.messages).some((p) => p.id === c.doc.clientID && p.state?.cursor?.x === 99)), {
      what: "the others' last presence at the raw client",
    })
    expect(presenceIdsIn(raw.messages).filter((id) => id === 4242)).toHaveLength(1)

    raw.ws.close()
    await waitFor(() => others.every((c) => !c.provider.awareness.getStates().has(4242)), { what: 'the departed presence gone everywhere' })
  })

  it("keeps one sender's updates in order, also when many are applied in one turn", async () => {
    const { wsUrl } = await startServer()
    const watcher = makeClient(wsUrl, 'order', { role: 'participant' })
    await watcher.synced()
    const seen: number[] = []
    watcher.doc.getMap('records').observe((event) => {
      if (event.keysChanged.has('shape:counter')) seen.push(Number((watcher.records.get('shape:counter') as ReturnType<typeof card>).props.text))
    })
    // A raw sender: 50 successive values of one card, each its own update, sent back to back.
    const sender = new Y.Doc()
    const raw = await openRaw(`${wsUrl}/order`, 'participant')
    let previous = Y.encodeStateVector(sender)
    for (let i = 1; i <= 50; i++) {
      sender.getMap('records').set('shape:counter', card('shape:counter', String(i)))
      raw.ws.send(syncUpdateFrame(Y.encodeStateAsUpdate(sender, previous)))
      previous = Y.encodeStateVector(sender)
    }
    await waitFor(() => seen.at(-1) === 50, { what: 'the last value' })
    expect([...seen].sort((a, b) => a - b)).toEqual(seen)
  })

  it('closes a slow consumer with 4508 once 64 MiB wait for it; memory stays bounded and everyone else carries on', async () => {
    // A client that reads nothing answers no ping either: the keepalive (server/room/keepalive.ts) would drop it first.
    const { wsUrl, log } = await startServer({ keepaliveMs: 120_000 })
    const watcher = makeClient(wsUrl, 'slowpoke', { role: 'participant' })
    await watcher.synced()
    const slow = await openRaw(`${wsUrl}/slowpoke`, 'participant')
    await waitFor(() => slow.messages.length > 0, { what: 'the slow client greeted' })
    // It stops reading: what the server sends it piles up in the server's buffer.
    slow.ws.pause()
    const writer = await openRaw(`${wsUrl}/slowpoke`, 'facilitator')
    const sender = new Y.Doc()
    const big = 'x'.repeat(100_000)
    const baseline = liveArrayBuffers()
    let peak = 0
    let previous = Y.encodeStateVector(sender)
    const refused = () => log.records.some((r) => r.code === CloseCode.slowConsumer)
    // ~100 KB a change, each replacing the last (the board stays small), until the server gives up
    // on the slow client — or 40 s: without the limit it would buffer all of it (~500 MB).
    const started = Date.now()
    for (let i = 0; !refused() && Date.now() - started < 40_000; i++) {
      sender.getMap('records').set('shape:big', card('shape:big', `${i} ${big}`))
      writer.ws.send(syncUpdateFrame(Y.encodeStateAsUpdate(sender, previous)))
      previous = Y.encodeStateVector(sender)
      if (i % 10 === 0) {
        // Paced by the watcher, so what piles up is the slow client's share only.
        const text = () => String((watcher.records.get('shape:big') as ReturnType<typeof card> | undefined)?.props.text ?? '')
        await waitFor(() => text().startsWith(`${i} `) || refused(), { what: `change ${i} at the watcher`, timeout: 20_000 })
        peak = Math.max(peak, liveArrayBuffers() - baseline)
      }
    }
    expect(refused()).toBe(true)
    expect(peak).toBeLessThan(Limits.maxBufferedBytes + 64 * 1024 * 1024)
    // The watcher kept up and has the latest value; the writer is still connected.
    await waitFor(
      () =>
        String((watcher.records.get('shape:big') as ReturnType<typeof card> | undefined)?.props.text).startsWith(
          `${String((sender.getMap('records').get('shape:big') as ReturnType<typeof card>).props.text).split(' ')[0]} `,
        ),
      { what: 'the watcher up to date', timeout: 20_000 },
    )
    expect(writer.ws.readyState).toBe(writer.ws.OPEN)
    // Reading again, the slow client finds the close code after what was buffered.
    slow.messages.length = 0
    slow.ws.on('message', () => (slow.messages.length = 0))
    slow.ws.resume()
    expect((await slow.closed).code).toBe(CloseCode.slowConsumer)
  }, 90_000)

  it('grows the presence tick and the update window with the room, and writes presence to every peer of a big room', () => {
    const awareness = new Awareness(new Y.Doc())
    const peers: [{ send(frame: Uint8Array): void; got: Uint8Array[] }, ReadonlySet<number>][] = []
    const fanOut = new FanOut({ awareness, peers: () => peers, peerCount: () => peers.length, awarenessTickMs: 50 })
    const add = (n: number) => {
      for (let i = 0; i < n; i++) {
        const got: Uint8Array[] = []
        peers.push([{ got, send: (frame) => got.push(frame) }, new Set([1000 + peers.length])])
      }
    }
    add(20)
    expect([fanOut.tickMs(), fanOut.updateWindowMs()]).toEqual([50, 0])
    add(180)
    expect([fanOut.tickMs(), fanOut.updateWindowMs()]).toEqual([200, 10])
    add(300)
    expect([fanOut.tickMs(), fanOut.updateWindowMs()]).toEqual([500, 25])
    // Every peer's presence changed; flushNow writes all slices at once, each without its own state.
    awareness.setLocalState(null)
    for (const [, own] of peers)
      for (const id of own) {
        awareness.states.set(id, { cursor: { x: id, y: 0 } })
        awareness.meta.set(id, { clock: 1, lastUpdated: Date.now() })
      }
    fanOut.presence(peers.flatMap(([, own]) => [...own]))
    fanOut.flushNow()
    fanOut.stop()
    for (const [peer, own] of peers) {
      expect(peer.got).toHaveLength(1)
      const ids = presenceIdsIn(peer.got.map((f) => Buffer.from(f)))
      expect(ids).toHaveLength(499)
      expect(ids).not.toContain([...own][0])
    }
  })
})
