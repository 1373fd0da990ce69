/**
 * The OpenAPI document without a running server: the app is built with services that are never
 * called (routes only reach them when a request comes) and asked for its document. `npm run
 * api:types` turns it into client/api-schema.d.ts; tests/server/http/api-schema.test.ts checks
 * that the committed file is the one the routes make now.
 */
import type { OpenAPIV3 } from 'openapi-types'
import { createMemoryLogger } from '../log.ts'
import { createMetrics } from '../metrics.ts'
import { createTokens } from '../policy/tokens.ts'
import { createHttpApp, DEFAULT_HTTP_LIMITS } from './app.ts'
import type { ApiContext } from './context.ts'

export async function openApiDocument(): Promise<OpenAPIV3.Document> {
  const unused = new Proxy(
    {},
    {
      get: () => {
        throw new Error('openApiDocument: no service is called while the document is made')
      },
    },
  )
  const app = await createHttpApp({
    ...(unused as ApiContext),
    tokens: createTokens('openapi-document-secret-never-signs-a-thing'),
    log: createMemoryLogger(),
    metrics: createMetrics(() => ({ boards: 0, connections: 0 })),
    limits: DEFAULT_HTTP_LIMITS,
    originAllowed: () => true,
    isReady: async () => ({ ready: true }),
    live: () => ({}),
  })
  await app.ready()
  const document = app.swagger() as OpenAPIV3.Document
  await app.close()
  return document
}
