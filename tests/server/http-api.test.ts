import { describe, expect, it } from 'vitest'
import { startServer, tokenFor } from '../helpers/server.ts'

const auth = (id: string, role: 'facilitator' | 'participant' | 'viewer' = 'participant') => ({ headers: { authorization: `Bearer ${tokenFor(id, role)}` } })

async function post(url: string, body: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('HTTP API', () => {
  it('creates a board with a short shareable id and finds it again', async () => {
    const { url } = await startServer()
    const created = await post(`${url}/api/boards`, JSON.stringify({ title: '  Samen aan de slag  ' }))
    expect(created.status).toBe(201)
    expect(created.body.id).toMatch(/^[a-z0-9]{10}$/)
    expect(created.body.path).toBe(`/b/${created.body.id}`)
    expect(created.body.title).toBe('Samen aan de slag')
    const found = await fetch(`${url}/api/boards/${created.body.id}`, auth(String(created.body.id)))
    expect(found.status).toBe(200)
    expect(((await found.json()) as { title: string }).title).toBe('Samen aan de slag')
  })

  it('accepts an empty body', async () => {
    const { url } = await startServer()
    expect((await post(`${url}/api/boards`, '')).status).toBe(201)
  })

  it.each([
    ['not JSON', '{nope', /not valid JSON/],
    ['a title that is not text', JSON.stringify({ title: 42 }), /^title: /],
    ['a title that is too long', JSON.stringify({ title: 'x'.repeat(201) }), /^title: title may be at most 200/],
    ['an unknown field', JSON.stringify({ colour: 'red' }), /colour/],
  ])('refuses %s with 400 and a message naming the problem', async (_name, body, message) => {
    const { url } = await startServer()
    const res = await post(`${url}/api/boards`, body)
    expect(res.status).toBe(400)
    expect(String(res.body.error)).toMatch(message)
  })

  it('refuses a body over 64 KB with 413', async () => {
    const { url } = await startServer()
    const res = await post(`${url}/api/boards`, JSON.stringify({ title: 'x'.repeat(70_000) }))
    expect(res.status).toBe(413)
  })

  it('answers 404 for an unknown board and 400 for an invalid id', async () => {
    const { url } = await startServer()
    expect((await fetch(`${url}/api/boards/abcdefgh`, auth('abcdefgh'))).status).toBe(404)
    const bad = await fetch(`${url}/api/boards/a%20b`)
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: string }).error).toMatch(/invalid board id/)
  })

  it('reports health', async () => {
    const { url } = await startServer()
    const res = await fetch(`${url}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, boards: 0, connections: 0 })
  })
})
