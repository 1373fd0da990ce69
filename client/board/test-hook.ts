/**
 * Browser tests (tests/fuzz/session) compare every page's store with the server's document. They
 * set `window.__boardTest = {}` before the page loads; only then does the page hand its editor
 * over. A normal visit has no such object, so nothing is exposed.
 */
import type { Editor } from 'tldraw'

declare global {
  interface Window {
    __boardTest?: { editor?: Editor }
  }
}

export function exposeEditorForTests(editor: Editor): () => void {
  const hook = window.__boardTest
  if (!hook) return () => {}
  hook.editor = editor
  return () => {
    if (hook.editor === editor) delete hook.editor
  }
}
