import { describe, expect, it } from 'vitest'
import { compareSchemas, isSerializedSchemaV2, type SchemaCompat } from '../../shared/schema-compat.ts'

const schema = (sequences: Record<string, number>) => ({ schemaVersion: 2 as const, sequences })

describe('compareSchemas', () => {
  const table: [string, Record<string, number>, Record<string, number>, SchemaCompat][] = [
    ['identical', { a: 1, b: 2 }, { a: 1, b: 2 }, 'same'],
    ['board has a higher version', { a: 1 }, { a: 2 }, 'board-newer'],
    ['board has a sequence we do not know', { a: 1 }, { a: 1, custom: 1 }, 'board-newer'],
    ['we have a higher version', { a: 3 }, { a: 2 }, 'local-newer'],
    ['we have an extra sequence', { a: 1, b: 1 }, { a: 1 }, 'local-newer'],
    ['mixed: one newer on each side stops writing', { a: 3, b: 1 }, { a: 2, b: 2 }, 'board-newer'],
  ]
  for (const [name, local, board, expected] of table) {
    it(`${name} → ${expected}`, () => expect(compareSchemas(schema(local), schema(board))).toBe(expected))
  }

  it('recognises only v2 serialized schemas', () => {
    expect(isSerializedSchemaV2(schema({ a: 1 }))).toBe(true)
    expect(isSerializedSchemaV2({ schemaVersion: 1, storeVersion: 4, recordVersions: {} })).toBe(false)
    expect(isSerializedSchemaV2({ schemaVersion: 2, sequences: { a: 'x' } })).toBe(false)
    expect(isSerializedSchemaV2(null)).toBe(false)
  })
})
