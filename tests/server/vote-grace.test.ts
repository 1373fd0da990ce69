/**
 * A browser whose socket dropped moments ago is still a voter (issue 19: the soak saw 16 dots
 * refused 403, cast in the seconds a participant's socket was down). Real servers, stock
 * y-websocket clients, the votes API; the servers' clock is the test's, so "after the grace" is
 * a step of the clock, not a wait.
 */
import { describe, expect, it } from 'vitest'
import { RedisCluster } from '../../server/cluster/cluster.ts'
import { createMemoryLogger } from '../../server/log.ts'
import { VOTER_GRACE_MS } from '../../server/session/recent-voters.ts'
import { sha256Hex } from '../../shared/sha256.ts'
import { makeClient, type TestClient } from '../helpers/client.ts'
import { TEST_REDIS_URL, testRedis } from '../helpers/redis.ts'
import { startServer, tempDataDir, tokenFor, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

const PIET = 'c'.repeat(64)
const STRANGER = 'd'.repeat(64)
const member = (key: string) => ({ userId: key.slice(0, 8), name: 'Piet', role: 'participant', groupId: '', hand: false, keyHash: sha256Hex(key) })

/** A clock the test moves: real time plus what the test added. */
function testClock() {
  let ahead = 0
  return { now: () => Date.now() + ahead, advance: (ms: number) => (ahead += ms) }
}

async function boardWithVote(server: TestServer): Promise<{ board: string; vote: string; card: string }> {
  const created = await fetch(`${server.url}/api/boards`, {
    method: 'POST',
    body: JSON.stringify({ template: '24-uursconferentie', centraleOpgave: 'x', targetYear: 2030 }),
  })
  const board = ((await created.json()) as { id: string }).id
  const facilitator = makeClient(server.wsUrl, board)
  await facilitator.synced()
  const frameId = (facilitator.doc.getMap('facilitation').get('agenda') as { phase: string; frameId: string }[]).find((a) => a.phase === 'trends')!.frameId
  const card = 'shape:kaart'
  facilitator.records.set(card, {
    id: card,
    typeName: 'shape',
    type: 'text',
    x: 0,
    y: 0,
    rotation: 0,
    index: 'a9',
    parentId: frameId,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      color: 'black',
      size: 'm',
      font: 'draw',
      textAlign: 'start',
      w: 100,
      richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Kaart' }] }] },
      scale: 1,
      autoSize: true,
    },
  })
  await waitFor(() => facilitator.records.has(card), { what: 'the card' })
  const started = await fetch(`${server.url}/api/boards/${board}/votes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokenFor(board)}` },
    body: JSON.stringify({ frameId, dots: 3 }),
  })
  expect(started.status).toBe(201)
  facilitator.destroy()
  return { board, vote: ((await started.json()) as { id: string }).id, card }
}

const dot = (url: string, board: string, voteId: string, memberKey: string, shapeId: string) =>
  fetch(`${url}/api/boards/${board}/votes/${voteId}/dots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(board, 'participant')}` },
    body: JSON.stringify({ memberKey, shapeId, delta: 1 }),
  }).then((r) => r.status)

/** Piet on the board: his connection proves his key, his presence shows its hash, and a witness sees it arrive. */
async function pietJoins(wsUrl: string, board: string, witness: TestClient): Promise<TestClient> {
  const piet = makeClient(wsUrl, board, { role: 'participant', memberKey: PIET })
  piet.provider.awareness.setLocalStateField('member', member(PIET))
  await piet.synced()
  await waitFor(
    () => [...witness.provider.awareness.getStates().values()].some((s) => (s.member as { keyHash?: string } | undefined)?.keyHash === sha256Hex(PIET)),
    { what: "Piet's presence at the witness" },
  )
  return piet
}

/** Piet's Wi-Fi drops: his socket goes, and the witness sees his presence leave. */
async function pietDrops(piet: TestClient, witness: TestClient): Promise<void> {
  piet.destroy()
  await waitFor(
    () => ![...witness.provider.awareness.getStates().values()].some((s) => (s.member as { keyHash?: string } | undefined)?.keyHash === sha256Hex(PIET)),
    { what: "Piet's presence gone at the witness" },
  )
}

describe('a voter whose socket just dropped', () => {
  it('still places a dot within the grace, even after the board unloaded; a stranger never, Piet not after the grace', async () => {
    const clock = testClock()
    const server = await startServer({ now: clock.now })
    const { board, vote: voteId, card } = await boardWithVote(server)
    const witness = makeClient(server.wsUrl, board, { role: 'participant' })
    await witness.synced()
    const piet = await pietJoins(server.wsUrl, board, witness)
    expect(await dot(server.url, board, voteId, PIET, card)).toBe(200)

    await pietDrops(piet, witness)
    expect(await dot(server.url, board, voteId, PIET, card)).toBe(200)
    expect(await dot(server.url, board, voteId, STRANGER, card)).toBe(403)

    // Nobody left on the board: the room unloads (200 ms in tests); Piet is still remembered.
    witness.destroy()
    await waitFor(() => server.server.rooms.get(board as never) === undefined, { what: 'the board to unload' })
    clock.advance(VOTER_GRACE_MS - 5_000)
    expect(await dot(server.url, board, voteId, PIET, card)).toBe(200)

    clock.advance(10_000)
    expect(await dot(server.url, board, voteId, PIET, card)).toBe(403)
    expect(await dot(server.url, board, voteId, STRANGER, card)).toBe(403)
  })

  it('reaches a voter who dropped from another process of the cluster (through Redis)', async () => {
    const clock = testClock()
    const { prefix } = await testRedis()
    // Two processes on one DATA_DIR and one Redis (README, *Several servers*).
    const dataDir = tempDataDir()
    const join = async () => {
      const cluster = await RedisCluster.connect({ url: TEST_REDIS_URL, prefix, log: createMemoryLogger() })
      return startServer({ dataDir, cluster, now: clock.now, room: { idleUnloadMs: 60_000 } })
    }
    const a = await join()
    const b = await join()
    const { board, vote: voteId, card } = await boardWithVote(a)
    const witness = makeClient(a.wsUrl, board, { role: 'participant' })
    await witness.synced()
    const piet = await pietJoins(a.wsUrl, board, witness)
    // Live on A: B (which loads the board for the request) hears of him through Redis.
    expect(await dot(b.url, board, voteId, PIET, card)).toBe(200)

    await pietDrops(piet, witness)
    // B hears that his presence left through Redis (cursors go out batched, ten times a second):
    // until then B still sees him live, and the dots below would not be about the grace at all —
    // the check after the grace failed that way (200) when B heard it only after the clock moved.
    const pietOnB = () =>
      [
        ...(b.server.rooms
          .get(board as never)
          ?.awareness.getStates()
          .values() ?? []),
      ].some((s) => (s.member as { keyHash?: string } | undefined)?.keyHash === sha256Hex(PIET))
    await waitFor(() => !pietOnB(), { what: "Piet's presence gone on B" })
    expect(await dot(b.url, board, voteId, PIET, card)).toBe(200)
    expect(await dot(b.url, board, voteId, STRANGER, card)).toBe(403)
    clock.advance(VOTER_GRACE_MS + 1_000)
    expect(await dot(b.url, board, voteId, PIET, card)).toBe(403)
  })
})
