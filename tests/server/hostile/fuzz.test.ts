/**
 * Property-based fuzzing (fast-check, fixed seed, bounded runs) of the three judges at the edge:
 * the wire decoder, the update policy and the record validator. None may throw anything but its
 * own refusal, and whatever they accept must apply cleanly and leave only valid records.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DocKey, MetaKey } from '../../../shared/doc-layout.ts'
import { createBoardSchema } from '../../../shared/shapes/board-schema.ts'
import { judgeAwareness } from '../../../server/policy/awareness-policy.ts'
import { recordJudge } from '../../../server/policy/record-rules.ts'
import { judgeUpdate } from '../../../server/policy/update-policy.ts'
import { decodeClientMessage, ProtocolError } from '../../../server/room/wire.ts'
import { Awareness } from 'y-protocols/awareness'
import { card } from '../../helpers/records.ts'
import { syncUpdateFrame } from '../../helpers/frames.ts'

const SEED = 20261202
const schema = createBoardSchema()
const serialized = schema.serialize()

/** A board with a few cards, one locked, to judge updates against. */
function board(): Y.Doc {
  const doc = new Y.Doc()
  doc.transact(() => {
    doc.getMap(DocKey.meta).set(MetaKey.schema, serialized)
    doc.getMap(DocKey.records).set('shape:a', card('shape:a', 'a'))
    doc.getMap(DocKey.records).set('shape:locked', card('shape:locked', 'slot', { locked: true }))
  })
  return doc
}

const anyJson = fc.jsonValue({ maxDepth: 4 })
const recordLike = fc.record(
  {
    id: fc.oneof(fc.constant('shape:x'), fc.string({ maxLength: 12 })),
    typeName: fc.constantFrom('shape', 'page', 'asset', 'instance', 'user', 'ufo', ''),
    type: fc.constantFrom('contribution', 'note', 'geo', 'frame', 'image', 'x'),
    x: fc.oneof(fc.double(), fc.integer(), fc.string()),
    props: fc.oneof(anyJson, fc.record({ text: fc.string(), w: fc.double(), color: fc.string() })),
    meta: anyJson,
  },
  { requiredKeys: [] },
)

/** Changes a client could make to its copy of the board: sets of any value, deletes, foreign roots. */
const change = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    key: fc.constantFrom('shape:x', 'shape:a', 'shape:locked', 'page:p'),
    value: fc.oneof(recordLike, anyJson, fc.constant(null)),
  }),
  fc.record({ kind: fc.constant('valid' as const), key: fc.constantFrom('shape:x', 'shape:y', 'shape:locked'), text: fc.string({ maxLength: 50 }) }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom('shape:a', 'shape:locked', 'shape:nope') }),
  fc.record({ kind: fc.constant('meta' as const), key: fc.constantFrom(MetaKey.schema, MetaKey.session, 'x'), value: anyJson }),
  fc.record({ kind: fc.constant('facilitation' as const), value: anyJson }),
  fc.record({ kind: fc.constant('foreign' as const), text: fc.string({ maxLength: 20 }) }),
)

type Change = typeof change extends fc.Arbitrary<infer T> ? T : never

function applyChange(doc: Y.Doc, c: Change) {
  const records = doc.getMap(DocKey.records)
  switch (c.kind) {
    case 'set':
      return records.set(c.key, c.value)
    case 'valid':
      return records.set(c.key, card(c.key, c.text))
    case 'delete':
      return records.delete(c.key)
    case 'meta':
      return doc.getMap(DocKey.meta).set(c.key, c.value)
    case 'facilitation':
      return doc.getMap(DocKey.facilitation).set('phaseIndex', c.value)
    case 'foreign':
      return doc.getText('elders').insert(0, c.text)
  }
}

