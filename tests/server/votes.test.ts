import { describe, expect, it } from 'vitest'
import type { Outcome } from '../../shared/format/model.ts'
import { contributionDefaults } from '../../shared/shapes/contribution-shape.ts'
import type { Role } from '../../shared/roles.ts'
import { makeClient } from '../helpers/client.ts'
import { sha256Hex } from '../../shared/sha256.ts'
import { startServer, tokenFor } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

// Member keys (the browsers' secrets); each voter's connection publishes the key's hash.
const VOTER_A = 'a'.repeat(64)
const VOTER_B = 'b'.repeat(64)
const member = (key: string) => ({ userId: key.slice(0, 8), name: key.slice(0, 1), role: 'participant', groupId: '', hand: false, keyHash: sha256Hex(key) })

describe('dot voting', () => {
  it('keeps votes off every document until it closes, caps dots, then writes correct tallies to the board and the outcome', async () => {
    const { url, wsUrl } = await startServer()
    const api = (path: string, role: Role, body?: unknown) =>
      fetch(`${url}/api/boards/${board}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(board, role)}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    const created = await fetch(`${url}/api/boards`, {
      method: 'POST',
      body: JSON.stringify({ template: '24-uursconferentie', centraleOpgave: 'x', targetYear: 2030 }),
    })
    const board = ((await created.json()) as { id: string }).id

    const facilitator = makeClient(wsUrl, board)
    const witness = makeClient(wsUrl, board, { role: 'participant' })
    const voterA = makeClient(wsUrl, board, { role: 'participant', memberKey: VOTER_A })
    const voterB = makeClient(wsUrl, board, { role: 'participant', memberKey: VOTER_B })
    voterA.provider.awareness.setLocalStateField('member', member(VOTER_A))
    voterB.provider.awareness.setLocalStateField('member', member(VOTER_B))
    await Promise.all([facilitator, witness, voterA, voterB].map((c) => c.synced()))
    await waitFor(() => [...facilitator.provider.awareness.getStates().values()].filter((s) => s.member).length === 2, { what: 'both voters present' })
    const agenda = facilitator.doc.getMap('facilitation').get('agenda') as { phase: string; frameId: string }[]
    const frameId = agenda.find((a) => a.phase === 'trends')!.frameId
    const trends = ['Langer thuis wonen', 'Krapte op de arbeidsmarkt', 'Technologische ontwikkeling']
    trends.forEach((text, i) => {
      const id = `shape:n${i + 1}`
      facilitator.records.set(id, {
        id,
        typeName: 'shape',
        type: 'contribution',
        x: 60 + i * 260,
        y: 200,
        rotation: 0,
        index: `a${i + 2}`,
        parentId: frameId,
        isLocked: false,
        opacity: 1,
        meta: {},
        props: { ...contributionDefaults(), text },
      })
    })
    await waitFor(() => witness.records.has('shape:n3'))

    const started = await api('/votes', 'facilitator', { frameId, dots: 3 })
    expect(started.status).toBe(201)
    const vote = (await started.json()) as { id: string }
    expect((await api('/votes', 'participant', { frameId, dots: 3 })).status).toBe(403)
    const dot = (memberKey: string, shapeId: string, delta: 1 | -1 = 1) => api(`/votes/${vote.id}/dots`, 'participant', { memberKey, shapeId, delta })

    for (const s of ['shape:n1', 'shape:n1', 'shape:n2']) expect((await dot(VOTER_A, s)).status).toBe(200)
    for (const s of ['shape:n2', 'shape:n3', 'shape:n2']) expect((await dot(VOTER_B, s)).status).toBe(200)
    const fourth = await dot(VOTER_B, 'shape:n1')
    expect(fourth.status).toBe(409)
    expect(((await fourth.json()) as { error: string }).error).toMatch(/all 3 of your dots are placed/)
    expect((await dot(VOTER_B, 'shape:n1', -1)).status).toBe(409)
    expect((await dot(VOTER_B, 'shape:nope')).status).toBe(409) // no dots left is checked first
    expect((await api(`/votes/${vote.id}/dots`, 'viewer', { memberKey: VOTER_A, shapeId: 'shape:n1', delta: 1 })).status).toBe(403)
    const mine = (key: string) =>
      fetch(`${url}/api/boards/${board}/votes/${vote.id}/mine`, { headers: { authorization: `Bearer ${tokenFor(board, 'participant')}`, 'x-member-key': key } })
    expect(await (await mine(VOTER_A)).json()).toEqual({ open: true, dots: 3, mine: { 'shape:n1': 2, 'shape:n2': 1 }, left: 0 })
    // Invented voters, and the public id of someone else, get nothing: a voter is a connected member key.
    for (let i = 0; i < 5; i++) expect((await dot(String(i).repeat(64), 'shape:n3')).status).toBe(403)
    expect((await mine(sha256Hex(VOTER_A))).status).toBe(403)
    expect((await dot(sha256Hex(VOTER_B), 'shape:n2', -1)).status).toBe(403)
    // A retried request (its answer was lost) places nothing twice: the same request id answers the dots as they are.
    const retry = (requestId: string) => api(`/votes/${vote.id}/dots`, 'participant', { memberKey: VOTER_A, shapeId: 'shape:n2', delta: -1, requestId })
    expect(await (await retry('terug-0000000001')).json()).toMatchObject({ mine: { 'shape:n1': 2 }, left: 1 })
    expect(await (await retry('terug-0000000001')).json()).toMatchObject({ mine: { 'shape:n1': 2 }, left: 1 })
    const again = () => api(`/votes/${vote.id}/dots`, 'participant', { memberKey: VOTER_A, shapeId: 'shape:n2', delta: 1, requestId: 'weer-0000000001' })
    expect((await again()).status).toBe(200)
    // Her last dot: its retry is not told "all placed", it gets the dots as they are.
    expect(await (await again()).json()).toMatchObject({ mine: { 'shape:n1': 2, 'shape:n2': 1 }, left: 0 })
    expect((await api(`/votes/${vote.id}/dots`, 'participant', { memberKey: VOTER_A, shapeId: 'shape:n2', delta: 1, requestId: 'x' })).status).toBe(400)

    // While open, nothing of the votes is in anyone's document.
    for (const client of [facilitator, witness]) {
      const json = JSON.stringify(client.doc.toJSON())
      expect(json).not.toContain(VOTER_A)
      expect(json).not.toContain('"votes"')
      expect(client.doc.getMap('facilitation').get('vote')).toMatchObject({ open: true, results: [] })
    }

    expect((await api(`/votes/${vote.id}/close`, 'participant', {})).status).toBe(403)
    const closed = await api(`/votes/${vote.id}/close`, 'facilitator', {})
    expect(closed.status).toBe(200)
    const expected = [
      { shapeId: 'shape:n2', count: 3, title: trends[1] },
      { shapeId: 'shape:n1', count: 2, title: trends[0] },
      { shapeId: 'shape:n3', count: 1, title: trends[2] },
    ]
    expect(((await closed.json()) as { results: unknown }).results).toEqual(expected)

    await waitFor(() => (witness.doc.getMap('facilitation').get('vote') as { open: boolean }).open === false, { what: 'closed vote at the witness' })
    expect((witness.records.get('shape:n2') as { meta: { votes: number } }).meta.votes).toBe(3)
    expect((witness.records.get('shape:n3') as { meta: { votes: number } }).meta.votes).toBe(1)
    expect(JSON.stringify([...witness.records.values()].filter((r) => (r as { type: string }).type === 'text'))).toContain('1. Krapte op de arbeidsmarkt — 3')

    const outcome = (await (await api('/outcome.json', 'viewer')).json()) as Outcome
    expect(outcome.trends).toEqual([
      { text: trends[1], priority: 3 },
      { text: trends[0], priority: 2 },
      { text: trends[2], priority: 1 },
    ])
    expect((await dot(VOTER_A, 'shape:n3')).status).toBe(404)
  })

  it('refuses a vote on a frame that does not exist, naming the field', async () => {
    const { url } = await startServer()
    const created = await fetch(`${url}/api/boards`, { method: 'POST', body: '{}' })
    const board = ((await created.json()) as { id: string }).id
    const start = (frameId: string) =>
      fetch(`${url}/api/boards/${board}/votes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokenFor(board)}` },
        body: JSON.stringify({ frameId, dots: 2 }),
      })
    const res = await start('shape:nothing')
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toMatch(/^frameId: no shape/)
  })
})
