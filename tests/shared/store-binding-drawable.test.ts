// @vitest-environment jsdom
/**
 * A board may hold records tldraw cannot draw, stored before the server refused them (issue 19,
 * finding 2): the binding keeps them out of the browser's store, with a warning, and leaves the
 * doc as it is.
 */
import '../helpers/jsdom-gaps.ts'
import { describe, expect, it } from 'vitest'
import { createTLStore, defaultBindingUtils, defaultShapeUtils } from 'tldraw'
import * as Y from 'yjs'
import { MetaKey, metaOf, recordsOf } from '../../shared/doc-layout.ts'
import { pageRecord } from '../../shared/format/records.ts'
import { createBoardSchema } from '../../shared/shapes/board-schema.ts'
import { bindStoreToDoc } from '../../shared/store-binding.ts'
import { boardShapeUtils } from '../../client/shapes/index.ts'
import { card, drawing } from '../helpers/records.ts'

const group = (id: string, parentId: string) => ({
  id,
  typeName: 'shape',
  type: 'group',
  x: 0,
  y: 0,
  rotation: 0,
  index: 'a1',
  parentId,
  isLocked: false,
  opacity: 1,
  meta: {},
  props: {},
})

function boardDoc(records: { id: string }[]): Y.Doc {
  const doc = new Y.Doc()
  doc.transact(() => {
    metaOf(doc).set(MetaKey.schema, createBoardSchema().serialize())
    for (const record of records) recordsOf(doc).set(record.id, record)
  })
  return doc
}

function bound(doc: Y.Doc) {
  const store = createTLStore({ shapeUtils: [...defaultShapeUtils, ...boardShapeUtils], bindingUtils: defaultBindingUtils })
  const warnings: string[] = []
  const binding = bindStoreToDoc(store, doc, (message) => warnings.push(message))
  return { store, warnings, binding }
}

describe('records tldraw cannot draw, already on a board', () => {
  it('stay out of the store with a warning each; the rest loads and the doc keeps them', () => {
    const doc = boardDoc([
      pageRecord('Pagina'),
      card('shape:kaart', 'Blijft staan'),
      drawing('shape:leeg', []),
      group('shape:kring-a', 'shape:kring-b'),
      group('shape:kring-b', 'shape:kring-a'),
    ])
    const before = JSON.stringify(recordsOf(doc).toJSON())
    const { store, warnings } = bound(doc)

    expect(store.has('shape:kaart' as never)).toBe(true)
    expect(store.has('shape:leeg' as never)).toBe(false)
    // Of a loop one shape stays out, which ends it.
    expect(['shape:kring-a', 'shape:kring-b'].filter((id) => store.has(id as never))).toHaveLength(1)
    expect(warnings.find((w) => w.includes('shape:leeg'))).toMatch(/without points/)
    expect(warnings.find((w) => w.includes('shape:kring'))).toMatch(/loop/)
    expect(JSON.stringify(recordsOf(doc).toJSON())).toBe(before)
  })

  it('a remote change that makes a shape undrawable takes it out of the store; a drawable one brings it back', () => {
    const doc = boardDoc([
      pageRecord('Pagina'),
      drawing('shape:streep', [
        [
          { x: 0, y: 0 },
          { x: 30, y: 10 },
        ],
      ]),
    ])
    const { store, warnings } = bound(doc)
    expect(store.has('shape:streep' as never)).toBe(true)

    const remote = new Y.Doc()
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc))
    const send = (change: () => void) => {
      const sv = Y.encodeStateVector(remote)
      remote.transact(change)
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, sv))
    }
    send(() => recordsOf(remote).set('shape:streep', drawing('shape:streep', [])))
    expect(store.has('shape:streep' as never)).toBe(false)
    expect(warnings.some((w) => w.includes('shape:streep'))).toBe(true)

    send(() => recordsOf(remote).set('shape:streep', drawing('shape:streep', [[{ x: 5, y: 5 }]])))
    expect(store.has('shape:streep' as never)).toBe(true)
  })
})
