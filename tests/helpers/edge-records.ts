/**
 * Records of every shape type a board allows (tldraw's and our cards), and arrow bindings
 * between them, with the values that break renderers: empty and single-point strokes, garbage
 * paths, lines of one point, sizes from 1e-300 to 1e300, NaN and infinities, rich text of
 * unknown nodes, loops of parents, bindings to missing or wrong shapes. For fast-check: most are
 * refused by tldraw's schema already; the property is about the ones that are not.
 */
import fc from 'fast-check'
import { b64Vecs } from '@tldraw/tlschema'
import { defaultShapeUtils, EnumStyleProp, toRichText } from 'tldraw'
import { PAGE_ID } from '../../shared/format/records.ts'
import { actionLineDefaults } from '../../shared/shapes/action-line-shape.ts'
import { contributionDefaults } from '../../shared/shapes/contribution-shape.ts'
import { eraDefaults } from '../../shared/shapes/era-shape.ts'
import { experimentDefaults } from '../../shared/shapes/experiment-shape.ts'
import { personaDefaults } from '../../shared/shapes/persona-shape.ts'
import { quoteDefaults } from '../../shared/shapes/quote-shape.ts'
import { themeCardDefaults } from '../../shared/shapes/theme-card-shape.ts'
import { arrowBinding, tldrawShape } from './tldraw-records.ts'

export const TLDRAW_TYPES = ['draw', 'highlight', 'line', 'arrow', 'geo', 'text', 'note', 'frame', 'image', 'video', 'embed', 'bookmark', 'group'] as const
const CARD_DEFAULTS: Record<string, () => object> = {
  contribution: contributionDefaults,
  'theme-card': themeCardDefaults,
  'action-line': actionLineDefaults,
  persona: personaDefaults,
  quote: quoteDefaults,
  experiment: experimentDefaults,
  era: eraDefaults,
}
export const SHAPE_TYPES = [...TLDRAW_TYPES, ...Object.keys(CARD_DEFAULTS)]

/** tldraw's enum styles per shape type (geo's 20 geos, arrow kinds, splines, arrowheads, dashes…). */
const STYLES: Record<string, Record<string, readonly string[]>> = Object.fromEntries(
  defaultShapeUtils.map((util) => [
    util.type,
    Object.fromEntries(
      Object.entries(util.props ?? {}).flatMap(([key, prop]) => (prop instanceof EnumStyleProp ? [[key, prop.values as readonly string[]]] : [])),
    ),
  ]),
)
/** Props that multiply a shape's lengths. */
const SCALES = new Set(['scale', 'scaleX', 'scaleY'])

/** Numbers at and around every edge a renderer has: zero, tiny, the limits, huge, not numbers. */
export const edgeNumber = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      0,
      -0,
      1,
      -1,
      0.5,
      2,
      20,
      100,
      1e-300,
      5e-324,
      1e3,
      65_504,
      65_520,
      99_999,
      1e5,
      100_001,
      1e6,
      1_000_001,
      1e7,
      1e12,
      3e38,
      1e300,
      -1e300,
      1e308,
      -1e308,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ),
  },
  { weight: 1, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.double({ min: -2000, max: 2000, noNaN: true }) },
)
const smallNumber = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: -500, max: 500, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: edgeNumber },
)
const point = fc.record({ x: smallNumber, y: smallNumber, z: fc.oneof({ weight: 4, arbitrary: fc.constant(0.5) }, { weight: 1, arbitrary: edgeNumber }) })

/** Points of a click: tldraw draws a dot, whose size is its stroke width times the scale. */
const dot = fc.array(fc.record({ x: fc.double({ min: 0, max: 1, noNaN: true }), y: fc.double({ min: 0, max: 1, noNaN: true }), z: fc.constant(0.5) }), {
  minLength: 1,
  maxLength: 2,
})

