/**
 * The rules of what tldraw can draw (shared/drawable.ts), one by one, each as the server's record
 * judge applies them: every rule refuses its case and lets the nearest drawable one through. The
 * cases are what a real tldraw Editor failed on (tests/shared/drawable-property.test.ts).
 */
import { describe, expect, it } from 'vitest'
import { b64Vecs } from '@tldraw/tlschema'
import { toRichText } from 'tldraw'
import { DrawLimits, undrawableAmong, type BoardView } from '../../shared/drawable.ts'
import { createBoardSchema } from '../../shared/shapes/board-schema.ts'
import { recordJudge } from '../../server/policy/record-rules.ts'
import { card, drawing } from '../helpers/records.ts'
import { arrowBinding, tldrawShape } from '../helpers/tldraw-records.ts'

const judge = recordJudge(createBoardSchema().serialize())
/** The judge's reason, or 'ok'. */
const verdict = (record: { id: string }) => {
  const v = judge(record.id, record)
  return v.ok ? 'ok' : v.reason
}
const path = (points: { x: number; y: number; z?: number }[], dim?: 2) =>
  b64Vecs.encodePoints(
    points.map((p) => ({ z: 0.5, ...p })),
    dim,
  )
const stroke = (segments: unknown[], type: 'draw' | 'highlight' = 'draw', props: Record<string, unknown> = {}) =>
  tldrawShape('shape:s', type, { segments, ...props })
const twoPoints = [
  { x: 0, y: 0 },
  { x: 40, y: 20 },
]

describe('strokes (draw, highlight)', () => {
  it('need at least one point: none, or only empty segments, is refused; one point is a dot', () => {
    for (const type of ['draw', 'highlight'] as const) {
      expect(verdict(stroke([], type))).toMatch(/cannot be drawn: it is a stroke without points/)
      expect(
        verdict(
          stroke(
            [
              { type: 'free', path: '' },
              { type: 'free', path: '' },
            ],
            type,
          ),
        ),
      ).toMatch(/without points/)
      expect(verdict(stroke([{ type: 'free', path: path([{ x: 3, y: 4 }]) }], type))).toBe('ok')
      expect(
        verdict(
          stroke(
            [
              { type: 'free', path: '' },
              { type: 'straight', path: path(twoPoints) },
            ],
            type,
          ),
        ),
      ).toBe('ok')
    }
    expect(verdict(drawing('shape:s', [twoPoints]))).toBe('ok')
  })

  it('refuses paths tldraw cannot decode: not base64, cut off, not numbers, too far', () => {
    const good = path(twoPoints)
    expect(verdict(stroke([{ type: 'free', path: '!!!!' }]))).toMatch(/not base64/)
    expect(verdict(stroke([{ type: 'free', path: 'AAAA' }]))).toMatch(/cut off/)
    expect(verdict(stroke([{ type: 'free', path: good.slice(0, -4) }]))).toMatch(/cut off/)
    expect(
      verdict(
        stroke([
          {
            type: 'free',
            path: path([
              { x: Number.NaN, y: 0 },
              { x: 1, y: 1 },
            ]),
          },
        ]),
      ),
    ).toMatch(/not a number/)
    expect(
      verdict(
        stroke([
          {
            type: 'free',
            path: path([
              { x: 3e38, y: 0 },
              { x: 1, y: 1 },
            ]),
          },
        ]),
      ),
    ).toMatch(/reaches past/)
    expect(verdict(stroke([{ type: 'free', path: path(twoPoints, 2), dim: 2 }]))).toBe('ok')
    expect(verdict(stroke([{ type: 'free', path: path(twoPoints), dim: 2 }]))).toMatch(/cut off/)
  })

  it('refuses a scale that blows a stroke past the limit', () => {
    const segments = [{ type: 'free', path: path(twoPoints) }]
    expect(verdict(stroke(segments, 'draw', { scale: 1e4 }))).toMatch(/scale is more than/)
    expect(verdict(stroke(segments, 'draw', { scaleX: DrawLimits.maxExtent }))).toMatch(/reaches past/)
    expect(verdict(stroke(segments, 'draw', { scale: 20, scaleX: -1 }))).toBe('ok')
    expect(verdict(stroke([{ type: 'straight', path: path(twoPoints) }], 'draw', { scaleX: 1e6 }))).toMatch(/reaches past/)
    // A segment's dim (2 or 3) is no length: a 3-D dot stretched 40,000 times was refused for it (3 × 40,000 > 100,000).
    expect(verdict(stroke([{ type: 'free', path: path([{ x: 0, y: 0 }]), dim: 3 }], 'draw', { scaleX: 40_000 }))).toBe('ok')
  })
})

