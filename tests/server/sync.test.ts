import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { makeClient, recordsJson } from '../helpers/client.ts'
import { startServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'
import { card } from '../helpers/records.ts'

const note = (id: string, text: string, x = 0) => card(id, text, { x })

describe('live sync through the server', () => {
  it('three stock y-websocket clients editing at once converge to the same records', async () => {
    const { wsUrl } = await startServer()
    const clients = [makeClient(wsUrl, 'converge'), makeClient(wsUrl, 'converge'), makeClient(wsUrl, 'converge')]
    await Promise.all(clients.map((c) => c.synced()))

    // Each writes its own notes and everyone moves the same shared note, concurrently.
    clients.forEach((client, i) => {
      for (let n = 0; n < 50; n++) {
        client.doc.transact(() => {
          client.records.set(`shape:c${i}-${n}`, note(`shape:c${i}-${n}`, `client ${i} note ${n}`))
          client.records.set('shape:shared', note('shape:shared', `moved by ${i}`, n))
        })
      }
      client.records.delete(`shape:c${i}-0`)
    })

    const expectedIds = new Set(['shape:shared', ...[0, 1, 2].flatMap((i) => Array.from({ length: 49 }, (_, n) => `shape:c${i}-${n + 1}`))])
    await waitFor(() => clients.every((c) => c.records.size === expectedIds.size), { what: 'all records on all clients' })
    await waitFor(
      () => {
        const [a, b, c] = clients.map((cl) => recordsJson(cl.doc))
        return isDeepStrictEqual(a, b) && isDeepStrictEqual(b, c)
      },
      { what: 'identical records' },
    )
    expect(new Set(clients[0]!.records.keys())).toEqual(expectedIds)

    // A late joiner gets the same state.
    const late = makeClient(wsUrl, 'converge')
    await late.synced()
    await waitFor(() => late.records.size === expectedIds.size)
    expect(recordsJson(late.doc)).toEqual(recordsJson(clients[0]!.doc))
  })

  it('keeps boards apart', async () => {
    const { wsUrl } = await startServer()
    const a = makeClient(wsUrl, 'board-a')
    const b = makeClient(wsUrl, 'board-b')
    await Promise.all([a.synced(), b.synced()])
    a.records.set('shape:only-a', note('shape:only-a', 'a'))
    const a2 = makeClient(wsUrl, 'board-a')
    await a2.synced()
    await waitFor(() => a2.records.has('shape:only-a'))
    expect(b.records.size).toBe(0)
  })

  it('relays awareness (presence) between clients and drops it when a client leaves', async () => {
    const { wsUrl } = await startServer()
    const a = makeClient(wsUrl, 'presence')
    const b = makeClient(wsUrl, 'presence')
    await Promise.all([a.synced(), b.synced()])
    a.provider.awareness.setLocalStateField('presence', { userName: 'Anna', cursor: { x: 1, y: 2 } })
    await waitFor(
      () => (b.provider.awareness.getStates().get(a.doc.clientID) as { presence?: { userName: string } } | undefined)?.presence?.userName === 'Anna',
      { what: 'presence of Anna at b' },
    )
    a.provider.disconnect()
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), { what: 'presence of Anna removed at b' })
  })

  it('merges edits made while offline when the client reconnects', async () => {
    const { wsUrl } = await startServer()
    const a = makeClient(wsUrl, 'offline')
    const b = makeClient(wsUrl, 'offline')
    await Promise.all([a.synced(), b.synced()])
    a.provider.disconnect()
    a.records.set('shape:offline', note('shape:offline', 'written on the train'))
    b.records.set('shape:online', note('shape:online', 'written in the room'))
    // a's socket is closed (everything it sent is behind it) and b's edit reached a newcomer's
    // sync answer: the server's document is what everyone gets, and the offline edit is not in it.
    await waitFor(() => !a.provider.wsconnected, { what: "a's socket closed" })
    const newcomer = makeClient(wsUrl, 'offline')
    await newcomer.synced()
    await waitFor(() => newcomer.records.has('shape:online') && b.records.has('shape:online'), { what: "b's edit at the newcomer" })
    expect(newcomer.records.has('shape:offline')).toBe(false)
    expect(b.records.has('shape:offline')).toBe(false)
    a.provider.connect()
    await waitFor(() => b.records.has('shape:offline') && a.records.has('shape:online'), { what: 'offline edits merged' })
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc))
  })
})
