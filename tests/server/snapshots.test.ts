/**
 * Snapshots, revert, fork, export/import, closing, deleting and the archive, against the real
 * server with stock y-websocket clients.
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sha256Hex } from '../../shared/sha256.ts'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/board-id.ts'
import { CloseCode } from '../../shared/protocol.ts'
import type { CreatedBoard } from '../../shared/api.ts'
import type { RecordDiff, SnapshotSummary } from '../../shared/snapshot.ts'
import type { ArchiveEntry } from '../../shared/archive.ts'
import { ARCHIVE_SCOPE, createTokens } from '../../server/policy/tokens.ts'
import { makeClient, openRaw, recordsJson, type TestClient } from '../helpers/client.ts'
import { startServer, tempDataDir, TEST_SECRET, tokenFor, type TestServer } from '../helpers/server.ts'
import { unzip } from '../helpers/unzip.ts'
import { card } from '../helpers/records.ts'
import { waitFor } from '../helpers/wait.ts'

type Api = ReturnType<typeof apiOf>

function apiOf(server: TestServer) {
  const call = async (
    method: string,
    path: string,
    {
      role = 'facilitator' as 'facilitator' | 'participant' | 'viewer' | null,
      body,
      board,
    }: { role?: 'facilitator' | 'participant' | 'viewer' | null; body?: unknown; board?: string } = {},
  ) => {
    const id = board ?? /^\/api\/boards\/([^/]+)/.exec(path)?.[1] ?? ''
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (role) headers.authorization = `Bearer ${tokenFor(id, role)}`
    const res = await fetch(server.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    return res
  }
  return {
    call,
    json: async <T>(method: string, path: string, opts?: Parameters<typeof call>[2]): Promise<T> => {
      const res = await call(method, path, opts)
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
      return (await res.json()) as T
    },
  }
}

async function exampleBoard(api: Api): Promise<string> {
  const created = await api.json<CreatedBoard>('POST', '/api/boards', { role: null, body: { example: 'samen-aan-de-slag-2018' } })
  return created.id
}

const shapesOf = (client: TestClient) => Object.fromEntries(Object.entries(recordsJson(client.doc)).filter(([id]) => id.startsWith('shape:')))

async function connected(server: TestServer, board: string, role: 'facilitator' | 'participant' = 'facilitator') {
  const client = makeClient(server.wsUrl, board, { role })
  await client.synced()
  return client
}

describe('snapshots', () => {
  it('round trip: a snapshot restored into a fresh document has identical records', async () => {
    const server = await startServer()
    const api = apiOf(server)
    const board = await exampleBoard(api)
    const live = await connected(server, board)
    const taken = await api.json<SnapshotSummary>('POST', `/api/boards/${board}/snapshots`, { body: { name: 'Na de tijdlijn', by: 'Fien' } })
    expect(taken).toMatchObject({ name: 'Na de tijdlijn', kind: 'manual', createdBy: 'Fien', boardId: board })
    expect(taken.size).toBeGreaterThan(10_000)

    const snapshot = await server.storage.snapshots.get(board as BoardId, taken.id)
    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, snapshot!.state)
    expect(recordsJson(fresh)).toEqual(recordsJson(live.doc))
    expect(Object.keys(recordsJson(fresh)).length).toBeGreaterThan(50)

    const listed = await api.json<SnapshotSummary[]>('GET', `/api/boards/${board}/snapshots`, { role: 'viewer' })
    expect(listed.map((s) => s.id)).toEqual([taken.id])
    const detail = await api.json<{ outcome: { actionLines: unknown[] } }>('GET', `/api/boards/${board}/snapshots/${taken.id}`, { role: 'participant' })
    expect(detail.outcome.actionLines).toHaveLength(8)
    const thumbnail = await api.call('GET', `/api/boards/${board}/snapshots/${taken.id}/thumbnail.svg`, { role: 'viewer' })
    expect(thumbnail.headers.get('content-type')).toBe('image/svg+xml')
    expect(await thumbnail.text()).toMatch(/^<svg [^>]*viewBox=.*<rect .*<\/svg>$/s)
  })

  it('only a facilitator takes one, with a name; unknown ones are 404', async () => {
    const server = await startServer()
    const api = apiOf(server)
    const board = await exampleBoard(api)
    expect((await api.call('POST', `/api/boards/${board}/snapshots`, { role: 'participant', body: { name: 'x' } })).status).toBe(403)
    expect((await api.call('POST', `/api/boards/${board}/snapshots`, { role: null, body: { name: 'x' } })).status).toBe(401)
    const noName = await api.call('POST', `/api/boards/${board}/snapshots`, { body: { name: '  ' } })
    expect(noName.status).toBe(400)
    expect(((await noName.json()) as { error: string }).error).toMatch(/name/)
    expect((await api.call('GET', `/api/boards/${board}/snapshots/nope1234`, { role: 'viewer' })).status).toBe(404)
    expect((await api.call('POST', `/api/boards/${board}/snapshots/nope1234/revert`)).status).toBe(404)
    // Bad input is refused with a status and a message, never a crash.
    const badJson = await api.call('POST', `/api/boards/${board}/snapshots`, { body: '{"name": ' })
    expect(badJson.status).toBe(400)
    expect(((await badJson.json()) as { error: string }).error).toMatch(/JSON/)
    expect((await api.call('POST', `/api/boards/${board}/snapshots`, { body: { name: 'x', extra: 1 } })).status).toBe(400)
    expect((await api.call('POST', `/api/boards/${board}/snapshots`, { body: { name: 'x'.repeat(121) } })).status).toBe(400)
    expect((await api.call('GET', '/api/boards/a%2Fb/snapshots', { role: 'viewer', board: 'a/b' })).status).toBe(400)
    expect((await api.call('PUT', `/api/boards/${board}/snapshots`)).status).toBe(405)
    expect((await api.call('GET', `/api/boards/${board}/snapshots/nope1234/compare?with=nope5678`, { role: 'viewer' })).status).toBe(404)
    expect((await api.call('GET', `/api/boards/${board}/export.pdf`, { role: 'viewer' })).status).toBe(404)
    expect((await api.call('GET', `/api/boards/${board}/close`, { role: 'facilitator' })).status).toBe(405)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  it('revert: two connected clients converge to the snapshot without reloading; "before revert" holds what was there', async () => {
    const server = await startServer()
    const api = apiOf(server)
    const board = await exampleBoard(api)
    const anna = await connected(server, board)
    const bram = await connected(server, board, 'participant')
    const atSnapshot = shapesOf(anna)
    const taken = await api.json<SnapshotSummary>('POST', `/api/boards/${board}/snapshots`, { body: { name: 'Voor het opruimen' } })

    // Bram deletes a note and writes a new one; Anna moves one.
    const victim = Object.keys(atSnapshot).find((id) => (atSnapshot[id] as { type: string }).type === 'contribution')!
    bram.records.delete(victim)
    bram.records.set('shape:nieuw', { ...(atSnapshot[victim] as object), id: 'shape:nieuw' })
    const moved = Object.keys(atSnapshot).find((id) => (atSnapshot[id] as { type: string }).type === 'theme-card')!
    anna.records.set(moved, { ...(atSnapshot[moved] as object), x: 99_999 })
    await waitFor(() => !anna.records.has(victim) && bram.records.has(moved) && (bram.records.get(moved) as { x: number }).x === 99_999)
    const beforeRevert = shapesOf(anna)

    const result = await api.json<{ before: SnapshotSummary; diff: RecordDiff }>('POST', `/api/boards/${board}/snapshots/${taken.id}/revert`, {
      body: { by: 'Fien' },
    })
    expect(result.diff.added.map((c) => c.id)).toEqual([victim])
    expect(result.diff.removed.map((c) => c.id)).toEqual(['shape:nieuw'])
    expect(result.diff.changed.map((c) => c.id)).toEqual([moved])
    for (const client of [anna, bram]) {
      await waitFor(() => client.records.has(victim) && !client.records.has('shape:nieuw') && (client.records.get(moved) as { x: number }).x !== 99_999, {
        what: 'the revert to arrive',
      })
    }
    expect(shapesOf(anna)).toEqual(atSnapshot)
    expect(shapesOf(bram)).toEqual(atSnapshot)

    expect(result.before.kind).toBe('before-revert')
    const before = new Y.Doc()
    Y.applyUpdate(before, (await server.storage.snapshots.get(board as BoardId, result.before.id))!.state)
    expect(Object.fromEntries(Object.entries(recordsJson(before)).filter(([id]) => id.startsWith('shape:')))).toEqual(beforeRevert)
    // What the revert changed is listed by text.
    const compared = await api.json<RecordDiff>('GET', `/api/boards/${board}/snapshots/${result.before.id}/compare?with=live`, { role: 'viewer' })
    expect(compared.removed.map((c) => c.id)).toEqual(['shape:nieuw'])
    expect(compared.added[0]!.text.length).toBeGreaterThan(3)
  })

  it('fork: a new board from the snapshot; the original stays as it is', async () => {
    const server = await startServer()
    const api = apiOf(server)
    const board = await exampleBoard(api)
    const anna = await connected(server, board)
    anna.doc.getMap('facilitation').set('cofacilitators', [{ keyHash: 'a'.repeat(64), name: 'Piet' }])
    anna.doc.getMap('facilitation').set('presenter', 'user:anna')
    await waitFor(() =>
      server.server.rooms
        .get(board as BoardId)!
        .doc.getMap('facilitation')
        .has('presenter'),
    )
    const taken = await api.json<SnapshotSummary>('POST', `/api/boards/${board}/snapshots`, { body: { name: 'Eindstand' } })
    anna.records.set('shape:later', card('shape:later', 'later'))
    await server.server.rooms.get(board as BoardId)!.flush()
    const original = shapesOf(anna)

    const fork = await api.json<CreatedBoard>('POST', `/api/boards/${board}/snapshots/${taken.id}/fork`)
    expect(fork.id).not.toBe(board)
    expect(fork.title).toContain('Eindstand')
    const forked = await connected(server, fork.id)
    expect(forked.records.has('shape:later')).toBe(false)
    expect(forked.doc.getMap('facilitation').has('cofacilitators')).toBe(false)
    expect(forked.doc.getMap('facilitation').has('presenter')).toBe(false)
    expect(forked.doc.getMap('facilitation').get('agenda')).toEqual(anna.doc.getMap('facilitation').get('agenda'))
    forked.records.set('shape:alleen-in-fork', card('shape:alleen-in-fork', 'fork'))
    await server.server.rooms.get(fork.id as BoardId)!.flush()
    expect(shapesOf(anna)).toEqual(original)
    expect(anna.records.has('shape:alleen-in-fork')).toBe(false)
  })

  it('automatic: a phase change takes one; the timer takes one of a changed board and none of an unchanged one', async () => {
    const server = await startServer({ room: { idleUnloadMs: 60_000 } })
    const api = apiOf(server)
    const board = await exampleBoard(api)
    const fien = await connected(server, board)
    const list = () => api.json<SnapshotSummary[]>('GET', `/api/boards/${board}/snapshots`, { role: 'viewer' })

    fien.doc.getMap('facilitation').set('phaseIndex', 1)
    await waitFor(async () => (await list()).length === 1, { what: 'the phase snapshot' })
    expect((await list())[0]).toMatchObject({ kind: 'phase', name: expect.stringMatching(/^Einde fase 1: /) })

    // The next phase without any change to the board gives no second copy of the same content;
    // the one after a change does.
    fien.doc.getMap('facilitation').set('phaseIndex', 2)
    await waitFor(
      () =>
        server.server.rooms
          .get(board as BoardId)!
          .doc.getMap('facilitation')
          .get('phaseIndex') === 2,
    )
    await server.server.snapshots.settled()
    expect((await list()).length).toBe(1)
    fien.records.set('shape:fase3', card('shape:fase3', 'in fase 3'))
    fien.doc.getMap('facilitation').set('phaseIndex', 3)
    await waitFor(async () => (await list()).some((s) => s.name.startsWith('Einde fase 3')), { what: 'the snapshot at the end of phase 3' })
    expect((await list()).map((s) => s.name.replace(/:.*/, ''))).toEqual(['Einde fase 3', 'Einde fase 1'])

    // The timer looks at boards that changed, but their content is as in the latest snapshot.
    expect(await server.server.snapshots.automatic()).toEqual([])
    expect(await server.server.snapshots.automatic()).toEqual([])
    fien.records.set('shape:nieuw', card('shape:nieuw', 'iets nieuws'))
    await waitFor(() =>
      server.server.rooms
        .get(board as BoardId)!
        .doc.getMap('records')
        .has('shape:nieuw'),
    )
    const auto = await server.server.snapshots.automatic()
    expect(auto.map((s) => s.kind)).toEqual(['auto'])
    expect(await server.server.snapshots.automatic()).toEqual([])
    expect((await list()).map((s) => s.kind)).toEqual(['auto', 'phase', 'phase'])
  })
})

