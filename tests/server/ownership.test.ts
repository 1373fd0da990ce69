/**
 * Participants change and delete only their own cards; anyone moves any card; facilitators do
 * anything (shared/ownership.ts, enforced in server/policy/update-policy.ts). At the wire, with stock
 * y-websocket clients that send their member key and publish its hash the way the app does.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/board-id.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { OWNER_META } from '../../shared/ownership.ts'
import { sha256Hex } from '../../shared/sha256.ts'
import { makeClient, recordsJson, type TestClient } from '../helpers/client.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'
import { card } from '../helpers/records.ts'
import { readTrash, trashOf } from '../../shared/trash.ts'

type Card = ReturnType<typeof card>

function person(server: TestServer, board: string, role: 'participant' | 'facilitator', clientID?: number) {
  const key = randomBytes(32).toString('hex')
  const keyHash = sha256Hex(key)
  const client = makeClient(server.wsUrl, board, { role, clientID, memberKey: key })
  client.provider.awareness.setLocalStateField('member', {
    userId: keyHash.slice(0, 8),
    name: role === 'facilitator' ? 'Fien' : `Deelnemer ${keyHash.slice(0, 4)}`,
    role,
    groupId: '',
    hand: false,
    keyHash,
  })
  return { client, keyHash, own: (id: string, text: string, x = 0): Card => card(id, text, { x, meta: { [OWNER_META]: keyHash } }) }
}

const closedWith = (client: TestClient) => new Promise<number>((resolve) => client.provider.once('closed', ({ code }: { code: number }) => resolve(code)))
const textOf = (client: TestClient, id: string) => (client.records.get(id) as Card | undefined)?.props.text

async function stored(server: TestServer, board: string) {
  await server.server.rooms.get(board as BoardId)?.flush()
  const doc = new Y.Doc()
  for (const u of await server.storage.log.load(board as BoardId)) Y.applyUpdate(doc, u)
  return recordsJson(doc) as Record<string, Card>
}

async function setup(board: string, clientIDs: { anna?: number; bram?: number } = {}) {
  const server = await startServer()
  const anna = person(server, board, 'participant', clientIDs.anna)
  const bram = person(server, board, 'participant', clientIDs.bram)
  await anna.client.synced()
  await bram.client.synced()
  // The server knows each key hash once their presence arrived.
  await waitFor(() => anna.client.provider.awareness.getStates().size === 2 && bram.client.provider.awareness.getStates().size === 2)
  anna.client.records.set('shape:anna', anna.own('shape:anna', 'Trots op de buurt'))
  await waitFor(() => bram.client.records.has('shape:anna'))
  return { server, anna, bram }
}

describe('card ownership', () => {
  it("a participant moves someone else's card, and edits and deletes their own", async () => {
    const { server, anna, bram } = await setup('own-ok')
    bram.client.records.set('shape:anna', { ...anna.own('shape:anna', 'Trots op de buurt', 400), y: 80, index: 'a2' })
    bram.client.records.set('shape:bram', bram.own('shape:bram', 'Sorry voor de sluiting'))
    await waitFor(() => (anna.client.records.get('shape:anna') as Card).x === 400 && anna.client.records.has('shape:bram'))
    anna.client.records.set('shape:anna', anna.own('shape:anna', 'Trots op het buurthuis', 400))
    bram.client.records.delete('shape:bram')
    await waitFor(() => textOf(bram.client, 'shape:anna') === 'Trots op het buurthuis' && !anna.client.records.has('shape:bram'))
    const after = await stored(server, 'own-ok')
    expect(after['shape:anna']!.props.text).toBe('Trots op het buurthuis')
    expect(after['shape:bram']).toBeUndefined()
  })

  it.each([
    ["delete someone else's card", (p: ReturnType<typeof person>) => p.client.records.delete('shape:anna')],
    [
      "change the text of someone else's card",
      (p: ReturnType<typeof person>) =>
        p.client.records.set('shape:anna', {
          ...(p.client.records.get('shape:anna') as Card),
          props: { ...(p.client.records.get('shape:anna') as Card).props, text: 'gekaapt' },
        }),
    ],
    [
      "move someone else's card and change its text in one write",
      (p: ReturnType<typeof person>) =>
        p.client.records.set('shape:anna', {
          ...(p.client.records.get('shape:anna') as Card),
          x: 300,
          props: { ...(p.client.records.get('shape:anna') as Card).props, text: 'gekaapt' },
        }),
    ],
    ["take over someone else's card", (p: ReturnType<typeof person>) => p.client.records.set('shape:anna', p.own('shape:anna', 'Trots op de buurt'))],
    [
      "write a card in someone else's name",
      (p: ReturnType<typeof person>) =>
        p.client.records.set('shape:forged', card('shape:forged', 'namens Anna', { meta: { [OWNER_META]: sha256Hex('not-my-key') } })),
    ],
  ])('a participant cannot %s: 4403, nothing relayed or stored', async (name, act) => {
    const board = `own-${name.replace(/\W+/g, '-')}`
    const { server, anna, bram } = await setup(board)
    const before = await stored(server, board)
    const closed = closedWith(bram.client)
    act(bram)
    expect(await closed).toBe(CloseCode.forbidden)
    expect(server.log.lines.some((l) => l.includes('code=4403') && /someone else's card|owner is the person/.test(l))).toBe(true)
    // Anna keeps working; her card is as she left it, here and in storage.
    anna.client.records.set('shape:later', anna.own('shape:later', 'later'))
    await waitFor(async () => 'shape:later' in (await stored(server, board)))
    const after = await stored(server, board)
    expect(after['shape:anna']).toEqual(before['shape:anna'])
    expect(after['shape:forged']).toBeUndefined()
    expect(textOf(anna.client, 'shape:anna')).toBe('Trots op de buurt')
  })

  it("a facilitator changes and deletes anyone's card", async () => {
    const { server, anna } = await setup('own-facilitator')
    const facilitator = person(server, 'own-facilitator', 'facilitator')
    await facilitator.client.synced()
    await waitFor(() => facilitator.client.records.has('shape:anna'))
    facilitator.client.records.delete('shape:anna')
    await waitFor(() => !anna.client.records.has('shape:anna'))
    expect((await stored(server, 'own-facilitator'))['shape:anna']).toBeUndefined()
  })
})

/**
 * Issue 19 (soak): Bram moves Anna's card while his copy still has its older text. A record is
 * one whole value in the Y.Map, so his move carries the old text: the server closed him 4403
 * for changing her card, and had it taken the write, Yjs's choice between the two concurrent
 * values (the higher client id wins) would have dropped either her edit or his move.
 */
