/**
 * A deleted board is gone for everyone holding its links (issue 20, finding 10: its links route
 * answered 200 after the delete). Every /api/boards/<id>/… route of the OpenAPI document answers
 * 410, the board page too, a new WebSocket is refused with 410 and an open one closes with 4410.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { CreatedBoard } from '../../../shared/api.ts'
import { CloseCode } from '../../../shared/protocol.ts'
import { openRaw } from '../../helpers/client.ts'
import { onCleanup, startServer } from '../../helpers/server.ts'

/** A value for each path parameter that passes its pattern (the board's own id for `id`/`board`). */
const sample = (name: string, board: string): string => (name === 'id' || name === 'board' ? board : `${name}0123456789`)

describe('a deleted board', () => {
  it('answers 410 on every board route, its page and its WebSocket', async () => {
    const staticDir = mkdtempSync(join(tmpdir(), 'deleted-static-'))
    onCleanup(() => rmSync(staticDir, { recursive: true, force: true }))
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>bord</title>')
    const server = await startServer({ staticDir })
    const created = (await (await fetch(`${server.url}/api/boards`, { method: 'POST', body: '{}' })).json()) as CreatedBoard
    const token = new URL(created.links.facilitator, 'http://x').searchParams.get('token')!
    const auth = { authorization: `Bearer ${token}` }
    const open = await openRaw(`${server.wsUrl}/${created.id}`)

    expect((await fetch(`${server.url}/api/boards/${created.id}`, { method: 'DELETE', headers: auth })).status).toBe(200)
    expect((await open.closed).code).toBe(CloseCode.boardDeleted)

    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> }
    const routes = Object.entries(doc.paths)
      .filter(([path]) => /^\/api\/boards\/\{(id|board)\}/.test(path))
      .flatMap(([path, methods]) =>
        Object.keys(methods)
          .filter((m) => m !== 'head')
          .map((method) => ({ method: method.toUpperCase(), path })),
      )
    expect(routes.length).toBeGreaterThan(30) // the exports, snapshots, votes, notes, links, close, …
    const answers = await Promise.all(
      routes.map(async ({ method, path }) => {
        const url = server.url + path.replace(/\{(\w+)\}/g, (_m, name: string) => sample(name, created.id))
        const response = await fetch(url, { method, headers: auth, ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }) })
        return `${method} ${path} ${response.status}`
      }),
    )
    expect(answers.filter((a) => !a.endsWith(' 410'))).toEqual([])

    // The page the link opens, and a new connection.
    expect((await fetch(`${server.url}/b/${created.id}?token=${token}`)).status).toBe(410)
    const upgrade = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${server.wsUrl}/${created.id}?token=${token}`)
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('open', () => {
        ws.close()
        resolve(101)
      })
      ws.on('error', () => {})
    })
    expect(upgrade).toBe(410)
  })
})
