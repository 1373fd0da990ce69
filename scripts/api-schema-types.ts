/** The text of client/api-schema.d.ts: openapi-typescript's types of the server's OpenAPI document. */
import openapiTS, { astToString } from 'openapi-typescript'
import { openApiDocument } from '../server/http/openapi-document.ts'

const HEADER =
  "/**\n * The API's types, made from its OpenAPI document by openapi-typescript: do not edit.\n * After changing a route: npm run api:types (tests/server/http/api-schema.test.ts checks it).\n */\n"

export async function apiSchemaTypes(): Promise<string> {
  const ast = await openapiTS(JSON.parse(JSON.stringify(await openApiDocument())) as Parameters<typeof openapiTS>[0])
  return HEADER + astToString(ast)
}
