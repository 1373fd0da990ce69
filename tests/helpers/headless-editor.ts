/**
 * A real tldraw Editor in jsdom (the test file imports ./jsdom-gaps.ts and runs under the jsdom
 * environment), optionally bound to a Y.Doc as the board binds it (shared/store-binding.ts); and two
 * such docs synced in memory as the server would sync them, with going offline as holding the
 * updates back.
 */
import {
  createTLStore,
  defaultAddFontsFromNode,
  defaultBindingUtils,
  defaultShapeTools,
  defaultShapeUtils,
  defaultTools,
  Editor,
  tipTapDefaultExtensions,
  type TLAnyShapeUtilConstructor,
  type TLRecord,
} from 'tldraw'
import * as Y from 'yjs'
import { recordsOf } from '../../shared/doc-layout.ts'
import { type BindingOptions, bindStoreToDoc } from '../../shared/store-binding.ts'
import { stable } from '../fuzz/session/checks.ts'

export interface HeadlessEditorOptions {
  /** tldraw's default shapes unless given. */
  shapeUtils?: readonly TLAnyShapeUtilConstructor[]
  /** The default tools with the select tool on (tldraw groups only from it); none unless set. */
  selectTool?: boolean
}

export function headlessEditor({ shapeUtils = defaultShapeUtils, selectTool = false }: HeadlessEditorOptions = {}) {
  const store = createTLStore({ shapeUtils, bindingUtils: defaultBindingUtils })
  const container = document.createElement('div')
  document.body.appendChild(container)
  const editor = new Editor({
    store,
    shapeUtils,
    bindingUtils: defaultBindingUtils,
    tools: selectTool ? [...defaultTools, ...defaultShapeTools] : [],
    ...(selectTool ? { initialState: 'select' } : {}),
    getContainer: () => container,
    options: { text: { addFontsFromNode: defaultAddFontsFromNode, tipTapConfig: { extensions: tipTapDefaultExtensions } } },
  })
  return { store, editor, container }
}

/** An editor whose store is bound to `doc`; what the binding logs is kept in `logged`. */
export function boundEditor(doc: Y.Doc, options: HeadlessEditorOptions & { binding?: BindingOptions } = {}) {
  const { store, editor } = headlessEditor(options)
  const logged: string[] = []
  const binding = bindStoreToDoc(store, doc, (message) => logged.push(message), options.binding)
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
export type BoundEditor = ReturnType<typeof boundEditor>

/** Two docs as the server would connect them; offline holds updates back until `online`. */
export function connect(a: Y.Doc, b: Y.Doc) {
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

/** Where an editor's store and its own doc disagree (empty: the store holds the doc). */
export function storeVsDoc({ store, doc }: Pick<BoundEditor, 'store' | 'doc'>): string[] {
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
