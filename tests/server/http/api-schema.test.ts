/** The browser's API types are the server's: client/api-schema.d.ts is what the routes' schemas make now. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { apiSchemaTypes } from '../../../scripts/api-schema-types.ts'

describe('the API client types', () => {
  it('client/api-schema.d.ts is generated from the current OpenAPI document (npm run api:types)', async () => {
    const committed = readFileSync(new URL('../../../client/api-schema.d.ts', import.meta.url), 'utf8')
    const fresh = await apiSchemaTypes()
    // toBe on the whole text would print 6000 lines; the first differing line says what changed.
    const [a, b] = [committed.split('\n'), fresh.split('\n')]
    const first = a.findIndex((line, i) => line !== b[i])
    expect(first === -1 && a.length === b.length ? null : { line: first + 1, committed: a[first], generated: b[first] }, 'run npm run api:types').toBeNull()
  })
})
