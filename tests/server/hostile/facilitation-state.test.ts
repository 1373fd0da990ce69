/**
 * The board's `facilitation` and `meta` maps hold what their schemas say, whoever writes them
 * (issue 20, finding 10: a facilitator link wrote any JSON there, and readers fell back). A
 * value its schema refuses closes the writer with 4400, a key only the server writes with 4403,
 * and the board keeps what it had; every action of the real client's facilitator menu passes.
 */
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import type { CreatedBoard } from '../../../shared/api.ts'
import type { BoardId } from '../../../shared/board-id.ts'
import { facilitationOf, readFacilitation } from '../../../shared/facilitation.ts'
import { metaOf } from '../../../shared/doc-layout.ts'
import { CloseCode } from '../../../shared/protocol.ts'
import { sha256Hex } from '../../../shared/sha256.ts'
import { facilitatorActions } from '../../../client/board/facilitation.ts'
import { makeClient, type TestClient } from '../../helpers/client.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'
import { waitFor } from '../../helpers/wait.ts'

/** The close code, or 'open' when the server kept the connection for 10 s (the bound of the wait). */
const closedWith = (client: TestClient) =>
  new Promise<number | 'open'>((resolve) => {
    const timer = setTimeout(() => resolve('open'), 10_000)
    client.provider.once('closed', ({ code }: { code: number }) => {
      clearTimeout(timer)
      resolve(code)
    })
  })

async function boardFromTemplate(server: TestServer): Promise<string> {
  const created = (await (
    await fetch(`${server.url}/api/boards`, {
      method: 'POST',
      body: JSON.stringify({ template: '24-uursconferentie', centraleOpgave: 'Samen aan de slag', targetYear: 2030 }),
    })
  ).json()) as CreatedBoard
  return created.id
}

/** The stored maps, as JSON. */
async function stored(server: TestServer, board: string) {
  const doc = await server.server.rooms.readCopy(board as BoardId)
  const state = { facilitation: facilitationOf(doc!).toJSON(), meta: metaOf(doc!).toJSON() }
  doc!.destroy()
  return state
}

type Write = (facilitation: Y.Map<unknown>, meta: Y.Map<unknown>) => void
const forgedVote = {
  id: 'v1',
  frameId: 'shape:frame',
  dots: 3,
  endsAt: null,
  open: false,
  results: [{ shapeId: 'shape:mijn', title: 'Mijn idee', count: 999 }],
}