/** A stroke segment's path: tldraw's own encoding of 0–5 points (2D or 3D) or of a dot, cut, or not base64. */
const segment = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constantFrom('free', 'straight'), points: dot }).map(({ type, points }) => ({ type, path: b64Vecs.encodePoints(points) })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ type: fc.constantFrom('free', 'straight'), points: fc.array(point, { maxLength: 5 }), dim: fc.constantFrom(undefined, 2, 3) })
      .map(({ type, points, dim }) => ({ type, path: b64Vecs.encodePoints(points, dim as 2 | 3 | undefined), ...(dim ? { dim } : {}) })),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constantFrom('free', 'straight'),
      path: fc.constantFrom(
        '',
        'AAAA',
        '!!!!',
        '!!!!!!!!!!!!!!!!',
        'AAAAAAAA AAAAAAA',
        'AAAAAAAAAAAAAAAA=',
        'AAAAAAAAAAAAAAAAAAAAAAAA',
        'not base64 at all',
        '====',
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ points: fc.array(point, { minLength: 1, maxLength: 4 }), cut: fc.integer({ min: 1, max: 8 }) })
      .map(({ points, cut }) => ({ type: 'free', path: b64Vecs.encodePoints(points).slice(0, -cut) })),
  },
)

const indexKey = fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a0V', 'Zz')
const linePoints = fc
  .array(fc.record({ id: fc.constantFrom('p1', 'p2', 'p3', 'p4'), index: indexKey, x: smallNumber, y: smallNumber }), { maxLength: 4 })
  .map((points) => Object.fromEntries(points.map((p) => [p.id, p])))

const text = fc.string({ maxLength: 12 })
/** Rich text: tldraw's own, and what its schema's `T.unknown` content lets through. */
const richText = fc.oneof(
  { weight: 3, arbitrary: text.map(toRichText) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      { type: 'doc', content: [] },
      { type: 'doc', content: [{ type: 'paragraph' }] },
      { type: 'doc', content: [{ type: 'bogus' }] },
      { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] },
      { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'nope' }] }] }] },
      {
        type: 'doc',
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'vet', marks: [{ type: 'bold' }, { type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] },
        ],
      },
      { type: 'doc', content: [{ type: 'heading', attrs: { level: 99 }, content: [{ type: 'text', text: 'kop' }] }] },
      {
        type: 'doc',
        content: [{ type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'punt' }] }] }] }],
      },
      { type: 'doc', content: [{ type: 'text', text: 'los' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'x' }] },
      { type: 'text', content: [] },
      { type: 'doc', content: [null] },
      { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 42 }] }] },
    ),
  },
)

/** A scale: mostly 1, else at an edge (a dot at a scale of a million took 1.4 M vertices). */
const scaleNumber = fc.oneof({ weight: 2, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: edgeNumber })

/** A value like `value` (a default prop) at one of its edges. */
function edgeLike(key: string, value: unknown): fc.Arbitrary<unknown> {
  if (key === 'segments') return fc.array(segment, { maxLength: 3 })
  if (key === 'points') return linePoints
  if (key === 'richText') return richText
  if (key === 'crop')
    return fc.oneof(
      fc.constant(null),
      fc.record({ topLeft: fc.record({ x: edgeNumber, y: edgeNumber }), bottomRight: fc.record({ x: edgeNumber, y: edgeNumber }) }),
    )
  if (typeof value === 'number') return edgeNumber
  if (typeof value === 'boolean') return fc.boolean()
  if (typeof value === 'string') return fc.oneof({ weight: 6, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: text })
  if (value && typeof value === 'object') return fc.record(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, edgeLike(k, v)])))
  return fc.constant(value)
}

/** Props that make a shape what it is: always generated. */
const CONTENT = new Set(['segments', 'points', 'richText'])

/**
 * Default props of `type`, its content, its scales and every enum style always generated (any
 * style passes the schema), and up to three others at an edge (more would rarely pass it).
 */
