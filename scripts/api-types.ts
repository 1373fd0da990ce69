/**
 * Writes client/api-schema.d.ts, the browser's types of the API, from the OpenAPI document the
 * server's zod schemas make (server/http/openapi-document.ts). Run after changing a route:
 * npm run api:types. tests/server/http/api-schema.test.ts fails while the file is stale.
 */
import { writeFileSync } from 'node:fs'
import { apiSchemaTypes } from './api-schema-types.ts'

const path = new URL('../client/api-schema.d.ts', import.meta.url)
writeFileSync(path, await apiSchemaTypes())
console.log(`wrote ${path.pathname}`)
