/**
 * tldraw's own definition of drawable, headless: a real tldraw Editor in jsdom with tldraw's
 * ShapeUtils and ours as they are (not the board's contained ones, client/shapes/contained.ts,
 * which would hide a failure), and what the canvas asks of every shape outside React — geometry,
 * page bounds and transform, masks, handles, hit tests, culling — and its rich text as HTML.
 * Components need the whole canvas (its contexts are tldraw's own): the browser test renders
 * them (tests/e2e/undrawable.test.ts). jsdom only (import helpers/jsdom-gaps.ts before this).
 */
import {
  defaultAddFontsFromNode,
  defaultBindingUtils,
  defaultShapeUtils,
  Editor,
  createTLStore,
  renderHtmlFromRichText,
  tipTapDefaultExtensions,
  type TLRecord,
  type TLRichText,
  type TLShape,
} from 'tldraw'
import { boardShapeUtils } from '../../client/shapes/index.ts'

/** Vertices one shape may take to measure: a 100,000-unit ellipse takes ~16,000. */
export const MAX_VERTICES = 250_000

const shapeUtils = [...defaultShapeUtils, ...boardShapeUtils]

function newEditor(): Editor {
  const container = document.createElement('div')
  document.body.appendChild(container)
  const store = createTLStore({ shapeUtils, bindingUtils: defaultBindingUtils })
  return new Editor({
    store,
    shapeUtils,
    bindingUtils: defaultBindingUtils,
    tools: [],
    getContainer: () => container,
    // What <Tldraw> passes its editor (tldraw's Tldraw.tsx): without it text cannot be measured.
    options: { text: { addFontsFromNode: defaultAddFontsFromNode, tipTapConfig: { extensions: tipTapDefaultExtensions } } },
  })
}

const finite = (...values: number[]) => values.every(Number.isFinite)

/**
 * Whether a browser can decode a stroke's points. Node 24 has no Uint8Array.fromBase64, so
 * tldraw's decoder here reads any character as some number; Chromium, Firefox and Safari have it,
 * and it throws at anything outside base64. atob is the same forgiving base64 (padding optional,
 * whitespace skipped). Checked here, not by giving Node the browsers' decoder: the server's judge
 * runs in this process and must decode as the server does.
 */
function browserDecodes(shape: TLShape): string | null {
  for (const { path } of (shape.props as { segments?: { path: string }[] }).segments ?? []) {
    try {
      atob(path)
    } catch {
      return `a browser cannot decode its points (${path.slice(0, 20)})`
    }
  }
  return null
}

/** What the canvas computes for one shape outside React; throws what tldraw throws. */
function measure(editor: Editor, shape: TLShape): string | null {
  const undecodable = browserDecodes(shape)
  if (undecodable) return undecodable
  const geometry = editor.getShapeGeometry(shape)
  const vertices = geometry.getVertices({}).length
  if (vertices > MAX_VERTICES) return `${vertices} vertices`
  const bounds = editor.getShapePageBounds(shape)
  if (bounds && !finite(bounds.x, bounds.y, bounds.w, bounds.h)) return `page bounds ${JSON.stringify(bounds.toJson())}`
  editor.getShapePageTransform(shape)
  editor.getShapeMask(shape)
  editor.getShapeClipPath(shape)
  editor.getShapeMaskedPageBounds(shape)
  editor.getShapeUtil(shape).getHandles?.(shape)
  const center = bounds?.center ?? { x: shape.x, y: shape.y }
  editor.isPointInShape(shape, center, { hitInside: true, margin: 8 })
  editor.isPointInShape(shape, { x: center.x + 10_000, y: center.y }, { margin: 8 })
  return null
}

/** tldraw's own rendering of a shape's rich text to HTML (its labels and texts show this). */
function richText(editor: Editor, shape: TLShape): string | null {
  const props = shape.props as { richText?: TLRichText }
  if (props.richText) renderHtmlFromRichText(editor, props.richText)
  return null
}

/** Empties the editor's page; false if tldraw fails at that too (its state is then unknown). */
function clear(editor: Editor): boolean {
  for (const typeName of ['binding', 'shape']) {
    try {
      const ids = editor.store
        .allRecords()
        .filter((r) => r.typeName === typeName)
        .map((r) => r.id)
      editor.store.mergeRemoteChanges(() => editor.store.remove(ids))
    } catch {
      return false
    }
  }
  return true
}

/** Why tldraw cannot draw these records together (see drawProblem); a fresh editor after one it broke. */
export class TldrawProbe {
  editor = newEditor()

  problem(records: TLRecord[]): string | null {
    try {
      return drawProblem(this.editor, records)
    } finally {
      if (!clear(this.editor)) {
        this.editor.dispose()
        this.editor = newEditor()
      }
    }
  }
}

/**
 * Why tldraw cannot draw these records together (put into the store as a remote change, as the
 * board's binding does), or null.
 */
function drawProblem(editor: Editor, records: TLRecord[]): string | null {
  // tldraw walks a loop of parents forever (measured in Chromium: the page froze), which would
  // hang this test rather than fail it; so a loop is looked for first.
  const parents = new Map(records.filter((r): r is TLShape => r.typeName === 'shape').map((s) => [s.id as string, s.parentId as string]))
  for (const start of parents.keys()) {
    const seen = new Set<string>()
    for (let id: string | undefined = start; id !== undefined && parents.has(id); id = parents.get(id)) {
      if (seen.has(id)) return `${start}: its parents form a loop`
      seen.add(id)
    }
  }
  try {
    try {
      editor.store.mergeRemoteChanges(() => editor.store.put(records))
    } catch (error) {
      return `put: ${(error as Error).message}`
    }
    for (const shape of editor.store.allRecords().filter((r): r is TLShape => r.typeName === 'shape')) {
      try {
        const problem = measure(editor, shape) ?? richText(editor, shape)
        if (problem) return `${shape.id} (${shape.type}): ${problem}`
      } catch (error) {
        return `${shape.id} (${shape.type}): ${(error as Error).message}`
      }
    }
    try {
      const page = editor.getCurrentPageBounds()
      if (page && !finite(page.x, page.y, page.w, page.h)) return `page bounds ${JSON.stringify(page.toJson())}`
      editor.getRenderingShapes()
      editor.getCulledShapes()
      editor.getShapesAtPoint({ x: 0, y: 0 }, { hitInside: true })
      editor.selectAll()
      editor.getSelectionPageBounds()
      editor.selectNone()
    } catch (error) {
      return `page: ${(error as Error).message}`
    }
    return null
  } catch (error) {
    return `tldraw: ${(error as Error).message}`
  }
}