function propsOf(type: string): fc.Arbitrary<Record<string, unknown>> {
  const defaults = (CARD_DEFAULTS[type]?.() ?? tldrawShape('shape:x', type).props) as Record<string, unknown>
  const styles = STYLES[type] ?? {}
  const keys = Object.keys(defaults)
  const always = keys.filter((k) => CONTENT.has(k) || SCALES.has(k) || k in styles)
  const others = keys.filter((k) => !always.includes(k))
  const arbitraryOf = (k: string) => (k in styles ? fc.constantFrom(...styles[k]!) : SCALES.has(k) ? scaleNumber : edgeLike(k, defaults[k]))
  return fc
    .subarray(others, { maxLength: Math.min(3, others.length) })
    .chain((changed) => fc.record(Object.fromEntries([...changed, ...always].map((k) => [k, arbitraryOf(k)]))))
    .map((edges) => ({ ...defaults, ...edges }))
}

export interface EdgeBoard {
  shapes: Record<string, unknown>[]
  bindings: Record<string, unknown>[]
}

/** 1–6 shapes of any type, parented to the page, each other or nothing, and 0–3 arrow bindings among them. */
export const edgeBoard: fc.Arbitrary<EdgeBoard> = fc.integer({ min: 1, max: 6 }).chain((n) => {
  const ids = Array.from({ length: n }, (_, i) => `shape:e${i}`)
  const target = fc.constantFrom(...ids, 'shape:weg')
  // The first two are arrows in half the boards, so that bindings have arrows to start from (and
  // to wrongly end at); strokes and lines, whose content is the most varied, come three times as
  // often as the others.
  const anyType = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('draw', 'highlight', 'line') }, { weight: 5, arbitrary: fc.constantFrom(...SHAPE_TYPES) })
  const shape = (id: string) =>
    (id === ids[0] || id === ids[1] ? fc.oneof(fc.constant('arrow'), anyType) : anyType).chain((type) =>
      fc
        .record({
          props: propsOf(type),
          x: smallNumber,
          y: smallNumber,
          // Mostly what the schema takes (an opacity of 0–1), so that the other edges reach the Editor.
          rotation: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: edgeNumber }),
          opacity: fc.oneof({ weight: 3, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }, { weight: 1, arbitrary: edgeNumber }),
          parentId: fc.oneof({ weight: 3, arbitrary: fc.constant(PAGE_ID) }, { weight: 2, arbitrary: target }),
          index: indexKey,
        })
        .map(({ props, ...fields }) => ({ ...(type in CARD_DEFAULTS ? tldrawShape(id, 'geo', {}, { type }) : tldrawShape(id, type)), ...fields, props })),
    )
  const binding = (i: number) =>
    fc
      .record({
        from: target,
        to: target,
        terminal: fc.constantFrom('start', 'end'),
        normalizedAnchor: fc.record({
          x: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), edgeNumber),
          y: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), edgeNumber),
        }),
        isExact: fc.boolean(),
        isPrecise: fc.boolean(),
      })
      .map(({ from, to, ...props }) => arrowBinding(`binding:e${i}`, from, to, props))
  return fc.record({
    shapes: fc.tuple(...ids.map(shape)),
    bindings: fc.integer({ min: 0, max: 3 }).chain((k) => fc.tuple(...Array.from({ length: k }, (_, i) => binding(i)))),
  })
})

/** A generated board's records under ids of their own (`shape:e0` → `shape:b<n>e0`), its page-level shapes moved by `offset`. */
export function placed({ shapes, bindings }: EdgeBoard, n: number, offset: { x: number; y: number }): Record<string, unknown>[] {
  const rename = (id: unknown) => (typeof id === 'string' ? id.replace(/^(shape|binding):e/, `$1:b${n}e`).replace(/^shape:weg$/, `shape:b${n}weg`) : id)
  return [
    ...shapes.map((s) => ({
      ...s,
      id: rename(s.id),
      parentId: rename(s.parentId),
      ...(s.parentId === PAGE_ID ? { x: (s.x as number) + offset.x, y: (s.y as number) + offset.y } : {}),
    })),
    ...bindings.map((b) => ({ ...b, id: rename(b.id), fromId: rename(b.fromId), toId: rename(b.toId) })),
  ]
}
