/**
 * Batched fan-out (server/fanout.ts) is about speed; these check it stays correct: stock clients
 * converge, a client never gets its own presence back, a departed client's presence goes away for
 * everyone, and one sender's updates arrive in order.
 */
import { describe, expect, it } from 'vitest'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { makeClient, openRaw, recordsJson } from '../helpers/client.ts'
import { awarenessFrame, syncUpdateFrame } from '../helpers/frames.ts'
import { card } from '../helpers/records.ts'
import { startServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

const INDICES = '123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** The client ids in the awareness messages a raw socket received. */
function presenceIdsIn(messages: Buffer[]): number[] {
  const ids: number[] = []
  for (const message of messages) {
    const d = decoding.createDecoder(new Uint8Array(message))
    if (decoding.readVarUint(d) !== 1) continue
    const update = decoding.createDecoder(decoding.readVarUint8Array(d))
    const count = decoding.readVarUint(update)
    for (let i = 0; i < count; i++) {
      ids.push(decoding.readVarUint(update))
      decoding.readVarUint(update)
      decoding.readVarString(update)
    }
  }
  return ids
}

describe('batched fan-out', () => {
  it('30 stock clients writing at once converge on the same board', async () => {
    const { wsUrl } = await startServer()
    const clients = Array.from({ length: 30 }, () => makeClient(wsUrl, 'converge', { role: 'participant' }))
    await Promise.all(clients.map((c) => c.synced()))
    clients.forEach((client, i) => {
      for (let k = 0; k < 3; k++) client.records.set(`shape:c${i}-${k}`, card(`shape:c${i}-${k}`, `${i}/${k}`, { x: i * 10, y: k * 10, index: `a${INDICES[k]}` }))
    })
    await waitFor(() => clients.every((c) => c.records.size === 90), { what: '90 cards everywhere', timeout: 20_000 })
    const first = recordsJson(clients[0]!.doc)
    for (const c of clients) expect(recordsJson(c.doc)).toEqual(first)
  }, 40_000)

  it('never sends a client its own presence; a departed client\'s presence goes for everyone', async () => {
    const { wsUrl } = await startServer()
    const raw = await openRaw(`${wsUrl}/presence`, 'participant')
    raw.ws.send(awarenessFrame([{ clientId: 4242, clock: 1, state: { cursor: { x: 1, y: 1 } } }]))
    const others = Array.from({ length: 3 }, () => makeClient(wsUrl, 'presence', { role: 'participant' }))
    await Promise.all(others.map((c) => c.synced()))
    for (let i = 0; i < 5; i++) {
      others.forEach((c, k) => c.provider.awareness.setLocalStateField('cursor', { x: i, y: k }))
      raw.ws.send(awarenessFrame([{ clientId: 4242, clock: 2 + i, state: { cursor: { x: i, y: 9 } } }]))
      await new Promise((resolve) => setTimeout(resolve, 80))
    }
    await waitFor(() => others.every((c) => c.provider.awareness.getStates().has(4242)), { what: 'the raw client\'s presence at the others' })
    await waitFor(() => others.every((c) => presenceIdsIn(raw.messages).includes(c.doc.clientID)), { what: 'the others\' presence at the raw client' })
    expect(presenceIdsIn(raw.messages)).not.toContain(4242)

    raw.ws.close()
    await waitFor(() => others.every((c) => !c.provider.awareness.getStates().has(4242)), { what: 'the departed presence gone everywhere' })
  })

  it('keeps one sender\'s updates in order, also when many are applied in one turn', async () => {
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
})