describe('export and import', () => {
  it('.tldr export → import gives the same records in a new board', async () => {
    const server = await startServer()
    const api = apiOf(server)
    const board = await exampleBoard(api)
    const original = await connected(server, board)
    const exported = await api.call('GET', `/api/boards/${board}/export.tldr`, { role: 'viewer' })
    expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.tldr"/)
    const file = await exported.text()
    expect(JSON.parse(file)).toMatchObject({ tldrawFileFormatVersion: 1, schema: { schemaVersion: 2 } })

    const imported = await api.json<CreatedBoard>('POST', '/api/boards/import?title=Terug%20van%20tldr', { role: null, body: file })
    expect(imported.title).toBe('Terug van tldr')
    expect(imported.links.facilitator).toContain(imported.id)
    const copy = await connected(server, imported.id)
    expect(recordsJson(copy.doc)).toEqual(recordsJson(original.doc))
  })

  it('refuses a corrupted or foreign file with a message and creates nothing', async () => {
    const server = await startServer()
    const api = apiOf(server)
    const board = await exampleBoard(api)
    const good = JSON.parse(await (await api.call('GET', `/api/boards/${board}/export.tldr`, { role: 'viewer' })).text()) as {
      records: { typeName: string; type?: string; props?: Record<string, unknown> }[]
    }
    const boardsBefore = (await server.storage.catalogue.list()).length
    const withBadShape = structuredClone(good)
    withBadShape.records.find((r) => r.type === 'contribution')!.props!.w = 'breed'
    const withAlien = structuredClone(good)
    withAlien.records.push({ id: 'shape:alien', typeName: 'shape', type: 'ufo', props: {} } as never)
    const cases: [string, string, RegExp][] = [
      ['not JSON', '{"tldrawFileFormatVersion": 1, "records": [', /not JSON/],
      ['a different JSON file', JSON.stringify({ name: 'package', version: '1.0.0' }), /not a \.tldr file/],
      ['a schema without versions', JSON.stringify({ ...good, schema: { schemaVersion: 2 } }), /schema/],
      ['a newer format', JSON.stringify({ ...good, tldrawFileFormatVersion: 99 }), /newer/],
      ['an invalid card', JSON.stringify(withBadShape), /invalid/],
      ['an unknown shape type', JSON.stringify(withAlien), /ufo|unknown|invalid/i],
      ['no page', JSON.stringify({ ...good, records: [] }), /no page/],
    ]
    for (const [what, body, message] of cases) {
      const res = await api.call('POST', '/api/boards/import', { role: null, body })
      expect(res.status, what).toBe(400)
      expect(((await res.json()) as { error: string }).error, what).toMatch(message)
    }
    expect((await api.call('POST', '/api/boards/import', { role: null, body: 'x'.repeat(33 * 1024 * 1024) })).status).toBe(413)
    expect((await server.storage.catalogue.list()).length).toBe(boardsBefore)
  })

  it('the archive zip holds the .tldr, the outcome, the report and the map', async () => {
    const server = await startServer()
    const api = apiOf(server)
    const board = await exampleBoard(api)
    const res = await api.call('GET', `/api/boards/${board}/archive.zip`, { role: 'viewer' })
    expect(res.headers.get('content-type')).toBe('application/zip')
    const files = unzip(Buffer.from(await res.arrayBuffer()))
    expect([...files.keys()]).toEqual(['bord.tldr', 'uitkomst.json', 'verslag.md', 'verslag.html', 'overzicht.svg'])
    expect(JSON.parse(files.get('uitkomst.json')!.toString()).actionLines).toHaveLength(8)
    expect(files.get('verslag.md')!.toString()).toContain('Actielijnen')
    expect(files.get('overzicht.svg')!.toString()).toMatch(/^<svg/)
    expect(JSON.parse(files.get('bord.tldr')!.toString()).tldrawFileFormatVersion).toBe(1)
    // The zip (written by fflate) also passes Info-ZIP's own check.
    const path = join(tempDataDir(), 'archive.zip')
    writeFileSync(path, Buffer.from(await (await api.call('GET', `/api/boards/${board}/archive.zip`, { role: 'viewer' })).arrayBuffer()))
    expect(execFileSync('unzip', ['-t', path]).toString()).toMatch(/No errors detected in compressed data/)
  })
})

