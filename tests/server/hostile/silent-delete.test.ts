/**
 * Issue 20, finding 1, round 2 (the adversarial re-test after d85e125): a participant deleted
 * someone else's card without the server seeing a deletion, and was never closed. In a Y.Map the
 * newest entry of a key is its value and Yjs deletes the one before by itself, so an update
 * needs no deletion of the stored card to remove it:
 * - one entry without content (ContentDeleted, what a garbage-collected write looks like) put
 *   after the card's current value;
 * - the card written again and that write deleted in the same update;
 * - a write from an older copy (which lands before the current value) with the current value
 *   deleted explicitly: the update "replaces" the card, so its deletion was excused.
 * Each removed Anna's card for everyone, the trash named Mallory; now each is refused 4403 and
 * the card stays, stored and at Anna. Honest updates that end with a value — an offline move
 * after two moves, one's own card written twice and deleted — still pass.
 */
import { randomBytes } from 'node:crypto'
import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../../shared/board-id.ts'
import { OWNER_META } from '../../../shared/ownership.ts'
import { sha256Hex } from '../../../shared/sha256.ts'
import { makeClient, type TestClient } from '../../helpers/client.ts'
import { syncUpdateFrame } from '../../helpers/frames.ts'
import { card } from '../../helpers/records.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'
import { waitFor } from '../../helpers/wait.ts'

type Card = ReturnType<typeof card>
const newKey = () => randomBytes(32).toString('hex')

/** An update of one struct: an entry without content (ContentDeleted, length 1) after `origin`. */
function contentlessAfter(client: number, clock: number, origin: Y.ID): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1) // one client's structs
  encoding.writeVarUint(e, 1) // one struct
  encoding.writeVarUint(e, client)
  encoding.writeVarUint(e, clock)
  encoding.writeUint8(e, 1 | 128) // ContentDeleted, with an origin
  encoding.writeVarUint(e, origin.client)
  encoding.writeVarUint(e, origin.clock)
  encoding.writeVarUint(e, 1) // its length
  encoding.writeVarUint(e, 0) // an empty delete set
  return encoding.toUint8Array(e)
}

/** An update that only deletes `id` (no structs). */
function deletion(id: Y.ID): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint(e, id.client)
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint(e, id.clock)
  encoding.writeVarUint(e, 1)
  return encoding.toUint8Array(e)
}

/** The id of the last clock of key `key`'s current entry. */
function currentEntry(doc: Y.Doc, key: string): Y.ID {
  const item = doc.getMap('records')._map.get(key)!
  return Y.createID(item.id.client, item.id.clock + item.length - 1)
}

let server: TestServer
const clients: TestClient[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) {
    try {
      c.destroy()
    } catch {
      // A provider whose doc failed mid-test may throw on a second teardown; the server closes anyway.
    }
  }
  await server?.close()
})

function participant(board: string, key: string): { client: TestClient; closes: number[] } {
  const client = makeClient(server.wsUrl, board, { role: 'participant', memberKey: key })
  clients.push(client)
  const closes: number[] = []
  client.provider.on('connection-close', (event: { code: number } | null) => event && closes.push(event.code))
  return { client, closes }
}

async function boardWithAnnasCard() {
  server = await startServer()
  const created = await fetch(`${server.url}/api/boards`, { method: 'POST', body: '{}' })
  const board = ((await created.json()) as { id: string }).id
  const annaKey = newKey()
  const anna = participant(board, annaKey)
  await anna.client.synced()
  anna.client.records.set('shape:anna', card('shape:anna', 'Kaart van Anna', { meta: { [OWNER_META]: sha256Hex(annaKey) } }))
  const mallory = participant(board, newKey())
  await mallory.client.synced()
  await waitFor(() => mallory.client.records.has('shape:anna'), { what: "Anna's card at Mallory" })
  return { board, anna, mallory }
}

