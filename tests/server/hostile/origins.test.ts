/**
 * Which pages may connect and change things (issue 20, finding 10: a WebSocket whose Origin
 * equalled its Host passed — DNS rebinding: a page at http://evil.example:<port>, its name turned
 * to 127.0.0.1, sends both). The Origin is held against the configured public origin
 * (PUBLIC_ORIGIN, and ALLOWED_ORIGINS), never against a Host the page's browser chose; without
 * PUBLIC_ORIGIN only an address a name cannot stand in for passes: localhost or an IP literal,
 * the same as the Host (npm start on a laptop, a venue's LAN by IP, a proxy on another port).
 */
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startServer, tokenFor } from '../../helpers/server.ts'

/** POST /api/boards with this Origin and Host (node:http: fetch will not send a Host of one's choice). */
function create(port: number, origin: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/api/boards', headers: { origin, host, 'content-type': 'application/json' } },
      (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      },
    )
    req.on('error', reject)
    req.end('{}')
  })
}

/** A WebSocket with this Origin and Host: 'open', or the status of the refusal. */
function connect(port: number, origin: string, host: string): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/sync/origins?token=${tokenFor('origins')}`, { origin, headers: { host } })
    ws.on('open', () => {
      ws.close()
      resolve('open')
    })
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.on('error', () => {})
  })
}

describe('origins', () => {
  it('without PUBLIC_ORIGIN: localhost and IP addresses as the Host says; a name is refused even when Host matches it', async () => {
    const { port } = await startServer()
    const cases: [string, string, 'pass' | 'refuse'][] = [
      [`http://evil.example:${port}`, `evil.example:${port}`, 'refuse'], // DNS rebinding
      [`http://bord.example.org`, 'bord.example.org', 'refuse'], // a name: set PUBLIC_ORIGIN for it
      [`http://127.0.0.1:${port}`, `127.0.0.1:${port}`, 'pass'],
      [`http://localhost:${port}`, `localhost:${port}`, 'pass'],
      [`http://[::1]:${port}`, `[::1]:${port}`, 'pass'],
      ['http://192.168.1.10:3000', '192.168.1.10:3000', 'pass'], // a venue's LAN, by address
      ['http://127.0.0.1:8080', '127.0.0.1:8080', 'pass'], // a proxy on another port that passes the Host
      ['http://10.0.0.66:3000', '192.168.1.10:3000', 'refuse'], // another site
    ]
    for (const [origin, host, expected] of cases) {
      expect({ origin, host, create: await create(port, origin, host) }).toEqual({ origin, host, create: expected === 'pass' ? 201 : 403 })
      expect({ origin, host, ws: await connect(port, origin, host) }).toEqual({ origin, host, ws: expected === 'pass' ? 'open' : 403 })
    }
  })

  it('with PUBLIC_ORIGIN: that origin and ALLOWED_ORIGINS, whatever the Host', async () => {
    const { port } = await startServer({ publicOrigin: 'https://bord.example.org', allowedOrigins: ['https://partner.example'] })
    const cases: [string, string, 'pass' | 'refuse'][] = [
      ['https://bord.example.org', `127.0.0.1:${port}`, 'pass'], // behind a proxy that sets its own Host
      ['https://bord.example.org', 'bord.example.org', 'pass'],
      ['https://partner.example', 'bord.example.org', 'pass'],
      ['http://bord.example.org', 'bord.example.org', 'refuse'], // not the scheme people open
      [`http://evil.example:${port}`, `evil.example:${port}`, 'refuse'],
    ]
    for (const [origin, host, expected] of cases) {
      expect({ origin, host, create: await create(port, origin, host) }).toEqual({ origin, host, create: expected === 'pass' ? 201 : 403 })
      expect({ origin, host, ws: await connect(port, origin, host) }).toEqual({ origin, host, ws: expected === 'pass' ? 'open' : 403 })
    }
  })
})