describe('closing, deleting and the archive', () => {
  it('a closed session is read-only for everyone, with a final snapshot', async () => {
    const server = await startServer()
    const api = apiOf(server)
    const board = await exampleBoard(api)
    const fien = await connected(server, board)
    expect((await api.call('POST', `/api/boards/${board}/close`, { role: 'participant' })).status).toBe(403)
    const closed = await api.json<{ closedAt: number; snapshot: SnapshotSummary }>('POST', `/api/boards/${board}/close`, { body: { by: 'Fien' } })
    expect(closed.snapshot.kind).toBe('close')
    await waitFor(() => typeof fien.doc.getMap('meta').get('closedAt') === 'number')
    expect((await api.call('POST', `/api/boards/${board}/close`)).status).toBe(409)
    expect((await api.call('POST', `/api/boards/${board}/snapshots/${closed.snapshot.id}/revert`)).status).toBe(409)
    const frameId = Object.keys(recordsJson(fien.doc)).find((id) => (recordsJson(fien.doc)[id] as { type?: string }).type === 'frame')!
    const vote = await api.call('POST', `/api/boards/${board}/votes`, { body: { frameId, dots: 3 } })
    expect(vote.status).toBe(409)
    expect(((await vote.json()) as { error: string }).error).toBe('the session is closed')

    // Even a facilitator's change is refused now; nothing of it is stored.
    const closedWith = new Promise<number>((resolve) => fien.provider.once('closed', ({ code }: { code: number }) => resolve(code)))
    fien.records.set('shape:te-laat', card('shape:te-laat', 'te laat'))
    expect(await closedWith).toBe(CloseCode.forbidden)
    const reader = await connected(server, board, 'participant')
    expect(reader.records.has('shape:te-laat')).toBe(false)
    // …but not thrown away: the archive has the board with it, to import and continue from.
    await waitFor(async () => (await server.storage.log.loadLateUpdates(board as BoardId)).length === 1, { what: 'the late change to be kept' })
    const files = unzip(Buffer.from(await (await api.call('GET', `/api/boards/${board}/archive.zip`, { role: 'viewer' })).arrayBuffer()))
    const afterClosing = JSON.parse(files.get('na-sluiting.tldr')!.toString()) as { records: { id: string }[] }
    expect(afterClosing.records.map((r) => r.id)).toContain('shape:te-laat')
    expect((JSON.parse(files.get('bord.tldr')!.toString()) as { records: { id: string }[] }).records.map((r) => r.id)).not.toContain('shape:te-laat')
    // A fork of it is a new, open session.
    const fork = await api.json<CreatedBoard>('POST', `/api/boards/${board}/snapshots/${closed.snapshot.id}/fork`)
    const forked = await connected(server, fork.id)
    expect(forked.doc.getMap('meta').get('closedAt')).toBeUndefined()
  })

  it('deleting a board disconnects everyone, removes it with its snapshots, and it never comes back', async () => {
    const server = await startServer()
    const api = apiOf(server)
    const board = await exampleBoard(api)
    const fien = await connected(server, board)
    await api.json('POST', `/api/boards/${board}/snapshots`, { body: { name: 'x' } })
    expect((await api.call('DELETE', `/api/boards/${board}`, { role: 'participant' })).status).toBe(403)
    const closedWith = new Promise<number>((resolve) => fien.provider.once('closed', ({ code }: { code: number }) => resolve(code)))
    expect((await api.call('DELETE', `/api/boards/${board}`)).status).toBe(200)
    expect(await closedWith).toBe(CloseCode.boardDeleted)
    expect(await server.storage.catalogue.get(board as BoardId)).toBeNull()
    expect(await server.storage.snapshots.list(board as BoardId)).toEqual([])
    // Gone, for every link of it (tests/server/hostile/deleted-board.test.ts tries every route).
    expect((await api.call('GET', `/api/boards/${board}`, { role: 'viewer' })).status).toBe(410)
    await expect(openRaw(`${server.wsUrl}/${board}`)).rejects.toThrow(/410/)
    expect(await server.storage.catalogue.get(board as BoardId)).toBeNull()
  })

  it('the archive lists sessions with their numbers, searchable, only with the archive key', async () => {
    const server = await startServer()
    const api = apiOf(server)
    const example = await exampleBoard(api)
    await api.json('POST', '/api/boards', {
      role: null,
      body: { template: 'wijkagenda', centraleOpgave: 'Een groene wijk', targetYear: 2030, title: 'Wijkagenda Oost' },
    })
    await api.json('POST', `/api/boards/${example}/snapshots`, { body: { name: 'Eindstand' } })
    const key = createTokens(TEST_SECRET).sign(ARCHIVE_SCOPE, 'facilitator')
    const get = (q: string, k: string | null = key) =>
      fetch(`${server.url}/api/archive?q=${encodeURIComponent(q)}`, { headers: k ? { authorization: `Bearer ${k}` } : {} })

    expect((await get('', null)).status).toBe(401)
    expect((await get('', tokenFor(example, 'facilitator'))).status).toBe(403)
    const all = (await (await get('')).json()) as ArchiveEntry[]
    expect(all.map((e) => e.title).sort()).toEqual(['Samen aan de slag! (2018)', 'Wijkagenda Oost'].sort())
    const entry = all.find((e) => e.id === example)!
    expect(entry).toMatchObject({ template: '24-uursconferentie', actionLines: 8, lastSnapshot: { name: 'Eindstand' } })
    expect(entry.participants).toBeGreaterThan(5)
    expect(entry.viewerLink).toContain('token=')
    expect((await fetch(server.url + entry.reportPath)).status).toBe(200)
    const found = (await (await get('oost')).json()) as ArchiveEntry[]
    expect(found.map((e) => e.title)).toEqual(['Wijkagenda Oost'])

    // A board people worked on counts who joined (each browser once), not names typed on cards.
    const oost = found[0]!.id
    const join = (name: string, role: 'participant' | 'facilitator' | 'viewer') => {
      const key = sha256Hex(name) // 64 hex characters, like a browser's member key
      const client = makeClient(server.wsUrl, oost, { role, memberKey: key })
      client.provider.awareness.setLocalStateField('member', { userId: key.slice(0, 8), name, role, groupId: '', hand: false, keyHash: sha256Hex(key) })
      return client
    }
    join('anna', 'participant')
    join('anna', 'participant') // a second tab
    join('bram', 'participant')
    join('fien', 'facilitator')
    join('kijker', 'viewer')
    await waitFor(async () => ((await (await get('oost')).json()) as ArchiveEntry[])[0]!.participants === 3, { what: 'three people counted' })
  })
})
