/** What an operator relies on: headers, request ids in logs, metrics, readiness, the OpenAPI document, rate limits. */
import { readFileSync } from 'node:fs'
import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCode } from '../../../shared/protocol.ts'
import { makeClient, openRaw } from '../../helpers/client.ts'
import { testRedis } from '../../helpers/redis.ts'
import { freePort, startServer, startServerProcess, tempDataDir, tokenFor } from '../../helpers/server.ts'
import { waitFor } from '../../helpers/wait.ts'
import { card } from '../../helpers/records.ts'

const METRICS_TOKEN = 'metrics-token-for-tests-0123'

/** Prometheus text format → samples by `name{labels}`; throws on a line that is not the format. */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/i.exec(line)
    if (!match) throw new Error(`not Prometheus text: ${line}`)
    samples.set(match[1]!, Number(match[2]))
  }
  return samples
}

async function metricsOf(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  return parsePrometheus(await res.text())
}

const createBoard = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' })

describe('operations', () => {
  it('sends security headers on pages and API answers', async () => {
    const { url } = await startServer({ staticDir: 'dist' })
    for (const path of ['/', '/b/abcdefgh', '/api/templates', '/api/nothing']) {
      const res = await fetch(url + path)
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp, path).toContain("default-src 'self'")
      expect(csp, path).toContain("frame-ancestors 'none'")
      expect(csp, path).toContain("script-src 'self'")
      expect(csp, path).not.toMatch(/https?:/)
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer')
      expect(res.headers.get('x-frame-options'), path).toBe('DENY')
    }
  })

  it('logs one JSON line per request with its request id and board, and never the token', async () => {
    const server = await startServer()
    const token = tokenFor('abcdefgh', 'viewer')
    const res = await fetch(`${server.url}/api/boards/abcdefgh?token=${token}`, { headers: { 'x-request-id': 'trace-42' } })
    expect(res.status).toBe(404)
    expect(res.headers.get('x-request-id')).toBe('trace-42')
    await waitFor(() => server.log.records.some((r) => r.reqId === 'trace-42' && r.msg === 'request'), { what: 'the request log line' })
    const line = server.log.records.find((r) => r.reqId === 'trace-42' && r.msg === 'request')!
    expect(line).toMatchObject({ board: 'abcdefgh', method: 'GET', path: '/api/boards/abcdefgh', status: 404 })
    expect(JSON.stringify(server.log.records)).not.toContain(token)
    // A request id that is not a plain token is replaced, not logged.
    const odd = await fetch(`${server.url}/api/time`, { headers: { 'x-request-id': 'a b\u00e9"}' } })
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('serves Prometheus metrics behind the token; the counters move with connections, writes and refusals', async () => {
    const server = await startServer({ metricsToken: METRICS_TOKEN })
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401)
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(403)
    const before = await metricsOf(server.url)
    expect(before.get('board_connections')).toBe(0)
    expect(before.has('nodejs_eventloop_lag_p99_seconds')).toBe(true)

    const writer = makeClient(server.wsUrl, 'metrics1')
    await writer.synced()
    writer.records.set('shape:a', card('shape:a', 'een kaart'))
    const viewer = await openRaw(`${server.wsUrl}/metrics1`, 'viewer')
    const update = new Y.Doc()
    update.getMap('records').set('shape:x', card('shape:x', 'graffiti'))
    const state = Y.encodeStateAsUpdate(update)
    viewer.ws.send(new Uint8Array([0, 2, ...encodeLength(state.length), ...state]))
    expect((await viewer.closed).code).toBe(CloseCode.forbidden)

    await waitFor(async () => ((await metricsOf(server.url)).get('board_update_apply_seconds_count') ?? 0) >= 1, { what: 'an applied update in the metrics' })
    const after = await metricsOf(server.url)
    expect(after.get('board_connections')).toBe(1)
    expect(after.get('board_rooms_loaded')).toBe(1)
    expect(after.get('board_ws_messages_total{direction="in"}')).toBeGreaterThan(before.get('board_ws_messages_total{direction="in"}') ?? 0)
    expect(after.get('board_ws_bytes_total{direction="out"}')).toBeGreaterThan(0)
    expect(after.get(`board_refusals_total{code="${CloseCode.forbidden}"}`)).toBe(1)
    await waitFor(async () => ((await metricsOf(server.url)).get('board_storage_write_seconds_count{op="append"}') ?? 0) >= 1, {
      what: 'a storage write in the metrics',
    })
    expect((await metricsOf(server.url)).get('http_requests_total{method="GET",route="/metrics",status="200"}')).toBeGreaterThan(0)
  })

  it('has no metrics without a METRICS_TOKEN', async () => {
    const { url } = await startServer()
    const res = await fetch(`${url}/metrics`)
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: string }).error).toMatch(/METRICS_TOKEN/)
  })

  it('is ready while storage answers, and answers /readyz 503 once draining while /healthz stays 200', async () => {
    const server = await startServer()
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ ready: true })
    server.server.drain()
    const res = await fetch(`${server.url}/readyz`)
    expect(res.status).toBe(503)
    expect(((await res.json()) as { error: string }).error).toMatch(/shutting down/)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  it('on SIGTERM answers /readyz 503 during DRAIN_SECONDS, then exits 0', async () => {
    const port = await freePort()
    const proc = await startServerProcess(tempDataDir(), port, { DRAIN_SECONDS: '2' })
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200)
    proc.child.kill('SIGTERM')
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 503, { what: '/readyz to answer 503' })
    expect((await proc.exited).code).toBe(0)
  })

  it('publishes an OpenAPI document that validates and lists every route of the README table', async () => {
    const { url } = await startServer()
    const doc = (await (await fetch(`${url}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> }
    const result = await new Validator().validate(doc as never)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    const readme = readFileSync('README.md', 'utf8')
    const table = readme.slice(readme.indexOf('## HTTP API'), readme.indexOf('"(token)" means'))
    const routes = [...table.matchAll(/^\| `(GET|POST|PUT|DELETE) ([^` ?]+)/gm)].map(
      ([, method, path]) => [method!, path!.replace(/<(\w+)>/g, '{$1}')] as const,
    )
    expect(routes.length).toBeGreaterThan(20)
    for (const [method, path] of routes) {
      expect(doc.paths[path]?.[method.toLowerCase()], `${method} ${path} in the OpenAPI document`).toBeDefined()
    }
  })

  it('limits board creation per address with 429 and Retry-After', async () => {
    const { url } = await startServer({ limits: { createPerMinute: 3 } })
    for (let i = 0; i < 3; i++) expect((await createBoard(url)).status).toBe(201)
    const refused = await createBoard(url)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await refused.json()) as { error: string }).error).toMatch(/too many requests.*at most 3 a minute/)
    // Reading is not limited.
    expect((await fetch(`${url}/api/templates`)).status).toBe(200)
  })

  it('shares the limits between two servers through Redis', async () => {
    const { redis, prefix } = await testRedis()
    const a = await startServer({ limits: { createPerMinute: 4 }, redis, redisPrefix: prefix })
    const b = await startServer({ limits: { createPerMinute: 4 }, redis, redisPrefix: prefix })
    expect((await createBoard(a.url)).status).toBe(201)
    expect((await createBoard(b.url)).status).toBe(201)
    expect((await createBoard(a.url)).status).toBe(201)
    expect((await createBoard(b.url)).status).toBe(201)
    expect((await createBoard(a.url)).status).toBe(429)
    expect((await createBoard(b.url)).status).toBe(429)
    expect((await redis.keys(`${prefix}*`)).length).toBeGreaterThan(0)
  })
})

function encodeLength(n: number): number[] {
  const bytes: number[] = []
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80)
    n >>>= 7
  }
  bytes.push(n)
  return bytes
}