describe("a move of someone else's card from an older copy", () => {
  const orders = [
    ["Bram's older copy is Yjs's pick", { anna: 1_000, bram: 2_000 }],
    ["Anna's edit is Yjs's pick", { anna: 2_000, bram: 1_000 }],
  ] as const
  it.each(orders)('is taken as a move, and everyone ends with her text where he put it (%s)', async (name, clientIDs) => {
    const board = `stale-move-${clientIDs.bram}`
    const { server, anna, bram } = await setup(board, clientIDs)
    const watcher = person(server, board, 'participant')
    await watcher.client.synced()
    await waitFor(() => watcher.client.records.has('shape:anna'))
    const closes: number[] = []
    for (const p of [anna, bram, watcher]) p.client.provider.on('connection-close', (event: { code: number } | null) => event && closes.push(event.code))

    // Bram's edits wait (offline) while Anna's reach the server.
    bram.client.provider.disconnect()
    anna.client.records.set('shape:anna', anna.own('shape:anna', 'Trots op het buurthuis'))
    const room = server.server.rooms.get(board as BoardId)!
    await waitFor(() => (room.doc.getMap('records').get('shape:anna') as Card | undefined)?.props.text === 'Trots op het buurthuis', {
      what: "Anna's edit on the server",
    })
    const older = bram.client.records.get('shape:anna') as Card
    expect(older.props.text).toBe('Trots op de buurt')
    // Two moves while offline: the second builds on the first, which builds on the older copy.
    bram.client.records.set('shape:anna', { ...older, x: 300 })
    bram.client.records.set('shape:anna', { ...older, x: 400, y: 80, index: 'a2' })
    bram.client.provider.connect()

    const meant = (record: Card | undefined) => record?.props.text === 'Trots op het buurthuis' && record.x === 400 && record.y === 80 && record.index === 'a2'
    const everyone = [anna, bram, watcher].map((p) => p.client)
    await waitFor(() => closes.length > 0 || everyone.every((c) => meant(c.records.get('shape:anna') as Card)), {
      what: `every client with Anna's text at Bram's place (${name})`,
    })
    expect(closes).toEqual([])
    expect(server.log.lines.filter((l) => l.includes('code=4403'))).toEqual([])
    expect(meant((await stored(server, board))['shape:anna'])).toBe(true)
    // The correction is the server's own write, once: every document holds the same value.
    const json = JSON.stringify(anna.client.records.get('shape:anna'))
    for (const c of everyone) expect(JSON.stringify(c.records.get('shape:anna'))).toBe(json)
  })

  it('a move from an older copy of a card whose position changed since keeps the later move', async () => {
    const { server, anna, bram } = await setup('stale-move-moved', { anna: 2_000, bram: 1_000 })
    bram.client.provider.disconnect()
    // Anna puts her card elsewhere (a move, no edit); Bram, not seeing it, moves it too: his comes later.
    anna.client.records.set('shape:anna', anna.own('shape:anna', 'Trots op de buurt', 200))
    const room = server.server.rooms.get('stale-move-moved' as BoardId)!
    await waitFor(() => (room.doc.getMap('records').get('shape:anna') as Card | undefined)?.x === 200)
    bram.client.records.set('shape:anna', { ...(bram.client.records.get('shape:anna') as Card), x: 400 })
    bram.client.provider.connect()
    await waitFor(() => [anna, bram].every((p) => (p.client.records.get('shape:anna') as Card).x === 400), { what: "Bram's later move everywhere" })
    expect((await stored(server, 'stale-move-moved'))['shape:anna']!.x).toBe(400)
  })
})

