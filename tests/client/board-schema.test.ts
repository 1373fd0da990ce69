// @vitest-environment jsdom
import '../helpers/jsdom-gaps.ts'
import { describe, expect, it } from 'vitest'
import { createTLStore, defaultBindingUtils, defaultShapeUtils } from 'tldraw'
import { createBoardSchema } from '../../shared/shapes/board-schema.ts'
import { boardShapeUtils } from '../../client/shapes/index.ts'
import { compareSchemas, type SerializedSchemaV2 } from '../../shared/schema-compat.ts'
import { buildExampleBoard } from '../../shared/format/example-board.ts'

describe('the board schema', () => {
  it("the browser's store (tldraw + our ShapeUtils) serializes exactly like the server's schema", () => {
    const store = createTLStore({ shapeUtils: [...defaultShapeUtils, ...boardShapeUtils], bindingUtils: defaultBindingUtils })
    const client = store.schema.serialize() as SerializedSchemaV2
    const server = createBoardSchema().serialize() as SerializedSchemaV2
    expect(client).toEqual(server)
    expect(compareSchemas(client, server)).toBe('same')
  })

  it('the browser store accepts every record of the example board', () => {
    const store = createTLStore({ shapeUtils: [...defaultShapeUtils, ...boardShapeUtils], bindingUtils: defaultBindingUtils })
    const { records } = buildExampleBoard('samen-aan-de-slag-2018')
    expect(() => store.mergeRemoteChanges(() => store.put(records as never))).not.toThrow()
    expect(
      store.query
        .records('shape')
        .get()
        .filter((s) => s.type === 'action-line'),
    ).toHaveLength(8)
  })
})
