/**
 * One rule for a visitor's address (issue 20, finding 4): fastify's request.ip — what the rate
 * limits key on, grouped as @fastify/rate-limit groups it (IPv6 by its /64) — and clientAddress(),
 * which the WebSocket upgrade counts by too, agree for every TRUST_PROXY setting; a visitor's own
 * X-Forwarded-For entries count only with `true`.
 */
import type { IncomingMessage } from 'node:http'
import { normalizeIP } from '@fastify/rate-limit'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { clientAddress, trustOf, type TrustProxy } from '../../../server/http/client-address.ts'
import { freePort, startServerProcess, tempDataDir } from '../../helpers/server.ts'

const SETTINGS: TrustProxy[] = [false, true, ['127.0.0.1'], ['10.0.0.0/8'], ['loopback'], ['10.1.1.1', '127.0.0.1'], ['::1']]
const REQUESTS: { from: string; forwarded?: string }[] = [
  { from: '127.0.0.1' },
  { from: '127.0.0.1', forwarded: '203.0.113.7' },
  { from: '127.0.0.1', forwarded: '6.6.6.6, 203.0.113.7' },
  { from: '10.1.1.1', forwarded: '6.6.6.6, 10.2.2.2, 203.0.113.7' },
  { from: '198.51.100.9', forwarded: '6.6.6.6' },
  { from: '::1', forwarded: '2001:db8::5' },
]

describe("the visitor's address", () => {
  it("is the same by fastify's request.ip and by clientAddress (the upgrade's), for every setting and header", async () => {
    for (const setting of SETTINGS) {
      const trust = trustOf(setting)
      const app = Fastify({ trustProxy: setting === false ? false : trust })
      app.get('/', async (request) => ({ ip: request.ip }))
      for (const { from, forwarded } of REQUESTS) {
        const headers = forwarded ? { 'x-forwarded-for': forwarded } : {}
        const viaFastify = (await app.inject({ url: '/', remoteAddress: from, headers })).json<{ ip: string }>().ip
        const raw = { headers, socket: { remoteAddress: from } } as unknown as IncomingMessage
        expect(clientAddress(raw, trust), `${JSON.stringify(setting)} from ${from} with ${forwarded}`).toBe(normalizeIP(viaFastify))
      }
      await app.close()
    }
  })

  it("takes the proxy's entry, not the visitor's, once TRUST_PROXY names the proxy; true takes whatever is leftmost", () => {
    const raw = (from: string, forwarded: string) =>
      ({ headers: { 'x-forwarded-for': forwarded }, socket: { remoteAddress: from } }) as unknown as IncomingMessage
    // nginx at 10.0.0.5 appending the visitor (203.0.113.7) to the visitor's forged header.
    expect(clientAddress(raw('10.0.0.5', '6.6.6.6, 203.0.113.7'), trustOf(['10.0.0.5']))).toBe('203.0.113.7')
    expect(clientAddress(raw('10.0.0.5', '6.6.6.6, 203.0.113.7'), trustOf(true))).toBe('6.6.6.6')
    // A visitor reaching the server directly, not through the proxy: its header is ignored.
    expect(clientAddress(raw('203.0.113.7', '6.6.6.6'), trustOf(['10.0.0.5']))).toBe('203.0.113.7')
    expect(clientAddress(raw('203.0.113.7', '6.6.6.6'), trustOf(false))).toBe('203.0.113.7')
    // A request whose socket already closed: one shared bucket, as the rate limit's own key would crash.
    expect(clientAddress({ headers: {}, socket: {} } as unknown as IncomingMessage, trustOf(true))).toBe('no-address')
  })

  it('a client that is not the named proxy forges X-Forwarded-For in vain: 45 creates → 30 × 201 and 15 × 429 (real server, TRUST_PROXY=10.9.9.9)', async () => {
    const port = await freePort()
    await startServerProcess(tempDataDir(), port, { TRUST_PROXY: '10.9.9.9', CREATE_PER_MINUTE: '30', LOG_LEVEL: 'warn' })
    const statuses: number[] = []
    for (let i = 0; i < 45; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/api/boards`, { method: 'POST', body: '{}', headers: { 'X-Forwarded-For': `198.51.100.${i + 1}` } })
      statuses.push(response.status)
    }
    expect({ created: statuses.filter((s) => s === 201).length, limited: statuses.filter((s) => s === 429).length }).toEqual({ created: 30, limited: 15 })
  })
})
