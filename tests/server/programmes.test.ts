/** The vliegwiel's API against the real server: programmes, their boards, action lines, progress. */
import { describe, expect, it } from 'vitest'
import type { CreatedBoard } from '../../shared/api.ts'
import { isStale, type ActionLineRecord, type CreatedProgramme, type ProgrammeView, type ProgressUpdate } from '../../shared/programme.ts'
import { createTokens } from '../../server/tokens.ts'
import { startServer } from '../helpers/server.ts'

const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('token')!

async function setup() {
  const { url } = await startServer()
  const call = async <T = unknown>(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json().catch(() => ({}))) as T }
  }
  const created = await call<CreatedProgramme>('POST', '/api/programmes', null, { name: 'Samen aan de slag — Weert, Nederweert, Cranendonck', region: 'Midden-Limburg', municipalities: ['Weert', 'Nederweert', 'Cranendonck'], staleWeeks: 6 })
  expect(created.status).toBe(201)
  const { programme, links } = created.body
  const aanjager = tokenOf(links.aanjager)
  const publicToken = tokenOf(links.public)
  const board = await call<CreatedBoard>('POST', '/api/boards', null, { example: 'samen-aan-de-slag-2018' })
  return { url, call, programme, aanjager, publicToken, board: board.body }
}

describe('programmes (the vliegwiel)', () => {
  it('closing the 2018 conference board of a programme makes its 8 action lines records, with themes, values, trekkers and rung', async () => {
    const { call, programme, aanjager, publicToken, board } = await setup()
    const p = `/api/programmes/${programme.id}`
    // Only the aanjager adds a board, and only with the board's facilitator link.
    expect((await call('POST', `${p}/boards`, publicToken, { boardLink: board.links.facilitator })).status).toBe(403)
    expect((await call('POST', `${p}/boards`, aanjager, { boardLink: board.links.participant })).status).toBe(403)
    expect((await call('POST', `${p}/boards`, aanjager, { boardLink: 'geen link' })).status).toBe(400)
    expect((await call('POST', `${p}/boards`, aanjager, { boardLink: board.links.facilitator, kind: 'conference' })).status).toBe(201)

    expect((await call('POST', `/api/boards/${board.id}/close`, tokenOf(board.links.facilitator), { by: 'Fien' })).status).toBe(200)
    const view = await call<ProgrammeView>('GET', p, publicToken)
    expect(view.status).toBe(200)
    expect(view.body.role).toBe('public')
    expect(view.body.boards.map((b) => [b.boardId, b.kind])).toEqual([[board.id, 'conference']])
    expect(view.body.lines.map((l) => l.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    const platform = view.body.lines.find((l) => l.number === 7)!
    expect(platform.title).toBe("Platform 'Samen aan de slag'")
    expect(platform.trekkers.map((t) => t.name)).toEqual(['John van Heel', 'Martine Jacobs'])
    expect(platform.themes.length).toBe(2)
    expect(platform.themes.every((t) => t.sharedValue.length > 0)).toBe(true)
    expect(platform).toMatchObject({ status: 'gestart', source: { boardId: board.id, boardTitle: expect.any(String) }, municipalities: expect.any(Array) })
    expect(platform.gemeenteRol === null || typeof platform.gemeenteRol === 'string').toBe(true)
    expect(view.body.programme.sharedValues.length).toBeGreaterThanOrEqual(5)
    // The public does not see which lines the aanjager should chase.
    expect(view.body.lines.some((l) => 'stale' in l)).toBe(false)
    const asAanjager = await call<ProgrammeView>('GET', p, aanjager)
    expect(asAanjager.body.role).toBe('aanjager')
    expect(asAanjager.body.lines.every((l) => l.stale === false)).toBe(true)

    // Taking the lines over again (on demand) updates them, it does not add copies.
    const again = await call<ActionLineRecord[]>('POST', `${p}/boards/${board.id}/action-lines`, aanjager)
    expect(again.status).toBe(200)
    expect((await call<ProgrammeView>('GET', p, publicToken)).body.lines).toHaveLength(8)
  })

  it('a trekker posts progress on their own line, which the platform shows; nobody else may', async () => {
    const { call, programme, aanjager, publicToken, board } = await setup()
    const p = `/api/programmes/${programme.id}`
    await call('POST', `${p}/boards`, aanjager, { boardLink: board.links.facilitator })
    await call('POST', `${p}/boards/${board.id}/action-lines`, aanjager)
    const lines = (await call<ProgrammeView>('GET', p, publicToken)).body.lines
    const [seven, five] = [lines.find((l) => l.number === 7)!, lines.find((l) => l.number === 5)!]

    expect((await call('GET', `${p}/lines/${seven.id}/trekker-link`, publicToken)).status).toBe(403)
    const link = (await call<{ link: string }>('GET', `${p}/lines/${seven.id}/trekker-link`, aanjager)).body.link
    expect(link).toMatch(new RegExp(`^/p/${programme.id}\\?line=`))
    const trekker = tokenOf(link)

    const posted = await call<ProgressUpdate>('POST', `${p}/lines/${seven.id}/updates`, trekker, { text: 'Eerste versie van het platform staat online', author: 'John van Heel', status: 'loopt' })
    expect(posted.status).toBe(201)
    expect(posted.body).toMatchObject({ lineId: seven.id, status: 'loopt', author: 'John van Heel' })
    // Another line, the public, no link, and a bad body are refused with the usual error shape.
    expect((await call('POST', `${p}/lines/${five.id}/updates`, trekker, { text: 'x', author: 'John' })).status).toBe(403)
    expect((await call('POST', `${p}/lines/${seven.id}/updates`, publicToken, { text: 'x', author: 'Iemand' })).status).toBe(403)
    expect((await call('POST', `${p}/lines/${seven.id}/updates`, null, { text: 'x', author: 'Iemand' })).status).toBe(401)
    const bad = await call<{ error: string }>('POST', `${p}/lines/${seven.id}/updates`, trekker, { text: '', author: 'John', status: 'klaar' })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatch(/text|status/)

    const shown = (await call<ProgrammeView>('GET', p, publicToken)).body.lines.find((l) => l.id === seven.id)!
    expect(shown.status).toBe('loopt')
    expect(shown.lastUpdate?.text).toBe('Eerste versie van het platform staat online')
    // The trekker's link opens the programme too, saying which line is theirs.
    expect((await call<ProgrammeView>('GET', `${p}?line=${seven.id}`, trekker)).body).toMatchObject({ role: 'trekker', lineId: seven.id })
    // The history is append-only and in order.
    await call('POST', `${p}/lines/${seven.id}/updates`, aanjager, { text: 'Tweede bijeenkomst gepland', author: 'Aanjager' })
    const history = await call<{ updates: ProgressUpdate[] }>('GET', `${p}/lines/${seven.id}`, publicToken)
    expect(history.body.updates.map((u) => [u.text, u.status])).toEqual([['Eerste versie van het platform staat online', 'loopt'], ['Tweede bijeenkomst gepland', null]])
    expect((await call('PATCH', `${p}/lines/${seven.id}`, trekker, { nextMeeting: '2027-03-14' })).status).toBe(200)
    expect((await call<{ line: ActionLineRecord }>('GET', `${p}/lines/${seven.id}`, publicToken)).body.line.nextMeeting).toBe('2027-03-14')
  })

  it('refuses forged links, another programme\'s links and a board\'s links', async () => {
    const { call, programme, board } = await setup()
    const other = (await call<CreatedProgramme>('POST', '/api/programmes', null, { name: 'Ander programma' })).body
    const forged = createTokens('another-secret-another-secret-another-secret').sign(`programme:${programme.id}`, 'facilitator')
    for (const token of [forged, tokenOf(other.links.aanjager), tokenOf(board.links.facilitator), 'kapot']) {
      expect((await call('GET', `/api/programmes/${programme.id}`, token)).status).toBe(403)
    }
    expect((await call('GET', `/api/programmes/${programme.id}`, null)).status).toBe(401)
    expect((await call('GET', `/api/programmes/onbekend1`, tokenOf(other.links.aanjager))).status).toBe(403)
    expect((await call('POST', '/api/programmes', null, { name: '' })).status).toBe(400)
    expect((await call('POST', '/api/programmes', null, { name: 'x', extra: 1 })).status).toBe(400)
  })
})

describe('stale action lines', () => {
  const week = 7 * 86_400_000
  it('a line without an update for longer than the programme\'s weeks is stale, unless it is finished or stopped', () => {
    expect(isStale({ lastUpdateAt: 0, status: 'loopt' }, 6, 6 * week)).toBe(false)
    expect(isStale({ lastUpdateAt: 0, status: 'loopt' }, 6, 6 * week + 1)).toBe(true)
    expect(isStale({ lastUpdateAt: 0, status: 'afgerond' }, 6, 60 * week)).toBe(false)
    expect(isStale({ lastUpdateAt: 0, status: 'gestopt' }, 6, 60 * week)).toBe(false)
  })
})
