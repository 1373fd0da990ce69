// @vitest-environment jsdom
/**
 * Accepted ⇒ drawable (issue 19, finding 2), by property: fast-check (fixed seed) makes boards
 * of every shape type a board allows, and arrow bindings among them, at the values that break
 * renderers (helpers/edge-records.ts); each record goes to the server's judge of live changes
 * (update-policy.ts, one update each, as a facilitator's stock client would send them); what it
 * accepts is put into a real tldraw Editor and measured by tldraw's own ShapeUtils
 * (helpers/tldraw-probe.ts); the browser test draws a sample of them on a real board
 * (tests/e2e/undrawable.test.ts). Drawable is tldraw's verdict, not our rules'.
 */
import '../helpers/jsdom-gaps.ts'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { b64Vecs, type TLRecord } from 'tldraw'
import * as Y from 'yjs'
import { DocKey, MetaKey, recordsOf } from '../../shared/doc-layout.ts'
import { buildExampleBoard } from '../../shared/format/example-board.ts'
import { documentRecord, pageRecord } from '../../shared/format/records.ts'
import { instantiateTemplate } from '../../shared/format/instantiate.ts'
import { Session } from '../../shared/format/model.ts'
import { TEMPLATES } from '../../shared/format/templates.ts'
import { createBoardSchema } from '../../shared/shapes/board-schema.ts'
import { judgeUpdate } from '../../server/policy/update-policy.ts'
import { edgeBoard, SHAPE_TYPES } from '../helpers/edge-records.ts'
import { TldrawProbe } from '../helpers/tldraw-probe.ts'
import { arrowBinding, tldrawShape } from '../helpers/tldraw-records.ts'

const SEED = 20261219
const RUNS = 600

/** A blank board as the server holds it. */
function serverBoard(): Y.Doc {
  const doc = new Y.Doc()
  doc.transact(() => {
    doc.getMap(DocKey.meta).set(MetaKey.schema, createBoardSchema().serialize())
    recordsOf(doc).set('document:document', documentRecord())
    recordsOf(doc).set('page:page', pageRecord('Pagina'))
  })
  return doc
}

/** Whether the server's judge lets a facilitator's client write `record`; applied if so. */
function write(board: Y.Doc, record: { id: string }): boolean {
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(board))
  const before = Y.encodeStateVector(client)
  recordsOf(client).set(record.id, record)
  const update = Y.encodeStateAsUpdate(client, before)
  client.destroy()
  const verdict = judgeUpdate(board, update, { role: 'facilitator', ownedByOther: () => false })
  if (verdict.ok) Y.applyUpdate(board, verdict.update)
  return verdict.ok
}

const drawn = (board: Y.Doc) => [...recordsOf<TLRecord>(board).values()].filter((r) => r.typeName === 'shape' || r.typeName === 'binding')

