/**
 * Issue 20, finding 1: card ownership could be borrowed. Every card's `meta.owner` (the SHA-256 of
 * its writer's member key) is in the document everyone receives, and the server took the hash a
 * presence showed for the connection's identity: Mallory copied it off Anna's card, published it
 * as her own, and edited Anna's card, deleted another and wrote one in her name. Now a connection
 * is whose key it proves at connect (the key beside the token, hashed by the server): the hash
 * its presence shows is the proven one (or none), and those three writes are refused 4403 — with
 * her own key or with none, on one process and across two sharing Redis and PostgreSQL; her copy
 * of Anna's presence takes Anna's presence over no more. A connection without a key still moves
 * cards, as a keyless client always could.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../../shared/board-id.ts'
import { OWNER_META, ownerOf } from '../../../shared/ownership.ts'
import { CloseCode, MEMBER_KEY_PARAM } from '../../../shared/protocol.ts'
import { sha256Hex } from '../../../shared/sha256.ts'
import { readTrash } from '../../../shared/trash.ts'
import { startCluster } from '../../helpers/cluster.ts'
import { makeClient, openRaw, recordsJson, type TestClient } from '../../helpers/client.ts'
import { awarenessFrame } from '../../helpers/frames.ts'
import { card } from '../../helpers/records.ts'
import { startServer, tokenFor, type TestServer } from '../../helpers/server.ts'
import { waitFor } from '../../helpers/wait.ts'

type Card = ReturnType<typeof card>
const newKey = () => randomBytes(32).toString('hex')
const member = (name: string, keyHash: string) => ({ userId: name.toLowerCase(), name, role: 'participant', groupId: '', hand: false, keyHash })
const memberAt = (observer: TestClient, id: number) =>
  observer.provider.awareness.getStates().get(id)?.member as { name?: string; keyHash?: string } | undefined
const textAt = (client: TestClient, id: string) => (client.records.get(id) as Card | undefined)?.props.text

/** A participant whose stock client proves `key` (none: null) and whose presence shows `shown`. */
function person(wsUrl: string, board: string, name: string, key: string | null, shown = sha256Hex(key ?? '')) {
  const client = makeClient(wsUrl, board, { role: 'participant', memberKey: key ?? undefined })
  client.provider.awareness.setLocalStateField('member', member(name, shown))
  const closes: number[] = []
  client.provider.on('connection-close', (event: { code: number } | null) => event && closes.push(event.code))
  return { client, closes }
}

type Attack = [what: string, act: (mallory: TestClient, copied: string) => void, done: (anna: TestClient) => boolean]
const ATTACKS: Attack[] = [
  [
    'edits her card',
    (m) =>
      m.records.set('shape:anna1', { ...(m.records.get('shape:anna1') as Card), props: { ...(m.records.get('shape:anna1') as Card).props, text: 'gekaapt' } }),
    (anna) => textAt(anna, 'shape:anna1') === 'gekaapt',
  ],
  ['deletes her card', (m) => m.records.delete('shape:anna2'), (anna) => !anna.records.has('shape:anna2')],
  [
    'writes a card in her name',
    (m, copied) => m.records.set('shape:forged', card('shape:forged', 'namens Anna', { meta: { [OWNER_META]: copied } })),
    (anna) => anna.records.has('shape:forged'),
  ],
]

/**
 * Anna writes three cards on `annaUrl`; Mallory, on `malloryUrl`, copies the owner hash off one and
 * shows it in her presence, with her own key and with none, and tries each attack on a fresh
 * connection. Returns Anna's client and a witness beside Mallory, both after Anna's later card.
 */