describe('lines', () => {
  const point = (id: string, index: string, x = 0) => ({ id, index, x, y: 0 })
  it('need two points with their own indices', () => {
    expect(verdict(tldrawShape('shape:l', 'line', { points: {} }))).toMatch(/fewer than two points/)
    expect(verdict(tldrawShape('shape:l', 'line', { points: { a1: point('a1', 'a1') } }))).toMatch(/fewer than two points/)
    expect(verdict(tldrawShape('shape:l', 'line', { points: { a1: point('a1', 'a1'), a2: point('a2', 'a1', 5) } }))).toMatch(/same index/)
    expect(verdict(tldrawShape('shape:l', 'line', { points: { a1: point('a1', 'a1'), a2: point('a2', 'a2') } }))).toBe('ok')
    expect(verdict(tldrawShape('shape:l', 'line'))).toBe('ok')
  })
})

describe('sizes and places', () => {
  it('refuse a shape past the extent tldraw measures in bounded time, or far from its parent', () => {
    const max = DrawLimits.maxExtent
    expect(verdict(tldrawShape('shape:g', 'geo', { geo: 'ellipse', w: max, h: max }))).toBe('ok')
    expect(verdict(tldrawShape('shape:g', 'geo', { geo: 'ellipse', w: 10 * max, h: 100 }))).toMatch(/its w reaches past/)
    expect(verdict(tldrawShape('shape:g', 'geo', { w: max, scale: 2 }))).toMatch(/its w reaches past/)
    expect(verdict(tldrawShape('shape:g', 'geo', { growY: 1e300 }))).toMatch(/growY/)
    expect(verdict(tldrawShape('shape:a', 'arrow', { bend: 1e6 }))).toMatch(/bend/)
    expect(verdict(tldrawShape('shape:a', 'arrow', { end: { x: 1e7, y: 0 } }))).toMatch(/end\.x/)
    expect(verdict(tldrawShape('shape:t', 'text', { scale: 1e4 }))).toMatch(/scale/)
    expect(verdict(tldrawShape('shape:g', 'geo', {}, { x: 2 * DrawLimits.maxPosition }))).toMatch(/lies more than/)
    expect(verdict(card('shape:c', 'ver weg', { x: -DrawLimits.maxPosition }))).toBe('ok')
    expect(verdict(tldrawShape('shape:v', 'video', { time: 10 * max }))).toBe('ok')
  })
})

