// @vitest-environment jsdom
/**
 * The binding hands local changes to the doc when tldraw's store reports them: on the next
 * animation frame. A remote change that arrives before that frame (a reconnect's sync answer, a
 * busy machine's late frame) was followed by the local change written as it was before the remote
 * one: the doc took a stale record (here: a text in a group tldraw had just dissolved) while the
 * store kept the remote one. Frames run here by hand (tldraw runs them at once under NODE_ENV=test).
 */
import '../helpers/jsdom-gaps.ts'
import { describe, expect, it } from 'vitest'
import {
  createShapeId,
  createTLStore,
  defaultAddFontsFromNode,
  defaultBindingUtils,
  defaultShapeTools,
  defaultShapeUtils,
  defaultTools,
  Editor,
  tipTapDefaultExtensions,
  toRichText,
  type TLRecord,
  type TLShapeId,
} from 'tldraw'
import * as Y from 'yjs'
import { recordsOf } from '../../shared/doc-layout.ts'
import { bindStoreToDoc } from '../../shared/store-binding.ts'
import { boardShapeUtils } from '../../client/shapes/index.ts'
import { stable } from '../fuzz/session/checks.ts'

const frames: FrameRequestCallback[] = []
;(globalThis as unknown as { __FORCE_RAF_IN_TESTS__: boolean }).__FORCE_RAF_IN_TESTS__ = true
globalThis.requestAnimationFrame = (callback) => frames.push(callback)
globalThis.cancelAnimationFrame = () => {}
// tldraw flushes at most at 120 frames a second, by Date.now: each frame here is 20 ms later.
let skew = 0
const realNow = Date.now
Date.now = () => realNow() + skew
const frame = () => {
  for (let i = 0; i < 5; i++) {
    skew += 20
    for (const callback of frames.splice(0)) callback(performance.now())
  }
}

const shapeUtils = [...defaultShapeUtils, ...boardShapeUtils]

function person(doc: Y.Doc) {
  const store = createTLStore({ shapeUtils, bindingUtils: defaultBindingUtils })
  const logged: string[] = []
  const binding = bindStoreToDoc(store, doc, (message) => logged.push(message))
  const container = document.createElement('div')
  document.body.appendChild(container)
  // The select tool: tldraw groups only from it.
  const editor = new Editor({
    store,
    shapeUtils,
    bindingUtils: defaultBindingUtils,
    tools: [...defaultTools, ...defaultShapeTools],
    initialState: 'select',
    getContainer: () => container,
    options: { text: { addFontsFromNode: defaultAddFontsFromNode, tipTapConfig: { extensions: tipTapDefaultExtensions } } },
  })
  return {
    doc,
    store,
    editor,
    binding,
    logged,
    dispose: () => {
      editor.dispose()
      binding.dispose()
    },
  }
}
type Person = ReturnType<typeof person>

/** Two docs as the server would connect them; offline holds updates back until `online`. */
function connect(a: Y.Doc, b: Y.Doc) {
  let up = true
  const remote = Symbol('the other side')
  a.on('update', (update: Uint8Array, origin: unknown) => {
    if (up && origin !== remote) Y.applyUpdate(b, update, remote)
  })
  b.on('update', (update: Uint8Array, origin: unknown) => {
    if (up && origin !== remote) Y.applyUpdate(a, update, remote)
  })
  return {
    offline: () => {
      up = false
    },
    /** What y-websocket does on reconnecting: each side sends what the other lacks. */
    online: () => {
      up = true
      const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b))
      const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a))
      Y.applyUpdate(b, toB, remote)
      Y.applyUpdate(a, toA, remote)
    },
  }
}

const DOCUMENT_TYPES = new Set(['document', 'page', 'shape', 'binding', 'asset'])

/** Where a person's store and own doc disagree (empty: the store holds the doc). */
function storeVsDoc({ store, doc }: Person): string[] {
  const records = recordsOf<TLRecord>(doc)
  const out: string[] = []
  for (const record of store.allRecords()) {
    if (!DOCUMENT_TYPES.has(record.typeName)) continue
    const inDoc = records.get(record.id)
    if (!inDoc) out.push(`only in the store: ${record.id}`)
    else if (stable(inDoc) !== stable(record)) out.push(`differs: ${record.id}: store ${stable(record)} doc ${stable(inDoc)}`)
  }
  for (const [id, record] of records.entries()) if (DOCUMENT_TYPES.has(record.typeName) && !store.has(id as TLRecord['id'])) out.push(`only in the doc: ${id}`)
  return out
}

describe('a remote change between a local change and the next frame', () => {
  it('leaves the store and the doc holding the same records', () => {
    const [pietDoc, pamDoc] = [new Y.Doc(), new Y.Doc()]
    pietDoc.clientID = 1_000
    pamDoc.clientID = 2_000
    const link = connect(pietDoc, pamDoc)
    const piet = person(pietDoc)
    const pam = person(pamDoc)
    try {
      const text = createShapeId('text')
      const card = createShapeId('card')
      const other = createShapeId('other')
      pam.editor.createShape({ id: card, type: 'experiment', x: 0, y: 0, props: { w: 100, h: 100, title: 'zorg buurt 617' } })
      pam.editor.createShape({ id: other, type: 'geo', x: 400, y: 0, props: { w: 100, h: 100 } })
      pam.editor.createShape({ id: text, type: 'text', x: 200, y: 0, props: { richText: toRichText('groen vrijwilligers 704') } })
      frame()
      expect(piet.editor.getShape(text)).toBeDefined()

      link.offline()
      piet.editor.updateShape({ id: text, type: 'text', x: 281, y: -87 })
      frame()
      // Pam groups twice; the frame that hands it to her doc comes only after the reconnect.
      pam.editor.groupShapes([card, text])
      const group = pam.editor.getShape(text)!.parentId as TLShapeId
      pam.editor.groupShapes([group, other])
      link.online()
      frame()
      frame()

      expect(stable(recordsOf(pam.doc).toJSON())).toBe(stable(recordsOf(piet.doc).toJSON()))
      expect(storeVsDoc(pam)).toEqual([])
      expect(storeVsDoc(piet)).toEqual([])
      // No record on the board names a parent the board does not have.
      const records = recordsOf<TLRecord>(pam.doc)
      const orphans = [...records.values()]
        .filter((r) => r.typeName === 'shape' && r.parentId.startsWith('shape:') && !records.has(r.parentId))
        .map((r) => r.id)
      expect(orphans).toEqual([])
    } finally {
      piet.dispose()
      pam.dispose()
    }
  })
})
