/**
 * Facilitator-only notes: only facilitator tokens read or write them, they are not in the
 * board's document (no client ever receives them), and they are bounded.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Role } from '../../shared/roles.ts'
import { makeClient } from '../helpers/client.ts'
import { startServer, tokenFor } from '../helpers/server.ts'

describe('facilitator-only notes', () => {
  it('are read and written by facilitators only and never reach the board document', async () => {
    const { url, wsUrl } = await startServer()
    const created = await fetch(`${url}/api/boards`, { method: 'POST', body: JSON.stringify({ title: 'Sessie' }) })
    const board = ((await created.json()) as { id: string }).id
    const api = (role: Role | null, method: string, path = '', body?: unknown) =>
      fetch(`${url}/api/boards/${board}/facilitator-notes${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(role ? { authorization: `Bearer ${tokenFor(board, role)}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })

    const added = await api('facilitator', 'POST', '', { text: 'Wethouder komt om 16:00 — geheim houden', by: 'Fien' })
    expect(added.status).toBe(201)
    const note = (await added.json()) as { id: string; text: string; createdBy: string }
    expect(note).toMatchObject({ text: 'Wethouder komt om 16:00 — geheim houden', createdBy: 'Fien' })

    for (const role of ['participant', 'viewer'] as const) {
      expect((await api(role, 'GET')).status).toBe(403)
      expect((await api(role, 'POST', '', { text: 'ik ook' })).status).toBe(403)
      expect((await api(role, 'DELETE', `/${note.id}`)).status).toBe(403)
    }
    expect((await api(null, 'GET')).status).toBe(401)
    expect((await api('facilitator', 'POST', '', { text: '   ' })).status).toBe(400)
    expect((await api('facilitator', 'POST', '', { text: 'x'.repeat(2001) })).status).toBe(400)
    expect((await api('facilitator', 'POST', '', { text: 'ok', extra: 1 })).status).toBe(400)

    // Nothing of it in what any client receives.
    const participant = makeClient(wsUrl, board, { role: 'participant' })
    await participant.synced()
    expect(new TextDecoder().decode(Y.encodeStateAsUpdate(participant.doc))).not.toContain('Wethouder')

    const list = (await (await api('facilitator', 'GET')).json()) as { id: string }[]
    expect(list.map((n) => n.id)).toEqual([note.id])
    expect((await api('facilitator', 'DELETE', `/${note.id}`)).status).toBe(204)
    expect((await api('facilitator', 'DELETE', `/${note.id}`)).status).toBe(404)
    expect(await (await api('facilitator', 'GET')).json()).toEqual([])
  })
})
