/**
 * The HTTP side on Fastify 5: the JSON API (every route declared with its zod schema, which also
 * generates the OpenAPI document at /api/openapi.json), the built client, health, readiness and
 * metrics. Chosen over our own router for schema validation, encapsulated plugins and its
 * maintained plugins: @fastify/helmet (security headers), @fastify/rate-limit (in memory, or in
 * Redis when several processes share the limits), @fastify/compress and @fastify/static.
 */
import { randomUUID } from 'node:crypto'
import { constants as zlib } from 'node:zlib'
import fastifyCompress from '@fastify/compress'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifySwagger from '@fastify/swagger'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify'
import FindMyWay, { type HTTPMethod } from 'find-my-way'
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import type { Redis } from 'ioredis'
import { z } from 'zod'
import { parseBoardId } from '../../shared/board-id.ts'
import { TldrError } from '../../shared/tldr-file.ts'
import { DEFAULTS } from '../config.ts'
import { HttpError } from './http-error.ts'
import { clientAddress, trustOf, type TrustProxy } from './client-address.ts'
import { isStorageFull } from '../storage/storage.ts'
import type { ServerMetrics } from '../metrics.ts'
import { createAuth, credentialOf, type ApiContext } from './context.ts'
import { archiveRoutes } from './routes/archive.ts'
import { boardRoutes } from './routes/boards.ts'
import { snapshotRoutes } from './routes/snapshots.ts'
import { voteRoutes } from './routes/votes.ts'
import { facilitatorNoteRoutes } from './routes/facilitator-notes.ts'
import { programmeRoutes } from './routes/programmes.ts'
import { clientErrorRoutes } from './routes/client-errors.ts'
import { registerStatic } from './static.ts'
import { contentSecurityPolicy } from './security.ts'
import { errors, fileResponse, SECURITY_SCHEMES } from './schemas.ts'

/** JSON bodies of the API; the import has its own limit (MAX_TLDR_BYTES). */
export const MAX_JSON_BODY_BYTES = 64 * 1024

export interface HttpLimits {
  /** Boards made per client address per minute (creating and forking). */
  createPerMinute: number
  /** .tldr imports per client address per minute. */
  importPerMinute: number
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { createPerMinute: DEFAULTS.createPerMinute, importPerMinute: DEFAULTS.importPerMinute }

export interface HttpAppOptions extends ApiContext {
  metrics: ServerMetrics
  limits: HttpLimits
  /** Folder of the built client; omitted in tests that need no pages. */
  staticDir?: string
  /** Shares rate-limit counters between processes. */
  redis?: Redis
  redisPrefix?: string
  /** Bearer token that opens GET /metrics; without one the endpoint answers 404. */
  metricsToken?: string
  /** Whose X-Forwarded-For entries give client addresses (server/http/client-address.ts). */
  trustProxy?: TrustProxy
  /** Whether a page of this Origin (with this Host) may change things (server/http/origins.ts). */
  originAllowed: (origin: string | undefined, host: string | undefined) => boolean
  /** Whether the server accepts traffic (false while draining before a shutdown). */
  isReady(): Promise<{ ready: true } | { ready: false; reason: string }>
  live(): Record<string, unknown>
}

/**
 * The document without the schemas nothing refers to: the type provider adds an `…Input` twin of
 * every named schema, and only responses use ours.
 */
function withoutUnusedSchemas<T extends object>(document: T): T {
  const { components, ...rest } = document as { components?: { schemas?: Record<string, unknown> } }
  const schemas = components?.schemas
  if (!schemas) return document
  const refs = (value: unknown) => [...JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!)
  const used = new Set(refs(rest))
  for (const name of used) for (const inner of refs(schemas[name])) used.add(inner)
  return { ...document, components: { ...components, schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name))) } }
}

/** Request ids: the caller's X-Request-Id when it is a plain token, else a fresh one. */
function requestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID()
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** A URL path that climbs out of its folder (`..`, also encoded), or carries a NUL or a backslash. */
function isTraversal(url: string): boolean {
  const path = url.split('?')[0]!
  let decoded: string
  try {
    decoded = decodeURIComponent(path)
  } catch {
    return true
  }
  return decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')
}