describe("an edit of one's own card from a copy without someone's move", () => {
  // The soak (30 min, 1,420 moves): one move was lost — the card's writer edited its text from a
  // copy that had not yet seen someone's move, Yjs kept her whole record, old place and all.
  const orders = [
    ["Anna's edit is Yjs's pick", { anna: 2_000, bram: 1_000 }],
    ["Bram's move is Yjs's pick", { anna: 1_000, bram: 2_000 }],
  ] as const
  it.each(orders)('keeps both: her new text where he put it (%s)', async (name, clientIDs) => {
    const board = `stale-edit-${clientIDs.anna}`
    const { server, anna, bram } = await setup(board, clientIDs)
    const closes: number[] = []
    for (const p of [anna, bram]) p.client.provider.on('connection-close', (event: { code: number } | null) => event && closes.push(event.code))

    anna.client.provider.disconnect()
    bram.client.records.set('shape:anna', { ...(bram.client.records.get('shape:anna') as Card), x: 500, y: 120 })
    const room = server.server.rooms.get(board as BoardId)!
    await waitFor(() => (room.doc.getMap('records').get('shape:anna') as Card | undefined)?.x === 500, { what: "Bram's move on the server" })
    const older = anna.client.records.get('shape:anna') as Card
    expect(older.x).toBe(0)
    anna.client.records.set('shape:anna', { ...older, props: { ...older.props, text: 'Trots op het buurthuis' } })
    anna.client.provider.connect()

    const meant = (record: Card | undefined) => record?.props.text === 'Trots op het buurthuis' && record.x === 500 && record.y === 120
    await waitFor(() => closes.length > 0 || [anna, bram].every((p) => meant(p.client.records.get('shape:anna') as Card)), {
      what: `both with her text at his place (${name})`,
    })
    expect(closes).toEqual([])
    expect(meant((await stored(server, board))['shape:anna'])).toBe(true)
  })

  it('an edit from the current copy moves nothing back', async () => {
    const { server, anna, bram } = await setup('fresh-edit')
    bram.client.records.set('shape:anna', { ...(bram.client.records.get('shape:anna') as Card), x: 500 })
    await waitFor(() => (anna.client.records.get('shape:anna') as Card).x === 500)
    // She moves it back herself and edits it, from the copy that has his move: that is what she meant.
    anna.client.records.set('shape:anna', {
      ...(anna.client.records.get('shape:anna') as Card),
      x: 50,
      props: { ...(anna.client.records.get('shape:anna') as Card).props, text: 'Verplaatst en aangevuld' },
    })
    await waitFor(() => (bram.client.records.get('shape:anna') as Card).props.text === 'Verplaatst en aangevuld')
    expect((bram.client.records.get('shape:anna') as Card).x).toBe(50)
    expect((await stored(server, 'fresh-edit'))['shape:anna']!.x).toBe(50)
  })
})