async function borrow(annaUrl: string, malloryUrl: string, board: string) {
  const annaKey = newKey()
  const anna = person(annaUrl, board, 'Anna', annaKey)
  await anna.client.synced()
  for (const n of [1, 2, 3])
    anna.client.records.set(`shape:anna${n}`, card(`shape:anna${n}`, `Kaart ${n} van Anna`, { x: n * 200, meta: { [OWNER_META]: sha256Hex(annaKey) } }))
  const witness = person(malloryUrl, board, 'Wim', newKey())
  await witness.client.synced()
  await waitFor(() => [1, 2, 3].every((n) => witness.client.records.has(`shape:anna${n}`)), { what: "Anna's cards beside Mallory" })
  // What everyone with the participant link can read.
  const copied = ownerOf(witness.client.records.get('shape:anna1'))!
  expect(copied).toBe(sha256Hex(annaKey))

  const results: string[] = []
  for (const [what, act, done] of ATTACKS) {
    for (const own of [true, false]) {
      const key = own ? newKey() : null
      const mallory = person(malloryUrl, board, 'Mallory', key, copied)
      await mallory.client.synced()
      await waitFor(() => memberAt(anna.client, mallory.client.doc.clientID)?.name === 'Mallory', { what: "Mallory's presence at Anna" })
      act(mallory.client, copied)
      await waitFor(() => mallory.closes.length > 0 || done(anna.client), {
        what: `Mallory (${own ? 'her own key' : 'no key'}) ${what}: refused or done`,
        timeout: 5_000,
      })
      const shown = memberAt(anna.client, mallory.client.doc.clientID)?.keyHash
      results.push(
        `${what} with ${own ? 'her own key' : 'no key'}: ${done(anna.client) ? 'DONE' : 'not done'}, closed ${mallory.closes[0] ?? 'no'}, shows ${shown === copied ? "Anna's hash" : shown === undefined ? 'no hash' : shown === sha256Hex(key ?? '') ? 'her own hash' : shown}`,
      )
      mallory.client.destroy()
    }
  }
  expect(results).toEqual(
    ATTACKS.flatMap(([what]) => [
      `${what} with her own key: not done, closed ${CloseCode.forbidden}, shows her own hash`,
      `${what} with no key: not done, closed ${CloseCode.forbidden}, shows no hash`,
    ]),
  )

  // Without a key, moving someone's card is what it always was: allowed.
  const mover = person(malloryUrl, board, 'Mallory', null, copied)
  await mover.client.synced()
  mover.client.records.set('shape:anna3', { ...(mover.client.records.get('shape:anna3') as Card), x: 999 })
  await waitFor(() => (anna.client.records.get('shape:anna3') as Card | undefined)?.x === 999 || mover.closes.length > 0, { what: "Mallory's move at Anna" })
  expect(mover.closes).toEqual([])
  // Mallory deletes a card of her own: the trash names the key she proved, not Anna's.
  const malloryKey = newKey()
  const mallory = person(malloryUrl, board, 'Mallory', malloryKey, copied)
  await mallory.client.synced()
  mallory.client.records.set('shape:mallory', card('shape:mallory', 'Van Mallory', { meta: { [OWNER_META]: sha256Hex(malloryKey) } }))
  await waitFor(() => anna.client.records.has('shape:mallory') || mallory.closes.length > 0, { what: "Mallory's own card at Anna" })
  mallory.client.records.delete('shape:mallory')
  await waitFor(() => readTrash(anna.client.doc).some((e) => e.record.id === 'shape:mallory'), { what: "Mallory's card in the trash" })
  expect(mallory.closes).toEqual([])

  anna.client.records.set('shape:later', card('shape:later', 'Later', { meta: { [OWNER_META]: sha256Hex(annaKey) } }))
  await waitFor(() => witness.client.records.has('shape:later'), { what: "Anna's later card beside Mallory" })
  for (const client of [anna.client, witness.client]) {
    expect(textAt(client, 'shape:anna1')).toBe('Kaart 1 van Anna')
    expect(textAt(client, 'shape:anna2')).toBe('Kaart 2 van Anna')
    expect(client.records.has('shape:forged')).toBe(false)
    expect(readTrash(client.doc).map((e) => [e.record.id, e.by, e.keyHash])).toEqual([['shape:mallory', 'Mallory', sha256Hex(malloryKey)]])
  }
  expect(anna.closes).toEqual([])

  // Her presence exactly as everyone receives it (her hash in it), as a new connection's opening,
  // with Mallory's own key and with none: no take-over (that needs the key Anna proved).
  const annaId = anna.client.doc.clientID
  for (const key of [newKey(), null]) {
    const params = new URLSearchParams({ token: tokenFor(board, 'participant'), ...(key ? { [MEMBER_KEY_PARAM]: key } : {}) })
    const forger = await openRaw(`${malloryUrl}/${board}?${params}`)
    const clock = witness.client.provider.awareness.meta.get(annaId)!.clock
    forger.ws.send(awarenessFrame([{ clientId: annaId, clock: clock + 1, state: witness.client.provider.awareness.getStates().get(annaId) }]))
  }
  // Anna's own next change still reaches the witness after those: they were judged, and took nothing.
  anna.client.provider.awareness.setLocalStateField('cursor', { x: 7, y: 7 })
  await waitFor(() => (witness.client.provider.awareness.getStates().get(annaId)?.cursor as { x?: number } | undefined)?.x === 7, {
    what: "Anna's own presence change at the witness",
  })
  expect(memberAt(witness.client, annaId)?.keyHash).toBe(sha256Hex(annaKey))
  expect(anna.closes).toEqual([])
  expect(anna.client.provider.wsconnected).toBe(true)
  return { anna, witness }
}

async function stored(server: TestServer, board: string) {
  await server.server.rooms.get(board as BoardId)?.flush()
  const doc = new Y.Doc()
  for (const u of await server.storage.log.load(board as BoardId)) Y.applyUpdate(doc, u)
  return recordsJson(doc) as Record<string, Card>
}

describe("a copied owner hash borrows nobody's cards", () => {
  it('on one process: the edit, the delete and the card in her name are refused 4403, and nothing of them is stored', async () => {
    const server = await startServer()
    await borrow(server.wsUrl, server.wsUrl, 'borrowed')
    const kept = await stored(server, 'borrowed')
    expect(kept['shape:anna1']!.props.text).toBe('Kaart 1 van Anna')
    expect(kept['shape:anna2']).toBeDefined()
    expect(kept['shape:forged']).toBeUndefined()
    const refusals = server.log.lines.filter((l) => l.includes(`code=${CloseCode.forbidden}`))
    expect(refusals.length).toBeGreaterThanOrEqual(6)
    expect(refusals.filter((l) => !/someone else's card|owner is the person/.test(l))).toEqual([])
  })

  it('across two processes (Redis and PostgreSQL): Anna on A, Mallory on B, refused on B and never relayed to A', async () => {
    const cluster = await startCluster(2)
    const [a, b] = cluster.nodes
    const created = await fetch(`${a!.url}/api/boards`, { method: 'POST', body: '{}' })
    expect(created.status).toBe(201)
    const board = ((await created.json()) as { id: string }).id
    await borrow(a!.wsUrl, b!.wsUrl, board)
  }, 60_000)
})
