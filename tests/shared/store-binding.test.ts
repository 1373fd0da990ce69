// @vitest-environment jsdom
/**
 * The binding, headless: two tldraw Editors in jsdom, each with its own Y.Doc and stock
 * y-websocket provider, connected through the real server.
 */
import '../helpers/jsdom-gaps.ts'
import { describe, expect, it } from 'vitest'
import { createShapeId, createTLStore, defaultBindingUtils, defaultShapeUtils, type Editor, toRichText, type TLStore } from 'tldraw'
import * as Y from 'yjs'
import { MetaKey, metaOf, recordsOf } from '../../shared/doc-layout.ts'
import { bindStoreToDoc } from '../../shared/store-binding.ts'
import { makeClient } from '../helpers/client.ts'
import { onCleanup, startServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'
import { boundEditor } from '../helpers/headless-editor.ts'

async function editorOn(wsUrl: string, board: string, role: 'facilitator' | 'viewer' = 'facilitator') {
  const client = makeClient(wsUrl, board, { role })
  await client.synced()
  const { store, editor, binding, dispose } = boundEditor(client.doc, { binding: { readOnly: role === 'viewer' } })
  onCleanup(dispose)
  return { client, store, editor, binding }
}

function addNote(editor: Editor, text: string, x = 0) {
  const id = createShapeId()
  editor.markHistoryStoppingPoint(`add ${text}`)
  editor.createShape({ id, type: 'note', x, y: 0, props: { richText: toRichText(text) } })
  return id
}

describe('tldraw store ↔ Yjs binding through the server', () => {
  it("two editors see each other's shapes, edits and deletes", async () => {
    const { wsUrl } = await startServer()
    const a = await editorOn(wsUrl, 'editors')
    const b = await editorOn(wsUrl, 'editors')

    const id = addNote(a.editor, 'Loslaten is lef hebben')
    await waitFor(() => b.editor.getShape(id) !== undefined, { what: 'note at b' })
    expect(b.editor.getShape(id)!.type).toBe('note')

    b.editor.updateShape({ id, type: 'note', x: 300 })
    await waitFor(() => a.editor.getShape(id)?.x === 300, { what: 'move at a' })

    a.editor.deleteShape(id)
    await waitFor(() => b.editor.getShape(id) === undefined, { what: 'delete at b' })
    expect(b.editor.getCurrentPageShapes()).toHaveLength(0)
  })

  it("a viewer follows the board live and writes nothing, not even tldraw's own user record", async () => {
    const server = await startServer()
    const a = await editorOn(server.wsUrl, 'kijker')
    addNote(a.editor, 'eerste')
    const viewer = await editorOn(server.wsUrl, 'kijker', 'viewer')
    await waitFor(() => viewer.editor.getCurrentPageShapes().length === 1, { what: 'the board at the viewer' })
    const before = Y.encodeStateVector(viewer.client.doc)
    viewer.store.put([viewer.store.schema.types.user!.create({ id: 'user:kijker' as never, name: 'Kijker' } as never) as never])
    viewer.editor.createShape({ id: createShapeId(), type: 'note', x: 500, y: 0 })
    expect(Y.encodeStateVector(viewer.client.doc)).toEqual(before)
    for (let i = 0; i < 5; i++) addNote(a.editor, `live ${i}`, 300 * (i + 1))
    await waitFor(() => viewer.editor.getCurrentPageShapes().filter((s) => s.type === 'note').length >= 6, { what: 'live notes at the viewer' })
    expect(viewer.client.provider.wsconnected).toBe(true)
    expect(server.log.lines.filter((l) => l.includes('closing connection'))).toEqual([])
  })

  it("a participant's tldraw user record stays in their browser; the board holds board content only", async () => {
    const server = await startServer()
    const a = await editorOn(server.wsUrl, 'persoonlijk')
    a.store.put([a.store.schema.types.user!.create({ id: 'user:anna' as never, name: 'Anna' } as never) as never])
    addNote(a.editor, 'bijdrage')
    const b = await editorOn(server.wsUrl, 'persoonlijk')
    await waitFor(() => b.editor.getCurrentPageShapes().length === 1, { what: 'the note at b' })
    const typeNames = [...a.client.records.values()].map((r) => (r as { typeName: string }).typeName)
    expect(typeNames).toContain('shape')
    expect(typeNames).not.toContain('user')
    expect(b.store.has('user:anna' as never)).toBe(false)
  })

  it('remote changes are not undoable locally; local ones are', async () => {
    const { wsUrl } = await startServer()
    const a = await editorOn(wsUrl, 'undo')
    const b = await editorOn(wsUrl, 'undo')

    const fromA = addNote(a.editor, 'van A')
    await waitFor(() => b.editor.getShape(fromA) !== undefined)
    const fromB = addNote(b.editor, 'van B', 400)
    await waitFor(() => a.editor.getShape(fromB) !== undefined)

    b.editor.undo()
    expect(b.editor.getShape(fromB)).toBeUndefined()
    b.editor.undo()
    expect(b.editor.getShape(fromA), "undo at B must not remove A's note").toBeDefined()
    await waitFor(() => a.editor.getShape(fromB) === undefined, { what: "B's undo reaching A" })
    expect(a.editor.getShape(fromA)).toBeDefined()
  })

  it("a client whose schema is older than the board's goes read-only and writes nothing", async () => {
    const { wsUrl } = await startServer()
    const a = await editorOn(wsUrl, 'schema')
    addNote(a.editor, 'bestaand')
    // A newer client has written the board: one migration sequence we do not know. (The server
    // refuses a schema newer than its own — tests/server/hostile — so that board is made here.)
    const old = { doc: new Y.Doc() }
    Y.applyUpdate(old.doc, Y.encodeStateAsUpdate(a.client.doc))
    const meta = metaOf(old.doc)
    const newer = structuredClone(meta.get(MetaKey.schema)) as { sequences: Record<string, number> }
    newer.sequences['com.example.future'] = 1
    meta.set(MetaKey.schema, newer)

    const store: TLStore = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
    const binding = bindStoreToDoc(store, old.doc)
    onCleanup(() => binding.dispose())
    expect(binding.getState()).toEqual({ kind: 'outdated', reason: 'board-schema-newer' })
    const before = Y.encodeStateVector(old.doc)
    store.put([{ ...store.schema.types.page!.create({ name: 'mag niet', index: 'a9' as never }) } as never])
    expect(Y.encodeStateVector(old.doc)).toEqual(before)
    expect([...recordsOf(old.doc).keys()].some((k) => k.startsWith('page:') && (recordsOf(old.doc).get(k) as { name: string }).name === 'mag niet')).toBe(false)
  })
})
