/**
 * Browser tests (tests/fuzz/session) compare every page's store with the server's document. They
 * set `window.__boardTest = {}` before the page loads; only then does the page hand its editor
 * over. A normal visit has no such object, so nothing is exposed.
 */
import type { Editor } from 'tldraw'
import type * as Y from 'yjs'

declare global {
  interface Window {
    /** `doc`: the page's own copy of the board, so a test can tell a store that left its doc from a doc that left the server. */
    __boardTest?: { editor?: Editor; doc?: Y.Doc }
  }
}

export function exposeEditorForTests(editor: Editor, doc: Y.Doc): () => void {
  const hook = window.__boardTest
  if (!hook) return () => {}
  hook.editor = editor
  hook.doc = doc
  return () => {
    if (hook.editor === editor) {
      delete hook.editor
      delete hook.doc
    }
  }
}