/** Mallory sends `update` raw; she is refused 4403, and Anna's card is still hers, at Anna and stored. */
async function expectRefusedAndKept(board: string, anna: TestClient, mallory: { client: TestClient; closes: number[] }, update: Uint8Array) {
  ;(mallory.client.provider.ws as WebSocket).send(syncUpdateFrame(update))
  await waitFor(() => mallory.closes.length > 0, { what: 'Mallory refused', timeout: 5_000 }).catch(() => {})
  // A card someone writes after that reaches Anna behind anything the server relayed before it,
  // so a deletion that got through would be at Anna by then.
  const witnessKey = newKey()
  const witness = participant(board, witnessKey)
  await witness.client.synced()
  witness.client.records.set('shape:marker', card('shape:marker', 'Later', { meta: { [OWNER_META]: sha256Hex(witnessKey) } }))
  await waitFor(() => anna.records.has('shape:marker'), { what: 'a later card at Anna' })
  const stored = (await server.server.rooms.readCopy(board as BoardId))!.getMap('records').get('shape:anna') as Card | undefined
  expect({ closed: mallory.closes[0], atAnna: (anna.records.get('shape:anna') as Card | undefined)?.props.text, stored: stored?.props.text }).toEqual({
    closed: 4403,
    atAnna: 'Kaart van Anna',
    stored: 'Kaart van Anna',
  })
}

describe("a participant cannot remove someone else's card without a deletion the server sees", () => {
  it("refuses an entry without content after the card's current value", async () => {
    const { board, anna, mallory } = await boardWithAnnasCard()
    const m = mallory.client.doc
    await expectRefusedAndKept(board, anna.client, mallory, contentlessAfter(m.clientID, Y.getState(m.store, m.clientID), currentEntry(m, 'shape:anna')))
  })

  for (const gc of [false, true]) {
    it(`refuses the card written again and that write deleted in the same update (garbage collection ${gc ? 'on' : 'off'})`, async () => {
      const { board, anna, mallory } = await boardWithAnnasCard()
      const copy = new Y.Doc({ gc })
      copy.clientID = mallory.client.doc.clientID
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(mallory.client.doc))
      const before = Y.encodeStateVector(copy)
      const records = copy.getMap('records')
      copy.transact(() => {
        records.set('shape:anna', { ...(records.get('shape:anna') as Card) })
        records.delete('shape:anna')
      })
      await expectRefusedAndKept(board, anna.client, mallory, Y.encodeStateAsUpdate(copy, before))
    })
  }

  it('refuses a write from an older copy together with a deletion of the current value', async () => {
    const { board, anna, mallory } = await boardWithAnnasCard()
    // Mallory keeps the board as it is now; Anna then edits her card.
    const older = Y.encodeStateAsUpdate(mallory.client.doc)
    anna.client.records.set('shape:anna', {
      ...(anna.client.records.get('shape:anna') as Card),
      props: { ...(anna.client.records.get('shape:anna') as Card).props, text: 'Kaart van Anna' },
      x: 50,
    })
    await waitFor(() => (mallory.client.records.get('shape:anna') as Card | undefined)?.x === 50, { what: "Anna's edit at Mallory" })
    const copy = new Y.Doc({ gc: false })
    copy.clientID = mallory.client.doc.clientID + 1
    Y.applyUpdate(copy, older)
    const before = Y.encodeStateVector(copy)
    const records = copy.getMap('records')
    // Only a move (from the older copy)...
    records.set('shape:anna', { ...(records.get('shape:anna') as Card), x: 400 })
    // ...and the card's current value deleted beside it.
    const update = Y.mergeUpdates([Y.encodeStateAsUpdate(copy, before), deletion(currentEntry(mallory.client.doc, 'shape:anna'))])
    await expectRefusedAndKept(board, anna.client, mallory, update)
  })

  it("still takes honest updates that end with a value: two moves of someone's card in one update, one's own card written twice and deleted", async () => {
    const { board, anna, mallory } = await boardWithAnnasCard()
    const m = mallory.client
    // Offline, Mallory moves Anna's card twice: one update, the first move's entry without content.
    m.provider.disconnect()
    const records = m.doc.getMap('records')
    records.set('shape:anna', { ...(records.get('shape:anna') as Card), x: 300 })
    records.set('shape:anna', { ...(records.get('shape:anna') as Card), x: 310 })
    records.set('shape:eigen', card('shape:eigen', 'Van Mallory'))
    records.set('shape:eigen', { ...(records.get('shape:eigen') as Card), x: 20 })
    records.delete('shape:eigen')
    m.provider.connect()
    await waitFor(() => (anna.client.records.get('shape:anna') as Card | undefined)?.x === 310, { what: 'the move at Anna' })
    expect(mallory.closes).toEqual([])
    expect(anna.client.records.has('shape:eigen')).toBe(false)
    const stored = (await server.server.rooms.readCopy(board as BoardId))!.getMap('records').get('shape:anna') as Card
    expect(stored.x).toBe(310)
  })
})
