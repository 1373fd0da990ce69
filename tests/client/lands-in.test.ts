// @vitest-environment jsdom
/**
 * A card lands in a private round's frame where its middle is (client/board/lands-in.ts): an
 * action line placed 20 px over the frame's left edge, lying in it, was counted outside by its
 * corner and went to everyone during the round (session fuzzer, seed 20261203, step 316).
 */
import '../helpers/jsdom-gaps.ts'
import { describe, expect, it } from 'vitest'
import { createShapeId, createTLStore, defaultBindingUtils, defaultShapeUtils, Editor, type TLShape, type TLShapeId } from 'tldraw'
import { landsIn } from '../../client/board/lands-in.ts'
import { boardShapeUtils } from '../../client/shapes/index.ts'

const shapeUtils = [...defaultShapeUtils, ...boardShapeUtils]

function editorWithFrame(): { editor: Editor; frame: TLShapeId } {
  const container = document.createElement('div')
  document.body.appendChild(container)
  const editor = new Editor({
    store: createTLStore({ shapeUtils, bindingUtils: defaultBindingUtils }),
    shapeUtils,
    bindingUtils: defaultBindingUtils,
    tools: [],
    getContainer: () => container,
  })
  const frame = createShapeId('ronde')
  editor.createShape({ id: frame, type: 'frame', x: 7960, y: 0, props: { w: 700, h: 900 } })
  return { editor, frame }
}

/** A record as the panel makes it, not in the store yet. */
function actionLineAt(editor: Editor, x: number, y: number): TLShape {
  const util = editor.getShapeUtil('action-line')
  return {
    id: createShapeId(),
    typeName: 'shape',
    type: 'action-line',
    x,
    y,
    rotation: 0,
    index: 'a5',
    parentId: editor.getCurrentPageId(),
    isLocked: false,
    opacity: 1,
    meta: {},
    props: util.getDefaultProps(),
  } as TLShape
}

describe('where a new card lands', () => {
  it('counts a card by its middle: 20 px over the left edge is in, its middle beyond the edge is out', () => {
    const { editor, frame } = editorWithFrame()
    const over = actionLineAt(editor, 7940, 600)
    expect(editor.getShapeUtil(over).getGeometry(over).bounds.w).toBeGreaterThan(100)
    expect(landsIn(editor, over, frame)).toBe(true)
    expect(landsIn(editor, actionLineAt(editor, 7960 - 300, 600), frame)).toBe(false)
    expect(landsIn(editor, actionLineAt(editor, 8100, 100), frame)).toBe(true)
  })

  it('counts a child of the frame, at any depth', () => {
    const { editor, frame } = editorWithFrame()
    const child = { ...actionLineAt(editor, -5000, -5000), parentId: frame } as TLShape
    expect(landsIn(editor, child, frame)).toBe(true)
  })
})