export async function createHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const { log, metrics, limits } = options
  const trust = trustOf(options.trustProxy ?? false)
  const app = Fastify({
    loggerInstance: log.pino.child({ component: 'http' }) as FastifyBaseLogger,
    // Our onResponse hook writes one line per request (without the query string, where tokens are).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => requestId(req.headers['x-request-id']),
    bodyLimit: MAX_JSON_BODY_BYTES,
    // The rule the WebSocket upgrade uses too (clientAddress): one function, from one setting.
    trustProxy: options.trustProxy ? trust : false,
    // Undecodable URLs and the like are answered 400 in our error shape, never thrown.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      void reply.code(error.statusCode ?? 400).send({ error: `bad request: ${error.message}` })
    },
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  // The API speaks JSON whatever the Content-Type says (a bare fetch sends text/plain); an empty
  // body is an empty object.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body).trim()
    if (text === '') return done(null, {})
    try {
      done(null, JSON.parse(text))
    } catch {
      done(new HttpError(400, 'request body is not valid JSON'), undefined)
    }
  })

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const message = error.validation
        .map((v) => (v.instancePath.length > 1 ? `${v.instancePath.slice(1).replaceAll('/', '.')}: ${v.message}` : v.message))
        .join('; ')
      return reply.code(400).send({ error: message })
    }
    if (error instanceof HttpError) return reply.code(error.status).send({ error: error.message })
    if (error instanceof TldrError) return reply.code(400).send({ error: error.message })
    if (isStorageFull(error)) {
      request.log.error({ error }, 'storage is full')
      return reply.code(507).send({ error: "the server's storage is full: nothing was saved; tell the person who runs the server" })
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ error: `request body larger than ${request.routeOptions.bodyLimit} bytes` })
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) return reply.code(status).send({ error: error.message })
    request.log.error({ error }, 'request failed')
    return reply.code(500).send({ error: 'internal server error' })
  })

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
    if (isTraversal(request.url)) throw new HttpError(400, 'bad request: the path may not contain "..", backslashes or NUL')
    if (!SAFE_METHODS.has(request.method) && !options.originAllowed(request.headers.origin, request.headers.host)) {
      throw new HttpError(403, `requests from ${String(request.headers.origin).slice(0, 100)} are not allowed here (PUBLIC_ORIGIN, ALLOWED_ORIGINS)`)
    }
  })
  // A deleted board is gone for whoever holds its link, on every route of it (a stale links page
  // answered 200 after the delete): 410 before the body is judged. Only a valid token costs the lookup.
  const gone = async (raw: unknown, credential: string | null): Promise<boolean> => {
    const id = typeof raw === 'string' ? parseBoardId(raw) : null
    return id !== null && options.tokens.verify(credential, id).ok && (await options.storage.catalogue.isDeleted(id))
  }
  app.addHook('preValidation', async (request) => {
    const params = request.params as { id?: unknown; board?: unknown } | undefined
    if (!request.url.startsWith('/api/boards/')) return
    if (await gone(params?.id ?? params?.board, credentialOf(request))) throw new HttpError(410, 'this board was deleted by a facilitator')
  })
  // Every log line of a board's request names the board.
  app.addHook('preHandler', async (request) => {
    const id = (request.params as { id?: unknown } | undefined)?.id
    if (typeof id === 'string') request.log = request.log.child({ board: id })
  })
  app.addHook('onResponse', async (request, reply) => {
    metrics.request(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000)
    // One line per request, without the query string: tokens travel there.
    const path = request.url.split('?')[0]!
    const quiet = path.startsWith('/assets/') || path === '/healthz' || path === '/readyz' || path === '/metrics'
    request.log[reply.statusCode >= 500 ? 'warn' : quiet ? 'debug' : 'info'](
      { method: request.method, path: path.slice(0, 300), status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    )
  })

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy() },
    // Cross-origin isolation would break nothing we use, but also protects nothing here; the
    // referrer policy keeps the tokens in our URLs from leaking to other sites.
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    // Plain HTTP on a venue's LAN is a supported way to run a session: no HSTS by default.
    strictTransportSecurity: false,
  })
  await app.register(fastifyCompress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    // Brotli's default quality (11) costs ~50× the CPU of quality 4 for a few % on live JSON.
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  })
  await app.register(fastifyRateLimit, {
    global: false,
    ...(options.redis ? { redis: options.redis, nameSpace: `${options.redisPrefix ?? ''}rate-limit-` } : {}),
    // A rate-limit store that is down must not stop a conference from making its board.
    skipOnError: true,
    // The address the WebSockets per address count by too. (The plugin's own key crashed on a
    // request whose socket already closed: such requests share one bucket.)
    keyGenerator: (request) => clientAddress(request.raw, trust),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `too many requests from your address (at most ${context.max} a minute): try again in ${context.after}`,
    }),
  })
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Samen aan de slag — board API',
        version: '1.0.0',
        description: 'The HTTP API of the live co-creation board. Tokens: `Authorization: Bearer <token>` or `?token=`.',
      },
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    transform: jsonSchemaTransform,
    // Schemas with a `.meta({ id })` (server/http/schemas.ts) become components/schemas, referenced by $ref.
    transformObject: (document) => withoutUnusedSchemas(jsonSchemaTransformObject(document)),
  })

  // 405 (with Allow) for a path that exists under other methods: a second find-my-way router (the
  // one Fastify is built on) fed with every route, asked only when Fastify found none.
  const known = FindMyWay()
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD' && !known.hasRoute(method as HTTPMethod, route.url)) known.on(method as HTTPMethod, route.url, () => {})
  })

  const auth = createAuth(options.tokens)
  const createLimit = { max: limits.createPerMinute, timeWindow: 60_000, groupId: 'create-board' }
  await app.register(boardRoutes, { ctx: options, auth, createLimit })
  await app.register(voteRoutes, { ctx: options, auth })
  await app.register(facilitatorNoteRoutes, { ctx: options, auth })
  await app.register(snapshotRoutes, { ctx: options, auth, createLimit })
  await app.register(programmeRoutes, { ctx: options, createLimit: { ...createLimit, groupId: 'create-programme' } })
  await app.register(archiveRoutes, { ctx: options, auth, importLimit: { max: limits.importPerMinute, timeWindow: 60_000 } })
  await app.register(clientErrorRoutes)

  app.get(
    '/api/openapi.json',
    { schema: { summary: 'This document', tags: ['operations'], operationId: 'getOpenApi', response: { 200: z.looseObject({ openapi: z.string() }) } } },
    async () => app.swagger() as { openapi: string },
  )

  app.get(
    '/healthz',
    { schema: { summary: 'The process is alive', tags: ['operations'], operationId: 'getHealth', response: { 200: z.looseObject({ ok: z.literal(true) }) } } },
    async () => ({ ok: true as const, ...options.live() }),
  )
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Storage answers and the server accepts traffic (503 while draining)',
        tags: ['operations'],
        operationId: 'getReady',
        response: { 200: z.object({ ready: z.literal(true) }), ...errors(503) },
      },
    },
    async (_request, reply) => {
      const state = await options.isReady()
      return state.ready ? { ready: true as const } : reply.code(503).send({ error: `not ready: ${state.reason}` })
    },
  )
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics (Bearer METRICS_TOKEN)',
        tags: ['operations'],
        operationId: 'getMetrics',
        security: [{ bearer: [] }],
        response: { 200: fileResponse('text/plain', 'Prometheus text format'), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      if (!options.metricsToken) throw new HttpError(404, 'metrics are off: set METRICS_TOKEN to turn them on')
      const given = credentialOf(request)
      if (given !== options.metricsToken) throw new HttpError(given ? 403 : 401, 'metrics need the METRICS_TOKEN as a bearer token')
      return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics())
    },
  )

  const serveIndex = options.staticDir ? await registerStatic(app, options.staticDir) : undefined

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0]!
    const allowed = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => known.find(m as HTTPMethod, path))
    const method = request.method === 'HEAD' ? 'GET' : request.method
    if (allowed.length > 0 && !allowed.includes(method))
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .send({ error: `use ${allowed.join(' or ')} here` })
    if (serveIndex && (request.method === 'GET' || request.method === 'HEAD') && !path.startsWith('/api/')) {
      // The page of a deleted board says so (the client reads the 410 of its board's API call).
      const board = /^\/b\/([^/]+)$/.exec(path)?.[1]
      if (board !== undefined && (await gone(board, credentialOf(request)))) reply.code(410)
      return serveIndex(request, reply)
    }
    return reply.code(404).send({ error: path.startsWith('/api/') ? `no API route ${request.method} ${path}` : 'not found' })
  })

  return app
}
