import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/board-id.ts'
import { CloseCode, MessageType } from '../../shared/protocol.ts'
import { FACILITATOR_LOCK } from '../../shared/roles.ts'
import { sha256Hex } from '../../shared/sha256.ts'
import { createTokens } from '../../server/policy/tokens.ts'
import { makeClient, openRaw, recordsJson, type TestClient } from '../helpers/client.ts'
import { startServer, TEST_SECRET, tokenFor, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'
import { card } from '../helpers/records.ts'

const note = (id: string, text: string, locked = false) => card(id, text, { locked })

function closedWith(client: TestClient): Promise<number> {
  return new Promise((resolve) => client.provider.once('closed', ({ code }: { code: number }) => resolve(code)))
}

async function setup(board: string) {
  const server = await startServer()
  const facilitator = makeClient(server.wsUrl, board, { role: 'facilitator' })
  await facilitator.synced()
  facilitator.records.set('shape:structure', note('shape:structure', 'Tijdlijn — niet verschuiven', true))
  facilitator.records.set('shape:open', note('shape:open', 'vrij'))
  const witness = makeClient(server.wsUrl, board, { role: 'participant' })
  await witness.synced()
  await waitFor(() => witness.records.size === 2)
  return { server, facilitator, witness }
}

async function storedRecords(server: TestServer, board: string) {
  await server.server.rooms.get(board as BoardId)?.flush()
  const doc = new Y.Doc()
  for (const u of await server.storage.log.load(board as BoardId)) Y.applyUpdate(doc, u)
  return recordsJson(doc)
}

describe('roles are enforced by the server', () => {
  it("refuses a missing, forged, expired or other board's token at the upgrade", async () => {
    const { wsUrl } = await startServer()
    const valid = tokenFor('board1', 'facilitator')
    const forged = valid.slice(0, -3) + (valid.endsWith('AAA') ? 'BBB' : 'AAA')
    const expired = createTokens(TEST_SECRET).sign('board1', 'facilitator', Date.now() - 401 * 86_400_000)
    const other = createTokens('another-secret-another-secret-another-0').sign('board1', 'facilitator')
    await expect(openRaw(`${wsUrl}/board1?token=`)).rejects.toThrow(/401/)
    for (const token of [forged, expired, other, tokenFor('board2', 'facilitator'), 'garbage']) {
      await expect(openRaw(`${wsUrl}/board1?token=${encodeURIComponent(token)}`)).rejects.toThrow(/403/)
    }
    // The valid one is let in and greeted with the board's sync step 1.
    const accepted = await openRaw(`${wsUrl}/board1?token=${encodeURIComponent(valid)}`)
    await waitFor(() => accepted.messages.length > 0, { what: 'the greeting' })
    expect([accepted.messages[0]![0], accepted.ws.readyState]).toEqual([MessageType.sync, accepted.ws.OPEN])
  })

  it("a viewer's change reaches no one and nothing is stored; the viewer is closed with 4403", async () => {
    const { server, witness } = await setup('viewing')
    const before = await storedRecords(server, 'viewing')
    const viewer = makeClient(server.wsUrl, 'viewing', { role: 'viewer' })
    await viewer.synced()
    expect(viewer.records.size).toBe(2)
    const closed = closedWith(viewer)
    viewer.records.set('shape:graffiti', note('shape:graffiti', 'was here'))
    expect(await closed).toBe(CloseCode.forbidden)
    witness.records.set('shape:after', note('shape:after', 'gaat door'))
    await waitFor(async () => 'shape:after' in (await storedRecords(server, 'viewing')))
    expect(witness.records.has('shape:graffiti')).toBe(false)
    const after = await storedRecords(server, 'viewing')
    expect(Object.keys(after).sort()).toEqual([...Object.keys(before), 'shape:after'].sort())
  })

  it('a participant edits freely, but a change to a locked record is refused, not relayed and not stored', async () => {
    const { server, witness } = await setup('locked')
    const participant = makeClient(server.wsUrl, 'locked', { role: 'participant' })
    await participant.synced()
    participant.records.set('shape:mine', note('shape:mine', 'mijn bijdrage'))
    participant.records.set('shape:open', note('shape:open', 'aangepast'))
    await waitFor(() => witness.records.has('shape:mine') && (witness.records.get('shape:open') as { props: { text: string } }).props.text === 'aangepast')

    const closed = closedWith(participant)
    participant.records.set('shape:structure', { ...note('shape:structure', 'verschoven'), meta: {} })
    expect(await closed).toBe(CloseCode.forbidden)
    expect(server.log.lines.some((l) => l.includes('code=4403') && l.includes('locked by a facilitator'))).toBe(true)
    const stored = await storedRecords(server, 'locked')
    expect(stored['shape:structure']).toEqual(note('shape:structure', 'Tijdlijn — niet verschuiven', true))
    expect((witness.records.get('shape:structure') as { props: { text: string } }).props.text).toBe('Tijdlijn — niet verschuiven')
  })

  it.each([
    ['delete a locked record', (c: TestClient) => c.records.delete('shape:structure')],
    ['lock a record', (c: TestClient) => c.records.set('shape:open', note('shape:open', 'vrij', true))],
    ['write facilitator state', (c: TestClient) => c.doc.getMap('facilitation').set('phase', 3)],
    ['write the session', (c: TestClient) => c.doc.getMap('meta').set('session', { title: 'gekaapt' })],
  ])('a participant cannot %s', async (_name, act) => {
    const board = `p-${_name.replaceAll(' ', '-')}`
    const { server, witness } = await setup(board)
    const before = await storedRecords(server, board)
    const participant = makeClient(server.wsUrl, board, { role: 'participant' })
    await participant.synced()
    const closed = closedWith(participant)
    act(participant)
    expect(await closed).toBe(CloseCode.forbidden)
    expect(await storedRecords(server, board)).toEqual(before)
    expect(witness.doc.getMap('facilitation').size).toBe(0)
    expect(recordsJson(witness.doc)).toEqual(before)
  })

  it('a facilitator locks, unlocks and changes facilitator state', async () => {
    const { facilitator, witness } = await setup('facilitating')
    facilitator.records.set('shape:structure', note('shape:structure', 'Tijdlijn', false))
    facilitator.doc.getMap('facilitation').set('phaseIndex', 2)
    await waitFor(
      () =>
        witness.doc.getMap('facilitation').get('phaseIndex') === 2 &&
        (witness.records.get('shape:structure') as { meta: object }).meta &&
        !(FACILITATOR_LOCK in (witness.records.get('shape:structure') as { meta: object }).meta),
    )
  })

  it('a co-facilitator named by a facilitator claims the facilitator link with their browser key; nobody else can', async () => {
    const { server, facilitator, witness } = await setup('co-facilitating')
    const claim = (key: unknown, token = tokenFor('co-facilitating', 'participant')) =>
      fetch(`${server.url}/api/boards/co-facilitating/cofacilitator`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ memberKey: key }),
      })
    const key = randomBytes(32).toString('hex')
    const other = randomBytes(32).toString('hex')

    expect((await claim(key)).status).toBe(403)
    expect((await claim('not-a-key')).status).toBe(400)
    expect((await claim(key, 'forged')).status).toBe(403)

    // A participant cannot put themselves on the list: the change is refused like any other.
    const closed = closedWith(witness)
    witness.doc.getMap('facilitation').set('cofacilitators', [{ keyHash: sha256Hex(key), name: 'Ik zelf' }])
    expect(await closed).toBe(CloseCode.forbidden)
    expect((await claim(key)).status).toBe(403)

    facilitator.doc.getMap('facilitation').set('cofacilitators', [{ keyHash: sha256Hex(key), name: 'Piet' }])
    await waitFor(async () => (await claim(key)).status === 200, { what: 'the listed key to be accepted' })
    const { link } = (await (await claim(key)).json()) as { link: string }
    const token = new URL(link, server.url).searchParams.get('token')!
    const access = (await (await fetch(`${server.url}/api/boards/co-facilitating`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      role: string
    }
    expect(access.role).toBe('facilitator')
    expect((await claim(other)).status).toBe(403)
  })
})
