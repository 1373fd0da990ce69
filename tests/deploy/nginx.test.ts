/**
 * deploy/nginx.conf — the very file the README gives — in front of two real server processes
 * (PostgreSQL + Redis), through the things that broke it in issue 20: two crashes after a quiet
 * spell (finding 3), a forged X-Forwarded-For, tokens in the access log, HSTS (finding 4).
 */
import { request } from 'node:https'
import { describe, expect, it } from 'vitest'
import { startCluster } from '../helpers/cluster.ts'
import { makeClient, type TestClient } from '../helpers/client.ts'
import { startNginx } from '../helpers/nginx.ts'
import { tokenFor } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

async function createBoard(url: string): Promise<{ id: string; links: Record<string, string> }> {
  const created = await fetch(`${url}/api/boards`, { method: 'POST', body: '{}' })
  expect(created.status).toBe(201)
  return (await created.json()) as { id: string; links: Record<string, string> }
}

/** When each client that loses its connection during `action` is synced again (ms after `action` began). */
async function reconnects(clients: TestClient[], action: () => Promise<void>): Promise<{ lost: Set<number>; back: Map<number, number> }> {
  const lost = new Set<number>()
  const back = new Map<number, number>()
  const started = Date.now()
  clients.forEach((client, i) => {
    client.provider.on('status', ({ status }: { status: string }) => {
      if (status === 'disconnected') lost.add(i)
    })
    client.provider.on('sync', (synced: boolean) => {
      if (synced && lost.has(i) && !back.has(i)) back.set(i, Date.now() - started)
    })
  })
  await action()
  return { lost, back }
}

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length