describe('the trash (Prullenbak)', () => {
  it('keeps a deleted card with who and when; a facilitator restores that one card and later work stays', async () => {
    const { server, anna, bram } = await setup('trash')
    const facilitator = person(server, 'trash', 'facilitator')
    await facilitator.client.synced()
    await waitFor(() => facilitator.client.records.has('shape:anna'))
    const before = Date.now()
    facilitator.client.records.delete('shape:anna')
    await waitFor(() => readTrash(anna.client.doc).length === 1, { what: 'the card in the trash' })
    const [entry] = readTrash(facilitator.client.doc)
    expect(entry!.record.props!.text).toBe('Trots op de buurt')
    expect(entry!.by).toBe('Fien')
    expect(entry!.role).toBe('facilitator')
    expect(entry!.at).toBeGreaterThanOrEqual(before - 1_000)

    // Work goes on after the deletion, then the one card comes back; nothing else is reverted.
    bram.client.records.set('shape:bram', bram.own('shape:bram', 'Na het verwijderen'))
    await waitFor(() => facilitator.client.records.has('shape:bram'))
    facilitator.client.records.set('shape:anna', entry!.record)
    await waitFor(() => anna.client.records.has('shape:anna') && readTrash(anna.client.doc).length === 0, { what: 'the restored card' })
    const after = await stored(server, 'trash')
    expect(after['shape:anna']!.props.text).toBe('Trots op de buurt')
    expect(after['shape:bram']!.props.text).toBe('Na het verwijderen')
  })

  it('a participant deleting their own card puts it in the trash under their name', async () => {
    const { anna } = await setup('trash-own')
    anna.client.records.delete('shape:anna')
    await waitFor(() => readTrash(anna.client.doc).length === 1)
    expect(readTrash(anna.client.doc)[0]!.by).toMatch(/^Deelnemer /)
  })

  it.each(['participant', 'facilitator'] as const)("a %s cannot write the trash (it is the server's record of deletions)", async (role) => {
    const { server, anna } = await setup(`trash-write-${role}`)
    const someone = role === 'participant' ? anna : person(server, `trash-write-${role}`, 'facilitator')
    await someone.client.synced()
    const closed = closedWith(someone.client)
    trashOf(someone.client.doc).set('shape:fake', { record: card('shape:fake', 'nep'), by: 'Anna', role: 'participant', at: 1 })
    expect(await closed).toBe(CloseCode.forbidden)
  })
})
