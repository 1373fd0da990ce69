// @vitest-environment jsdom
/**
 * Terugzetten puts a card back where it was — without taking the board down. Found by the session
 * fuzzer (seed 17, step 117): a drawing restored into a group whose children had moved on since
 * came back with an index a sibling had; tldraw's group then threw "b00dsn >= b00dsn" on the
 * facilitator's page (reparentShapes between two equal indices).
 */
import '../helpers/jsdom-gaps.ts'
import { describe, expect, it } from 'vitest'
import { createShapeId, type TLShape } from 'tldraw'
import { restoredShape } from '../../client/board/trash-restore.ts'
import { headlessEditor } from '../helpers/headless-editor.ts'

const editor = () => headlessEditor().editor

describe('restoring a card from the trash', () => {
  it('into a group where its index is taken now: it gets a free one, and nothing throws', () => {
    const e = editor()
    const [a, b, c] = [createShapeId('a'), createShapeId('b'), createShapeId('c')]
    e.createShapes([
      { id: a, type: 'geo', x: 0, y: 0 },
      { id: b, type: 'geo', x: 300, y: 0 },
      { id: c, type: 'geo', x: 600, y: 0 },
    ])
    e.groupShapes([a, b, c])
    const deleted = e.getShape(c)! as TLShape
    e.deleteShapes([c])
    // Since then a sibling took its place in the order.
    e.updateShape({ id: b, type: 'geo', index: deleted.index })
    const back = restoredShape(e, deleted)
    expect(() => e.run(() => e.store.put([back]))).not.toThrow()
    const siblings = e.getSortedChildIdsForParent(back.parentId).map((id) => e.getShape(id)!.index)
    expect(new Set(siblings).size).toBe(siblings.length)
    expect(e.getShape(c)).toBeDefined()
  })

  it('whose frame is gone: on the page, where it was', () => {
    const e = editor()
    const shape = {
      ...(e.getShape(createShapeId('none')) ?? {}),
      id: createShapeId('x'),
      type: 'geo',
      typeName: 'shape',
      parentId: 'shape:gone',
      index: 'a1',
      x: 10,
      y: 20,
      rotation: 0,
      isLocked: false,
      opacity: 1,
      props: {},
      meta: {},
    } as unknown as TLShape
    expect(restoredShape(e, shape).parentId).toBe(e.getCurrentPageId())
  })
})