describe('fuzzing the edge', () => {
  it('the wire decoder turns any bytes into a message or a ProtocolError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 200 }), (prefix, bytes) => {
        for (const frame of [
          bytes,
          new Uint8Array([...prefix.slice(0, 2), ...bytes]),
          syncUpdateFrame(bytes),
          new Uint8Array([0, 1, ...bytes]),
          new Uint8Array([1, ...bytes]),
        ]) {
          try {
            decodeClientMessage(frame)
          } catch (error) {
            if (!(error instanceof ProtocolError)) throw error
          }
        }
      }),
      { seed: SEED, numRuns: 3_000 },
    )
  })

  it('the update policy never throws; what it accepts applies cleanly and leaves only valid records', () => {
    const validate = recordJudge(serialized)
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 6 }), fc.constantFrom('participant', 'facilitator'), fc.boolean(), (changes, role, mangle) => {
        const server = board()
        const client = new Y.Doc()
        Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
        const before = Y.encodeStateVector(client)
        let update: Uint8Array
        try {
          client.transact(() => changes.forEach((c) => applyChange(client, c)))
          update = Y.encodeStateAsUpdate(client, before)
        } catch {
          return // a value Yjs itself cannot encode (an object without a prototype) never reaches the wire
        }
        if (mangle && update.length > 4) update = update.slice(0, update.length - 2) // truncated: the wire refuses it
        let decoded
        try {
          decoded = Y.decodeUpdate(update)
        } catch {
          return // the wire decoder refuses what Yjs cannot decode
        }
        const verdict = judgeUpdate(server, update, { role: role as 'participant' | 'facilitator', ownedByOther: () => false }, decoded)
        if (!verdict.ok) return
        Y.applyUpdate(server, verdict.update)
        expect(server.store.pendingStructs).toBeNull()
        for (const [key, value] of server.getMap(DocKey.records).entries()) expect(validate(key, value), key).toEqual({ ok: true })
        if (role === 'participant') expect((server.getMap(DocKey.records).get('shape:locked') as { props: { text: string } }).props.text).toBe('slot')
        expect(server.share.has('elders')).toBe(false)
      }),
      { seed: SEED, numRuns: 400 },
    )
  })

  it('the record validator answers every value with a verdict, never an exception', () => {
    const validate = recordJudge(serialized)
    fc.assert(
      fc.property(fc.oneof(recordLike, anyJson), fc.string({ maxLength: 20 }), (value, key) => {
        const verdict = validate(key, value)
        expect(typeof verdict.ok).toBe('boolean')
        if (verdict.ok) schema.types[(value as { typeName: 'shape' }).typeName].validate(value as never)
      }),
      { seed: SEED, numRuns: 3_000 },
    )
  })

  it('the awareness policy never throws and never lets one connection hold more than 3 presences', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.integer({ min: 0, max: 20 }),
            clock: fc.nat(3_000),
            state: fc.oneof(fc.constant(null), fc.dictionary(fc.string({ maxLength: 8 }), anyJson)),
          }),
          { maxLength: 12 },
        ),
        fc.uint8Array({ maxLength: 40 }),
        (entries, garbage) => {
          const awareness = new Awareness(new Y.Doc())
          awareness.setLocalState(null)
          const own = new Set<number>()
          const frameOf = (list: typeof entries) => {
            const bytes: number[] = []
            const push = (n: number) => {
              do {
                bytes.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0))
                n >>>= 7
              } while (n > 0)
            }
            push(list.length)
            for (const e of list) {
              push(e.id)
              push(e.clock)
              const text = new TextEncoder().encode(JSON.stringify(e.state))
              push(text.length)
              bytes.push(...text)
            }
            return new Uint8Array(bytes)
          }
          for (const update of [frameOf(entries), garbage]) {
            const verdict = judgeAwareness(awareness, update, {
              role: 'participant',
              own,
              ownedByOther: (id) => id === 7,
              departedClock: () => undefined,
              keyHash: undefined,
            })
            if (verdict.ok) verdict.introduced.forEach((id) => own.add(id))
          }
          expect(own.size).toBeLessThanOrEqual(3)
          expect(own.has(7)).toBe(false)
        },
      ),
      { seed: SEED, numRuns: 1_000 },
    )
  })
})
