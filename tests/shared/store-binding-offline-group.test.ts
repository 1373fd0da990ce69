// @vitest-environment jsdom
/**
 * The binding when tldraw's own repairs after a remote change fail: Pam groups her text with her
 * card while offline, Piet meanwhile moves the text; back online Yjs keeps Piet's move, and
 * tldraw, dissolving the group that now has one child, threw ('a3 >= a3': her group took the
 * text's page index, and Piet's text came back to the page with it). The throw rolled the whole
 * remote change back, so her store kept her version while her doc (and the server) held Piet's
 * (the session fuzzer, seed 20261203, steps 96–103). Two real Editors, each with its own Y.Doc,
 * synced in memory; going offline is holding the updates back.
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

describe('a remote change tldraw cannot follow', () => {
  it('still lands in the store: Pam groups offline what Piet moves meanwhile, and her page shows what the board holds', () => {
    // Piet's client id is the higher one: Yjs keeps his write of the text over hers.
    const [pietDoc, pamDoc] = [new Y.Doc(), new Y.Doc()]
    pietDoc.clientID = 2_000
    pamDoc.clientID = 1_000
    const link = connect(pietDoc, pamDoc)
    const piet = person(pietDoc)
    const pam = person(pamDoc)
    try {
      const text = createShapeId('text')
      const card = createShapeId('card')
      pam.editor.createShape({ id: card, type: 'experiment', x: 0, y: 0, props: { w: 100, h: 100, title: 'zorg buurt 617' } })
      pam.editor.createShape({ id: text, type: 'text', x: 200, y: 0, props: { richText: toRichText('groen vrijwilligers 704') } })
      expect(piet.editor.getShape(text)).toBeDefined()

      link.offline()
      piet.editor.updateShape({ id: text, type: 'text', x: 281, y: -87 })
      pam.editor.groupShapes([card, text])
      const group = pam.editor.getShape(text)!.parentId as TLShapeId
      expect(pam.editor.getShape(group)?.type).toBe('group')

      expect(() => link.online()).not.toThrow()

      expect(stable(recordsOf(pam.doc).toJSON())).toBe(stable(recordsOf(piet.doc).toJSON()))
      expect(recordsOf<TLRecord>(pam.doc).get(text)).toMatchObject({ parentId: 'page:page', x: 281, y: -87 })
      expect(storeVsDoc(pam)).toEqual([])
      expect(storeVsDoc(piet)).toEqual([])
      expect(pam.editor.getShape(text)).toMatchObject({ parentId: 'page:page', x: 281, y: -87 })
      expect(pam.logged.filter((m) => m.startsWith('tldraw could not follow a remote change'))).toHaveLength(1)

      // And she goes on receiving: Piet's next note reaches her page.
      const note = createShapeId('note')
      piet.editor.createShape({ id: note, type: 'note', x: 600, y: 0, props: { richText: toRichText('werk werk 101') } })
      expect(pam.editor.getShape(note)).toBeDefined()
      expect(storeVsDoc(pam)).toEqual([])
    } finally {
      piet.dispose()
      pam.dispose()
    }
  })
})
