/**
 * The room's sync, fuzzed without a network (tests/helpers/memory-socket.ts), the way tldraw's
 * syncFuzz.test.ts runs its room over TestSocketPairs: a facilitator and three participants, each
 * a stock y-protocols client behind a real board connection (server/room/connection.ts) to a real
 * Room with the participant policy and persistence to memory storage. They add, move, rewrite and
 * delete their own cards, the facilitator moves theirs, and all move their cursors, while the
 * test decides what is delivered when: a few frames now and the rest later, clean closes behind
 * what is in flight, drops that lose it (noticed by the server at once, or left half-open until
 * the same browser comes back), reconnects, and the server letting the board go (as at shutdown)
 * and loading it again. Then everything is delivered, and every client must hold the room's
 * document; every card must be as its owner last wrote it (no accepted edit lost; one the
 * facilitator moved may lie where she put it, but says what its owner wrote); what is stored
 * must be the room's document; and nobody may have been refused.
 *
 * The actions come from fast-check with a fixed seed (the same ones every run); the server's own
 * timers (fan-out turns, budgets) still run, so the order within one step can vary with load.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { parseBoardId, type BoardId } from '../../shared/board-id.ts'
import { recordsOf } from '../../shared/doc-layout.ts'
import { OWNER_META } from '../../shared/ownership.ts'
import { CloseCode } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import { sha256Hex } from '../../shared/sha256.ts'
import { localLeases } from '../../server/cluster/lease.ts'
import { createMemoryLogger } from '../../server/log.ts'
import { participantPolicy } from '../../server/policy/participant-policy.ts'
import { acceptConnection } from '../../server/room/connection.ts'
import { persistence } from '../../server/room/persistence.ts'
import { RoomRegistry } from '../../server/room/rooms.ts'
import { createMemoryStorage } from '../../server/storage/memory-storage.ts'
import { ABNORMAL_CLOSURE, MemorySocketPair, ProtocolClient } from '../helpers/memory-socket.ts'
import { card } from '../helpers/records.ts'

/**
 * The same every run; FUZZ_SEED and FUZZ_RUNS explore others (FUZZ_SEED=$RANDOM FUZZ_RUNS=500 npx
 * vitest run this file; FUZZ_STATS=1 prints what each run did).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261204)
const RUNS = Number(process.env.FUZZ_RUNS ?? 100)
const STEPS = 400
const BOARD = parseBoardId('fuzz-board') as BoardId
const PEOPLE: { name: string; role: Role }[] = [
  { name: 'Fien', role: 'facilitator' },
  { name: 'Piet', role: 'participant' },
  { name: 'Pam', role: 'participant' },
  { name: 'Noor', role: 'participant' },
]
/** Closes that are no refusal: our own clean close and drops, a half-open connection replaced, the board unloaded. */
const ROUTINE_CLOSES = new Set<number>([1000, ABNORMAL_CLOSURE, CloseCode.replaced, CloseCode.goingAway])

type Action =
  | { do: 'add'; who: number; x: number; y: number; text: number }
  | { do: 'move'; who: number; pick: number; x: number; y: number }
  | { do: 'rewrite'; who: number; pick: number; text: number }
  | { do: 'delete'; who: number; pick: number }
  | { do: 'move-other'; pick: number; x: number; y: number }
  | { do: 'cursor'; who: number; x: number }
  | { do: 'to-server'; who: number; n: number }
  | { do: 'to-client'; who: number; n: number }
  | { do: 'settle' }
  | { do: 'close'; who: number }
  | { do: 'drop'; who: number; serverNotices: boolean }
  | { do: 'reconnect'; who: number }
  | { do: 'unload' }

