/**
 * Measures how a board's Y.Doc grows when one shape is moved 10,000 times,
 * once with the records in a Y.Map and once in y-utility's YKeyValue.
 * Prints the encoded document size and the time taken; the binding's doc comment
 * (shared/yjs-records.ts) records the numbers and the choice made from them.
 *
 *   npm run bench
 */
import * as Y from 'yjs'
import { YKeyValue } from 'y-utility/y-keyvalue'

const MOVES = 10_000
const OTHER_SHAPES = 200

function shape(id: string, x: number) {
  return {
    id,
    typeName: 'shape',
    type: 'note',
    x,
    y: 0,
    rotation: 0,
    index: 'a1',
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      color: 'yellow',
      size: 'm',
      font: 'draw',
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      scale: 1,
      richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Wij organiseren nabijheid' }] }] },
    },
  }
}

interface Layout {
  name: string
  make(doc: Y.Doc): (id: string, value: object) => void
}

const layouts: Layout[] = [
  {
    name: 'Y.Map',
    make: (doc) => {
      const map = doc.getMap<object>('records')
      return (id, v) => map.set(id, v)
    },
  },
  {
    name: 'YKeyValue',
    make: (doc) => {
      const kv = new YKeyValue<object>(doc.getArray('records'))
      return (id, v) => kv.set(id, v)
    },
  },
]

/** `writers` docs take turns moving the shape, each move synced to the others at once. */
function run(layout: Layout, writers: number) {
  const docs = Array.from({ length: writers }, () => new Y.Doc())
  for (const from of docs) {
    from.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'peer') return
      for (const to of docs) if (to !== from) Y.applyUpdate(to, update, 'peer')
    })
  }
  const sets = docs.map((d) => layout.make(d))
  const doc = docs[0]!
  for (let i = 0; i < OTHER_SHAPES; i++) sets[0]!(`shape:other${i}`, shape(`shape:other${i}`, i * 10))
  const before = Y.encodeStateAsUpdate(doc).byteLength
  const started = performance.now()
  for (let i = 0; i < MOVES; i++) docs[i % writers]!.transact(() => sets[i % writers]!('shape:moved', shape('shape:moved', i)))
  const ms = performance.now() - started
  const after = Y.encodeStateAsUpdate(doc).byteLength
  const loadStart = performance.now()
  Y.applyUpdate(new Y.Doc(), Y.encodeStateAsUpdate(doc))
  const loadMs = performance.now() - loadStart
  return {
    layout: layout.name,
    writers,
    bytesBefore: before,
    bytesAfter: after,
    growthPerMove: +((after - before) / MOVES).toFixed(2),
    writeMs: Math.round(ms),
    loadMs: Math.round(loadMs),
  }
}

console.log(`${OTHER_SHAPES} shapes, then one shape moved ${MOVES} times (one transaction per move)`)
console.table([1, 2, 8].flatMap((writers) => layouts.map((l) => run(l, writers))))