describe('facilitation and meta, by schema', () => {
  it.each<[string, Write, number, string]>([
    ['a key the board has no use for', (f) => f.set('phase', 3), CloseCode.malformedMessage, 'facilitation.phase is no part of a board'],
    ['a timer that is text', (f) => f.set('timer', 'tien minuten'), CloseCode.malformedMessage, 'facilitation.timer'],
    ['a phase that is text', (f) => f.set('phaseIndex', 'drie'), CloseCode.malformedMessage, 'facilitation.phaseIndex'],
    ['a negative phase', (f) => f.set('phaseIndex', -1), CloseCode.malformedMessage, 'facilitation.phaseIndex'],
    ['a spotlight on a number', (f) => f.set('spotlight', { frameId: 5, nonce: 'x' }), CloseCode.malformedMessage, 'facilitation.spotlight frameId'],
    [
      'a co-facilitator without a key hash',
      (f) => f.set('cofacilitators', [{ keyHash: 'kopie', name: 'Piet' }]),
      CloseCode.malformedMessage,
      'facilitation.cofacilitators 0.keyHash',
    ],
    ['a presenter of 100 KB', (f) => f.set('presenter', 'x'.repeat(100_000)), CloseCode.malformedMessage, 'facilitation.presenter'],
    [
      'a lowered hand at a time that is text',
      (f) => f.set('loweredHands', { 'user:anna': 'nu' }),
      CloseCode.malformedMessage,
      'facilitation.loweredHands user:anna',
    ],
    ['an agenda of anything', (f) => f.set('agenda', [{ title: 'x' }]), CloseCode.malformedMessage, 'facilitation.agenda 0.'],
    ['a vote result (the votes API writes them)', (f) => f.set('vote', forgedVote), CloseCode.forbidden, 'facilitation.vote is written by the server only'],
    ['no agenda at all', (f) => f.delete('agenda'), CloseCode.forbidden, 'facilitation.agenda may be changed, not removed'],
    ['the session (made with the board)', (_f, m) => m.set('session', { title: 'gekaapt' }), CloseCode.forbidden, 'meta.session is written by the server only'],
    [
      'the closing time (the close route writes it)',
      (_f, m) => m.set('closedAt', Date.now()),
      CloseCode.forbidden,
      'meta.closedAt is written by the server only',
    ],
    ['a meta key the board has no use for', (_f, m) => m.set('wat', { a: 1 }), CloseCode.malformedMessage, 'meta.wat is no part of a board'],
  ])('refuses a facilitator writing %s', async (_what, write, code, reason) => {
    const server = await startServer()
    const board = await boardFromTemplate(server)
    const before = await stored(server, board)
    const facilitator = makeClient(server.wsUrl, board)
    await facilitator.synced()
    const closed = closedWith(facilitator)
    write(facilitationOf(facilitator.doc), metaOf(facilitator.doc))
    expect(await closed).toBe(code)
    facilitator.destroy()
    expect(server.log.lines.filter((l) => l.includes(`code=${code}`)).join('\n')).toContain(reason)
    expect(await stored(server, board)).toEqual(before)
  })

  it('takes every write of the facilitator menu (phase, timer, summon, presenter, groups, crowd, private round, spotlight, co-facilitator, hands)', async () => {
    const server = await startServer()
    const board = await boardFromTemplate(server)
    const facilitator = makeClient(server.wsUrl, board)
    const witness = makeClient(server.wsUrl, board, { role: 'participant' })
    await facilitator.synced()
    await witness.synced()
    let closes = 0
    facilitator.provider.on('connection-close', () => closes++)
    const actions = facilitatorActions(facilitator.doc, Date.now)
    const frameId = readFacilitation(facilitationOf(facilitator.doc)).agenda[1]!.frameId
    const seen = () => readFacilitation(facilitationOf(witness.doc))
    const steps: [string, () => void, () => boolean][] = [
      ['phase', () => actions.goToPhase(2), () => seen().phaseIndex === 2],
      ['start', () => actions.start(), () => seen().timer.state === 'running'],
      ['add minutes', () => actions.addMinutes(5), () => seen().timer.durationMs > 10 * 60_000],
      ['pause', () => actions.pause(), () => seen().timer.state === 'paused'],
      ['reset', () => actions.resetTimer(7), () => seen().timer.state === 'idle' && seen().timer.durationMs === 7 * 60_000],
      ['summon', () => actions.summon({ x: 10, y: 20, w: 800, h: 600 }, 'Fien'), () => seen().summon?.by === 'Fien'],
      ['present', () => actions.present('user:fien'), () => seen().presenter === 'user:fien'],
      ['stop presenting', () => actions.present(null), () => seen().presenter === null],
      ['groups', () => actions.setGroups([{ name: 'Tafel 1', frameId, memberIds: ['user:anna', 'user:bert'] }]), () => seen().groups.length === 1],
      ['crowd', () => actions.setCrowd('on'), () => seen().crowd === 'on'],
      ['private round', () => actions.startPrivateRound(frameId), () => seen().privateRound?.open === true],
      ['reveal', () => actions.reveal(), () => seen().privateRound?.open === false],
      ['spotlight', () => actions.spotlight(frameId), () => seen().spotlight?.frameId === frameId],
      ['spotlight off', () => actions.spotlight(null), () => seen().spotlight === null],
      ['co-facilitator', () => actions.makeCoFacilitator({ keyHash: sha256Hex('sleutel van piet'), name: 'Piet' }), () => seen().cofacilitators.length === 1],
      ['lower a hand', () => actions.lowerHand('user:anna'), () => typeof seen().loweredHands['user:anna'] === 'number'],
    ]
    for (const [what, act, done] of steps) {
      act()
      await waitFor(done, { what })
    }
    expect(closes).toBe(0)
    // A vote opened through the API is the server's write, and the facilitator's page keeps working after it.
    const token = new URL(
      (
        (await (
          await fetch(`${server.url}/api/boards/${board}/links`, {
            headers: { authorization: `Bearer ${(facilitator.provider.params as { token: string }).token}` },
          })
        ).json()) as { facilitator: string }
      ).facilitator,
      'http://x',
    ).searchParams.get('token')!
    const vote = await fetch(`${server.url}/api/boards/${board}/votes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ frameId, dots: 3 }),
    })
    expect(vote.status).toBe(201)
    await waitFor(() => seen().vote?.open === true, { what: 'the vote' })
    actions.goToPhase(3)
    await waitFor(() => seen().phaseIndex === 3, { what: 'a phase after the vote' })
    expect(closes).toBe(0)
  })
})