describe('deploy/nginx.conf in front of two processes', () => {
  it('one process crashes and comes back, nothing but open WebSockets for a while, then the other crashes: every browser is back within seconds (finding 3)', async () => {
    const cluster = await startCluster(2)
    const nginx = await startNginx(cluster.nodes.map((n) => n.port))
    const board = await createBoard(nginx.url)
    const wsUrl = `ws://127.0.0.1:${nginx.port}/sync`
    const clients = Array.from({ length: 12 }, () => makeClient(wsUrl, board.id, { role: 'participant' }))
    await waitFor(() => clients.every((c) => c.provider.synced), { what: 'every client synced through nginx' })

    // First crash: A's people reconnect; nginx's connects to A are refused (A counted as failed).
    const first = await reconnects(clients, () => cluster.kill(0))
    await waitFor(() => first.lost.size > 0 && first.back.size === first.lost.size && clients.every((c) => c.provider.synced), {
      what: "A's people back on B",
      timeout: 15_000,
    })
    await cluster.restart(0)
    // The quiet spell of the soak (60 s there) is what the finding needs: no request through nginx
    // that ends (a GET) after A's fail_timeout (nginx's default 10 s) is over. 12 s is past it and
    // the mechanism is the same as with 60 s — it depends on no request ending, not on how long.
    await new Promise((resolve) => setTimeout(resolve, 12_000))

    const second = await reconnects(clients, () => cluster.kill(1))
    const BOUND_MS = 10_000
    await waitFor(() => second.back.size === clients.length, { what: 'everyone back on A', timeout: BOUND_MS }).catch(() => {})
    const times = [...second.back.values()].sort((a, b) => a - b)
    const errors = nginx.errorLog()
    console.log(
      `nginx failover after the second crash: ${second.back.size} of ${clients.length} back within ${BOUND_MS} ms; ` +
        `median ${times[times.length >> 1] ?? '-'} ms, last ${times.at(-1) ?? '-'} ms; error log: ${count(errors, /no live upstreams/g)} × "no live upstreams", ` +
        `${count(errors, /Connection refused/g)} × refused (${count(errors, /token=/g)} of its lines with a token: nginx writes the request line there)`,
    )
    expect(second.lost.size).toBe(clients.length)
    expect(second.back.size, `clients reconnected within ${BOUND_MS} ms of the second crash`).toBe(clients.length)
    expect(count(errors, /no live upstreams/g)).toBe(0)
  }, 90_000)

  // true is the finding's setting (it trusts the leftmost entry: safe now that nginx replaces the
  // header); 127.0.0.1, the address nginx connects from, is the recipe's.
  it.each(['true', '127.0.0.1'])(
    'a forged X-Forwarded-For does not give a visitor fresh rate limits (finding 4), TRUST_PROXY=%s: 45 creates with random headers → 30 × 201 and 15 × 429',
    async (trust) => {
      const cluster = await startCluster(2, { TRUST_PROXY: trust, CREATE_PER_MINUTE: '30' })
      const nginx = await startNginx(cluster.nodes.map((n) => n.port))
      const statuses: number[] = []
      for (let i = 0; i < 45; i++) {
        const forged = `${1 + (i % 200)}.${(i * 7) % 256}.${(i * 13) % 256}.${1 + (i % 250)}`
        const response = await fetch(`${nginx.url}/api/boards`, { method: 'POST', body: '{}', headers: { 'X-Forwarded-For': forged } })
        statuses.push(response.status)
      }
      expect({ created: statuses.filter((s) => s === 201).length, limited: statuses.filter((s) => s === 429).length }).toEqual({ created: 30, limited: 15 })
    },
    60_000,
  )

  it("writes no ?token= link to its access log: the page, the API and the board's WebSocket are logged by path alone (finding 4)", async () => {
    const cluster = await startCluster(2)
    const nginx = await startNginx(cluster.nodes.map((n) => n.port))
    const board = await createBoard(nginx.url)
    const token = tokenFor(board.id, 'participant')
    const page = await fetch(`${nginx.url}${board.links.participant}`)
    expect(page.status).toBe(200)
    expect((await fetch(`${nginx.url}/api/boards/${board.id}?token=${encodeURIComponent(token)}`)).status).toBe(200)
    const client = makeClient(`ws://127.0.0.1:${nginx.port}/sync`, board.id, { role: 'participant' })
    await client.synced()
    client.destroy()
    // nginx writes a request's line when it ends: the WebSocket's once it has closed.
    await waitFor(() => nginx.accessLog().includes(`/sync/${board.id}`), { what: "the WebSocket's line in the access log" })
    const log = nginx.accessLog()
    expect(log).toContain(`"GET /api/boards/${board.id} HTTP/1.1" 200`)
    expect(log).toContain(`"GET ${board.links.participant!.split('?')[0]} HTTP/1.1" 200`)
    expect(log).not.toContain('token')
    for (const link of Object.values(board.links)) expect(log).not.toContain(new URL(link, nginx.url).searchParams.get('token'))
    expect(log).not.toContain(token)
  }, 60_000)

  it('ends TLS with HSTS, only there; plain HTTP on port 80 sends browsers to HTTPS (finding 4)', async () => {
    const cluster = await startCluster(1)
    const nginx = await startNginx(cluster.nodes.map((n) => n.port))
    expect(nginx.httpsPort).toBeGreaterThan(0)
    const secure = await new Promise<{ status?: number; headers: Record<string, unknown> }>((resolve, reject) => {
      request({ host: '127.0.0.1', port: nginx.httpsPort, path: '/healthz', ca: nginx.ca }, (res) => {
        res.resume()
        resolve({ status: res.statusCode, headers: res.headers })
      })
        .on('error', reject)
        .end()
    })
    expect(secure.status).toBe(200)
    expect(secure.headers['strict-transport-security']).toBe('max-age=31536000')
    const plain = await fetch(`${nginx.url}/healthz`)
    expect(plain.status).toBe(200)
    expect(plain.headers.get('strict-transport-security')).toBeNull()
    const redirect = await fetch(`http://127.0.0.1:${nginx.redirectPort}/b/x?token=y`, { redirect: 'manual' })
    expect(redirect.status).toBe(301)
    expect(redirect.headers.get('location')).toBe(`https://127.0.0.1/b/x?token=y`)
  }, 60_000)
})