describe('rich text', () => {
  it("is read with the schema of tldraw's TipTap extensions, as its renderer does", () => {
    for (const type of ['text', 'note', 'geo', 'arrow']) {
      expect(verdict(tldrawShape('shape:t', type, { richText: toRichText('Samen aan de slag') })), type).toBe('ok')
      expect(verdict(tldrawShape('shape:t', type, { richText: { type: 'doc', content: [{ type: 'bogus' }] } })), type).toMatch(
        /text cannot be read \(Unknown node type: bogus/,
      )
    }
    const paragraph = (content: unknown[]) => ({ type: 'doc', content: [{ type: 'paragraph', content }] })
    expect(verdict(tldrawShape('shape:t', 'text', { richText: paragraph([{ type: 'text', text: '' }]) }))).toMatch(/Empty text nodes/)
    expect(verdict(tldrawShape('shape:t', 'text', { richText: paragraph([{ type: 'text', text: 'x', marks: [{ type: 'nope' }] }]) }))).toMatch(/mark type nope/)
    expect(verdict(tldrawShape('shape:t', 'text', { richText: { type: 'text', content: [] } }))).toMatch(/cannot be read/)
    // tldraw's own empty texts, in each of their spellings.
    expect(verdict(tldrawShape('shape:t', 'text', { richText: { type: 'doc', content: [] } }))).toBe('ok')
    expect(verdict(tldrawShape('shape:t', 'text', { richText: paragraph([{ type: 'text', text: 'vet', marks: [{ type: 'bold' }] }]) }))).toBe('ok')
  })
})

describe('numbers', () => {
  it('refuses NaN and infinities anywhere in a record (Yjs carries them, JSON cannot)', () => {
    expect(verdict(card('shape:c', 'x', { meta: { weight: Number.NaN } }))).toMatch(/holds NaN/)
    expect(verdict(card('shape:c', 'x', { meta: { list: [1, Number.POSITIVE_INFINITY] } }))).toMatch(/holds Infinity/)
  })
})

describe("bindings and parents, among the board's records", () => {
  const boardOf = (records: { id: string }[], before: { id: string }[] = []): BoardView => {
    const after = new Map(records.map((r) => [r.id, r]))
    const was = new Map(before.map((r) => [r.id, r]))
    return { get: (id) => after.get(id) as never, before: (id) => was.get(id) as never, bindings: () => records as never }
  }
  const among = (written: { id: string }[], all: { id: string }[], before: { id: string }[] = []) =>
    undrawableAmong(written as never, boardOf(all, before))?.reason ?? 'ok'

  it('an arrow binding binds an arrow to a shape that is no arrow, not to itself', () => {
    const arrow = tldrawShape('shape:pijl', 'arrow')
    const geo = tldrawShape('shape:vak', 'geo')
    const other = tldrawShape('shape:pijl2', 'arrow')
    const ok = arrowBinding('binding:b', 'shape:pijl', 'shape:vak')
    expect(verdict(ok)).toBe('ok')
    expect(among([ok], [arrow, geo, ok])).toBe('ok')
    expect(verdict(arrowBinding('binding:b', 'shape:pijl', 'shape:pijl'))).toMatch(/to itself/)
    // An anchor far outside its shape: tldraw draws the arrow to it (measured), so it passes.
    expect(verdict(arrowBinding('binding:b', 'shape:pijl', 'shape:vak', { normalizedAnchor: { x: 1e6, y: 0.5 }, isPrecise: true }))).toBe('ok')
    const fromGeo = arrowBinding('binding:b', 'shape:vak', 'shape:pijl2')
    expect(among([fromGeo], [arrow, geo, other, fromGeo])).toMatch(/binds a geo as if it were an arrow/)
    const toArrow = arrowBinding('binding:b', 'shape:pijl', 'shape:pijl2')
    expect(among([toArrow], [arrow, other, toArrow])).toMatch(/to another arrow/)
    // A binding whose shape is gone (deleted meanwhile) is drawn: tldraw leaves the arrow free.
    expect(among([ok], [arrow, ok])).toBe('ok')
    // A shape that turns into an arrow under a binding to it.
    const retyped = tldrawShape('shape:vak', 'arrow')
    expect(among([retyped], [arrow, retyped, ok], [geo])).toMatch(/binding binding:b then binds an arrow to another arrow/)
  })

  it("a shape's parents do not form a loop", () => {
    const group = (id: string, parentId: string) => tldrawShape(id, 'group', {}, { parentId })
    const a = group('shape:a', 'shape:b')
    const b = group('shape:b', 'shape:a')
    expect(among([a, b], [a, b])).toMatch(/parents form a loop/)
    expect(among([group('shape:c', 'shape:c')], [group('shape:c', 'shape:c')])).toMatch(/loop/)
    const inFrame = tldrawShape('shape:kaart', 'geo', {}, { parentId: 'shape:kader' })
    const frame = tldrawShape('shape:kader', 'frame')
    expect(among([inFrame], [inFrame, frame])).toBe('ok')
    expect(among([inFrame], [inFrame])).toBe('ok')
  })
})
