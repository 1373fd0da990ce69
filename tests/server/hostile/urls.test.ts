/**
 * Finding 1: one anonymous request killed the process (`GET /%E0%A4%A`, also as a WebSocket
 * upgrade). A corpus of hostile URLs, headers and bodies goes to every route of the OpenAPI
 * document and to the upgrade: every answer is a 4xx, never a 500 or a dropped server.
 */
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { makeClient } from '../../helpers/client.ts'
import { card } from '../../helpers/records.ts'
import { startServer, tokenFor } from '../../helpers/server.ts'
import { waitFor } from '../../helpers/wait.ts'

const HOSTILE_SEGMENTS = [
  '%E0%A4%A',
  '%c0%ae%c0%ae',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  '%',
  'x'.repeat(5_000),
  '%3Cscript%3E',
  '%F0%9F%92%A9',
  '..',
  'a%2Fb',
  '%25%32%65',
]
const HOSTILE_BODIES = [
  '',
  '{',
  'null',
  '[]',
  '"x"',
  '{"__proto__":{"admin":true}}',
  JSON.stringify({ title: { $gt: '' } }),
  '\u0000'.repeat(10),
  'x'.repeat(70_000),
]

/** Sends raw bytes as an HTTP request; resolves with the status line ('' when the socket just closed). */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text))
    let answer = ''
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')))
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''))
    socket.on('error', () => resolve(''))
  })
}

describe('hostile requests', () => {
  it('answers every route, with hostile parameters, headers and bodies, without a 500, and keeps serving', async () => {
    const server = await startServer({ staticDir: 'dist' })
    const board = 'doelwit-bord'
    const honest = makeClient(server.wsUrl, board)
    await honest.synced()
    honest.records.set('shape:a', card('shape:a', 'blijft staan'))
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> }
    const statuses = new Map<number, number>()
    const serverErrors: string[] = []
    const check = async (method: string, path: string, init: RequestInit = {}) => {
      const res = await fetch(server.url + path, { method, ...init, redirect: 'manual' })
      await res.arrayBuffer()
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      if (res.status >= 500 && res.status !== 507) serverErrors.push(`${method} ${path.slice(0, 80)} → ${res.status}`)
    }
    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods).map((m) => m.toUpperCase())) {
        for (const segment of HOSTILE_SEGMENTS) {
          const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'id' ? segment : segment))
          await check(method, path)
          await check(method, `${template.replace(/\{(\w+)\}/g, board)}?token=${segment}&lang=${segment}&with=${segment}&q=${segment}`)
        }
        const real = template.replace('{id}', board).replace(/\{(\w+)\}/g, 'abcd1234')
        for (const authorization of [
          'Bearer ',
          `Bearer ${'x'.repeat(8_000)}`,
          'Basic Zm9vOmJhcg==',
          `Bearer ${tokenFor('other-board', 'facilitator')}`,
          'Bearer a.b.c.d',
        ]) {
          await check(method, real, { headers: { authorization } })
        }
        if (method !== 'GET') {
          for (const body of HOSTILE_BODIES) {
            await check(method, real, { body, headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(board, 'participant')}` } })
            await check(method, real, { body, headers: { 'content-type': 'text/plain; charset=ebcdic' } })
          }
        }
      }
    }
    // Requests no fetch would send: broken request lines, huge headers, bad encodings, upgrades.
    const raw = [
      'GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /sync/%E0%A4%A HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      'GET /sync/%c0%ae%c0%ae HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      `GET /sync/${board}?token=%E0%A4%A HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      `GET /sync/${board} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      'GET / HTTP/1.1\r\nHost: x\r\nX-Big: ' + 'y'.repeat(100_000) + '\r\n\r\n',
      'GARBAGE\r\n\r\n',
      'GET /api/boards HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'POST /api/boards HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      'GET /\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n',
    ]
    const rawAnswers: string[] = []
    for (const text of raw) rawAnswers.push(await rawRequest(server.port, text))
    for (const answer of rawAnswers) expect(answer, answer).not.toMatch(/^HTTP\/1\.1 5\d\d/)

    expect(serverErrors).toEqual([])
    console.log(
      `hostile requests: ${[...statuses.values()].reduce((a, b) => a + b, 0)} answered (${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}); raw: ${rawAnswers.map((a) => a.slice(9, 12) || 'closed').join(' ')}`,
    )
    // Still up, still syncing, same content.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    const late = makeClient(server.wsUrl, board)
    await late.synced()
    await waitFor(() => late.records.has('shape:a'))
    expect(server.log.lines.filter((l) => l.includes('request failed'))).toEqual([])
  }, 120_000)
})
