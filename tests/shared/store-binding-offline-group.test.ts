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
import { createShapeId, defaultShapeUtils, type TLRecord, type TLShapeId, toRichText } from 'tldraw'
import * as Y from 'yjs'
import { boardShapeUtils } from '../../client/shapes/index.ts'
import { recordsOf } from '../../shared/doc-layout.ts'
import { stable } from '../fuzz/session/checks.ts'
import { boundEditor, connect, storeVsDoc } from '../helpers/headless-editor.ts'

const shapeUtils = [...defaultShapeUtils, ...boardShapeUtils]

const person = (doc: Y.Doc) => boundEditor(doc, { shapeUtils, selectTool: true })

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