describe('accepted ⇒ drawable', () => {
  const probe = new TldrawProbe()

  it(`every record the server accepts, tldraw measures (${RUNS} boards, seed ${SEED})`, () => {
    let offered = 0
    const accepted = new Map<string, number>()
    fc.assert(
      fc.property(edgeBoard, ({ shapes, bindings }) => {
        const board = serverBoard()
        for (const record of [...shapes, ...bindings]) {
          offered++
          if (write(board, record as { id: string })) {
            const kind = String(record.typeName === 'shape' ? record.type : record.typeName)
            accepted.set(kind, (accepted.get(kind) ?? 0) + 1)
          }
        }
        const records = drawn(board)
        const problem = probe.problem(records)
        if (problem) throw new Error(`accepted, but tldraw cannot draw it: ${problem}\n${JSON.stringify(records)}`)
      }),
      { seed: SEED, numRuns: RUNS },
    )

    // Not vacuous: of every type, edge cases got through the schema and the rules to the Editor.
    const total = [...accepted.values()].reduce((a, b) => a + b, 0)
    console.info(`accepted ${total} of ${offered}:`, Object.fromEntries(accepted))
    expect(total, `accepted ${total} of ${offered}`).toBeGreaterThan(offered / 5)
    for (const type of [...SHAPE_TYPES, 'binding']) expect(accepted.get(type) ?? 0, `${type} accepted`).toBeGreaterThan(3)
  })

  it("the probe is tldraw's own verdict: it fails what the rules refuse (when the server let it through)", () => {
    const point = (x: number, y: number) => ({ x, y, z: 0.5 })
    const cases: [string, TLRecord[]][] = [
      ['a stroke without points', [tldrawShape('shape:a', 'draw', { segments: [] }) as never]],
      ['a cut-off path', [tldrawShape('shape:a', 'draw', { segments: [{ type: 'free', path: 'AAAA' }] }) as never]],
      ['a path of the right length that is no base64', [tldrawShape('shape:a', 'draw', { segments: [{ type: 'free', path: '!!!!!!!!!!!!!!!!' }] }) as never]],
      ['a line of one point', [tldrawShape('shape:a', 'line', { points: { a1: { id: 'a1', index: 'a1', x: 0, y: 0 } } }) as never]],
      ['a text of an unknown node', [tldrawShape('shape:a', 'text', { richText: { type: 'doc', content: [{ type: 'bogus' }] } }) as never]],
      [
        'a note of an unknown node',
        [tldrawShape('shape:a', 'note', { richText: { type: 'doc', content: [{ type: 'paragraph' }, { type: 'bogus' }] } }) as never],
      ],
      [
        'a point that is no number',
        [tldrawShape('shape:a', 'draw', { segments: [{ type: 'free', path: b64Vecs.encodePoints([point(Number.NaN, 0), point(1, 1)]) }] }) as never],
      ],
      [
        'a geo bound as an arrow',
        [tldrawShape('shape:a', 'geo') as never, tldrawShape('shape:b', 'geo') as never, arrowBinding('binding:a', 'shape:a', 'shape:b') as never],
      ],
      ['an ellipse of 10 million units', [tldrawShape('shape:a', 'geo', { geo: 'ellipse', w: 1e7, h: 1e7 }) as never]],
      [
        'a dot at a scale of a million',
        [tldrawShape('shape:a', 'draw', { scale: 1e6, segments: [{ type: 'free', path: b64Vecs.encodePoints([point(0, 0)]) }] }) as never],
      ],
      [
        'a straight stroke stretched a million times',
        [tldrawShape('shape:a', 'draw', { scaleX: 1e6, segments: [{ type: 'straight', path: b64Vecs.encodePoints([point(0, 0), point(40, 0)]) }] }) as never],
      ],
      ['two shapes 1e308 either side', [tldrawShape('shape:a', 'geo', {}, { x: 1e308 }) as never, tldrawShape('shape:b', 'geo', {}, { x: -1e308 }) as never]],
      ['an arrow bound to itself', [tldrawShape('shape:a', 'arrow') as never, arrowBinding('binding:a', 'shape:a', 'shape:a') as never]],
    ]
    for (const [what, records] of cases) expect(probe.problem(records), what).not.toBeNull()
  })

  it('what tldraw and this app make is accepted: every type as tldraw makes it, the example board, every template', () => {
    const board = serverBoard()
    const { editor } = probe
    const refused: string[] = []
    const offer = (record: { id: string }) => write(board, record) || refused.push(record.id)
    for (const type of SHAPE_TYPES) {
      // tldraw's draw tools start a stroke at its first point (DrawShapeTool's Drawing state), never with none.
      const props = type === 'draw' || type === 'highlight' ? { segments: [{ type: 'free', path: b64Vecs.encodePoints([{ x: 0, y: 0, z: 0.5 }]) }] } : {}
      const id = `shape:${type}`
      editor.createShape({ id: id as never, type, props } as never)
      offer(editor.getShape(id as never)!)
    }
    const arrow = editor.getShape('shape:arrow' as never)!
    editor.createBinding({
      id: 'binding:b' as never,
      type: 'arrow',
      fromId: arrow.id,
      toId: 'shape:geo' as never,
      props: { terminal: 'end', normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false },
    })
    offer(editor.getBinding('binding:b' as never)!)
    editor.deleteShapes([...editor.getCurrentPageShapeIds()])
    expect(refused).toEqual([])

    for (const record of buildExampleBoard('samen-aan-de-slag-2018').records) offer(record)
    for (const template of TEMPLATES) {
      const session = Session.parse({
        title: template.id,
        centraleOpgave: 'In 2030 doet iedereen mee.',
        targetYear: 2030,
        groups: [{ id: 'g', name: { nl: 'Groep', en: 'Group' }, color: 'blue' }],
      })
      for (const record of instantiateTemplate(template, session, 'nl').records()) offer(record)
    }
    expect(refused).toEqual([])
  })
})
