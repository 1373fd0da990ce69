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
import { createShapeId, defaultShapeUtils, type TLRecord, type TLShapeId, toRichText } from 'tldraw'
import * as Y from 'yjs'
import { boardShapeUtils } from '../../client/shapes/index.ts'
import { recordsOf } from '../../shared/doc-layout.ts'
import { stable } from '../fuzz/session/checks.ts'
import { boundEditor, connect, storeVsDoc } from '../helpers/headless-editor.ts'

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

const person = (doc: Y.Doc) => boundEditor(doc, { shapeUtils, selectTool: true })

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