const who = fc.nat({ max: PEOPLE.length - 1 })
const coordinate = fc.integer({ min: -2_000, max: 2_000 })
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ do: fc.constant('add' as const), who, x: coordinate, y: coordinate, text: fc.nat(999) }) },
  { weight: 8, arbitrary: fc.record({ do: fc.constant('move' as const), who, pick: fc.nat(), x: coordinate, y: coordinate }) },
  { weight: 3, arbitrary: fc.record({ do: fc.constant('rewrite' as const), who, pick: fc.nat(), text: fc.nat(999) }) },
  { weight: 2, arbitrary: fc.record({ do: fc.constant('delete' as const), who, pick: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ do: fc.constant('move-other' as const), pick: fc.nat(), x: coordinate, y: coordinate }) },
  { weight: 2, arbitrary: fc.record({ do: fc.constant('cursor' as const), who, x: coordinate }) },
  { weight: 8, arbitrary: fc.record({ do: fc.constant('to-server' as const), who, n: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 8, arbitrary: fc.record({ do: fc.constant('to-client' as const), who, n: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 4, arbitrary: fc.constant({ do: 'settle' as const }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('close' as const), who }) },
  { weight: 2, arbitrary: fc.record({ do: fc.constant('drop' as const), who, serverNotices: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ do: fc.constant('reconnect' as const), who }) },
  { weight: 1, arbitrary: fc.constant({ do: 'unload' as const }) },
)

interface Person {
  name: string
  role: Role
  keyHash: string
  client: ProtocolClient
  pair?: MemorySocketPair
  connections: number
  /** Each card it ever wrote, as it last wrote it (null: deleted). */
  cards: Map<string, unknown>
  added: number
}

const turn = () => new Promise((resolve) => setImmediate(resolve))

async function run(actions: Action[]): Promise<void> {
  const storage = createMemoryStorage()
  const log = createMemoryLogger()
  const board = { flushMs: 5, idleUnloadMs: 60_000, compactEvery: 40, maxBoardBytes: 64 * 1024 * 1024, awarenessTickMs: 1 }
  const rooms = new RoomRegistry(storage, log, { room: board, policy: participantPolicy, extensions: [persistence(storage, localLeases(), log, board)] })
  const people: Person[] = PEOPLE.map(({ name, role }, i) => {
    const keyHash = sha256Hex(sha256Hex(`member key of ${name}`))
    const client = new ProtocolClient(1_001 + i, { member: { userId: name, name, role, groupId: '', hand: false, keyHash } })
    return { name, role, keyHash, client, connections: 0, cards: new Map(), added: 0 }
  })
  const connect = (p: Person) => {
    const pair = new MemorySocketPair()
    p.pair = pair
    acceptConnection(pair.server, BOARD, `${p.name}-${++p.connections}`, p.role, p.keyHash, rooms, log)
    p.client.connect(pair.client)
  }
  const write = (p: Person, key: string, value: unknown | null) => {
    p.cards.set(key, value)
    const records = recordsOf(p.client.doc)
    if (value === null) records.delete(key)
    else records.set(key, value)
  }
  /** Cards the facilitator moved: where they lie is hers or their owner's, what they say is their owner's. */
  const movedByOther = new Set<string>()
  const live = (p: Person) => [...p.cards].filter(([, v]) => v !== null).map(([k]) => k)
  const cardOf = (p: Person, key: string, text: string, x: number, y: number) => card(key, text, { x, y, meta: { [OWNER_META]: p.keyHash } })

  try {
    for (const p of people) connect(p)
    for (const a of actions) {
      if (a.do === 'settle') {
        await turn()
        continue
      }
      if (a.do === 'move-other') {
        // The facilitator moves someone else's card, as her copy has it (perhaps older than its owner's).
        const fien = people[0]!
        const records = recordsOf(fien.client.doc)
        const others = [...records.keys()].filter((key) => !fien.cards.has(key)).sort()
        if (others.length === 0) continue
        const key = others[a.pick % others.length]!
        movedByOther.add(key)
        records.set(key, { ...(records.get(key) as object), x: a.x, y: a.y })
        continue
      }
      if (a.do === 'unload') {
        // The server lets the board go (as at shutdown) with frames in flight; the next connection loads it again.
        await rooms.get(BOARD)?.unload('shutdown')
        continue
      }
      const p = people[a.who]!
      switch (a.do) {
        case 'add': {
          const key = `shape:${p.name}-${++p.added}`
          write(p, key, cardOf(p, key, `${p.name} ${a.text}`, a.x, a.y))
          break
        }
        case 'move':
        case 'rewrite': {
          const keys = live(p)
          if (keys.length === 0) break
          const key = keys[a.pick % keys.length]!
          const before = p.cards.get(key) as ReturnType<typeof card>
          write(p, key, a.do === 'move' ? { ...before, x: a.x, y: a.y } : { ...before, props: { ...before.props, text: `${p.name} ${a.text}` } })
          break
        }
        case 'delete': {
          const keys = live(p)
          if (keys.length > 0) write(p, keys[a.pick % keys.length]!, null)
          break
        }
        case 'cursor':
          p.client.awareness.setLocalStateField('cursor', { x: a.x, y: 0 })
          break
        case 'to-server':
          p.pair?.deliverToServer(a.n)
          break
        case 'to-client':
          p.pair?.deliverToClient(a.n)
          break
        case 'close':
          p.pair?.client.close()
          break
        case 'drop':
          if (p.pair?.isOpen) p.pair.drop({ serverNotices: a.serverNotices })
          break
        case 'reconnect':
          if (!p.client.connected) connect(p)
          break
        default: {
          const unreachable: never = a
          throw new Error(`unknown action ${JSON.stringify(unreachable)}`)
        }
      }
    }

    // Everyone back, and everything delivered until nothing moves (budgets may hold frames back a while).
    const deadline = Date.now() + 10_000
    for (let quiet = 0; quiet < 3; ) {
      // (A clean close still in flight ends a connection only when delivered.)
      for (const p of people) if (!p.client.connected) connect(p)
      let moved = 0
      for (const p of people) moved += p.pair!.deliverToServer() + p.pair!.deliverToClient()
      await turn()
      const idle = moved === 0 && people.every((p) => p.client.synced && p.pair!.inFlight === 0)
      quiet = idle ? quiet + 1 : 0
      if (!idle && moved === 0) await new Promise((resolve) => setTimeout(resolve, 5))
      if (Date.now() > deadline)
        throw new Error(`not quiet after 10 s: ${people.map((p) => `${p.name} synced=${p.client.synced} in flight=${p.pair!.inFlight}`).join(', ')}`)
    }

    const refusals = people.flatMap((p) => p.client.closes.filter((code) => !ROUTINE_CLOSES.has(code)).map((code) => `${p.name}: ${code}`))
    expect(refusals, log.lines.filter((l) => l.includes('closing connection')).join('\n')).toEqual([])
    const room = rooms.get(BOARD)!
    const roomRecords = recordsOf(room.doc).toJSON()
    expect(room.doc.store.pendingStructs).toBeNull()
    for (const p of people) {
      expect({ who: p.name, records: recordsOf(p.client.doc).toJSON() }).toEqual({ who: p.name, records: roomRecords })
      expect({ who: p.name, state: Y.decodeStateVector(Y.encodeStateVector(p.client.doc)) }).toEqual({
        who: p.name,
        state: Y.decodeStateVector(Y.encodeStateVector(room.doc)),
      })
    }
    // No accepted edit lost: every card is as its owner last wrote it, and there is nothing else; a
    // card the facilitator moved may lie where she put it, but says what its owner wrote last.
    const expected: Record<string, unknown> = {}
    const written = new Set<string>()
    for (const p of people) {
      for (const [key, value] of p.cards) {
        written.add(key)
        if (!movedByOther.has(key)) {
          if (value !== null) expected[key] = value
          continue
        }
        const now = roomRecords[key] as ReturnType<typeof card> | undefined
        const last = value as ReturnType<typeof card> | null
        if (last !== null) expect({ key, props: now?.props, meta: now?.meta }).toEqual({ key, props: last.props, meta: last.meta })
        if (now) expected[key] = now
      }
    }
    expect(Object.keys(roomRecords).filter((key) => !written.has(key))).toEqual([])
    expect(roomRecords).toEqual(expected)
    if (process.env.FUZZ_STATS)
      console.log(
        JSON.stringify({
          cards: Object.keys(roomRecords).length,
          written: people.map((p) => p.cards.size),
          connections: people.map((p) => p.connections),
          movedByOther: movedByOther.size,
          settled: log.lines.filter((l) => l.includes('older copy')).length,
          closes: people.map((p) => p.client.closes.join(' ')),
        }),
      )
    // And what is stored makes the same board (read back once the room is unloaded).
    await rooms.unloadAll()
    await room.closed
    const stored = (await rooms.readCopy(BOARD))!
    expect(recordsOf(stored).toJSON()).toEqual(roomRecords)
    stored.destroy()
  } finally {
    await rooms.unloadAll()
    for (const p of people) p.client.destroy()
  }
}

describe('the room over in-memory sockets', () => {
  it(`converges with ${PEOPLE.length} clients over ${RUNS} × ${STEPS} random edits, partial deliveries, closes, drops and reconnects (seed ${SEED}), losing no accepted edit`, async () => {
    await fc.assert(fc.asyncProperty(fc.array(action, { minLength: STEPS, maxLength: STEPS }), run), { seed: SEED, numRuns: RUNS })
  }, 60_000)
})
