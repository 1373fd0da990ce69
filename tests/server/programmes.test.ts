/** The vliegwiel's API against the real server: programmes, their boards, action lines, progress. */
import { describe, expect, it } from 'vitest'
import type { CreatedBoard } from '../../shared/api.ts'
import { isStale, type ActionLineRecord, type CreatedProgramme, type ProgrammeView, type ProgressUpdate, type SignedUp } from '../../shared/programme.ts'
import { createTokens } from '../../server/policy/tokens.ts'
import { createMemoryStorage } from '../../server/storage/memory-storage.ts'
import { ProgrammeService } from '../../server/programmes/programmes.ts'
import { inlineBoardWork } from '../../server/room/board-work.ts'
import { createMemoryLogger } from '../../server/log.ts'
import { startServer, TEST_SECRET } from '../helpers/server.ts'
import { makeClient } from '../helpers/client.ts'
import { waitFor } from '../helpers/wait.ts'
import { actionLineDefaults, type ActionLineProps } from '../../shared/shapes/action-line-shape.ts'
import { PAGE_ID } from '../../shared/format/records.ts'
import type { TakeOverResult } from '../../shared/take-over.ts'

const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('token')!

async function setup(options: Parameters<typeof startServer>[0] = {}) {
  const { url, storage, log } = await startServer(options)
  const call = async <T = unknown>(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json().catch(() => ({}))) as T }
  }
  const created = await call<CreatedProgramme>('POST', '/api/programmes', null, {
    name: 'Samen aan de slag — Weert, Nederweert, Cranendonck',
    region: 'Midden-Limburg',
    municipalities: ['Weert', 'Nederweert', 'Cranendonck'],
    staleWeeks: 6,
  })
  expect(created.status).toBe(201)
  const { programme, links } = created.body
  const aanjager = tokenOf(links.aanjager)
  const publicToken = tokenOf(links.public)
  const board = await call<CreatedBoard>('POST', '/api/boards', null, { example: 'samen-aan-de-slag-2018' })
  return { url, storage, log, call, programme, aanjager, publicToken, board: board.body }
}

/** A programme whose conference (the 2018 example) has handed over its 8 action lines. */
async function withLines(options: Parameters<typeof startServer>[0] = {}) {
  const context = await setup(options)
  const { call, programme, aanjager, publicToken, board } = context
  const p = `/api/programmes/${programme.id}`
  await call('POST', `${p}/boards`, aanjager, { boardLink: board.links.facilitator })
  await call('POST', `${p}/boards/${board.id}/action-lines`, aanjager)
  const lines = (await call<ProgrammeView>('GET', p, publicToken)).body.lines
  const line = (n: number) => lines.find((l) => l.number === n)!
  return { ...context, p, lines, line }
}

describe('programmes (the vliegwiel)', () => {
  it('closing the 2018 conference board of a programme makes its 8 action lines records, with themes, values, trekkers and rung', async () => {
    const { url, call, programme, aanjager, publicToken, board } = await setup()
    const p = `/api/programmes/${programme.id}`
    // Only the aanjager adds a board, and only with the board's facilitator link.
    expect((await call('POST', `${p}/boards`, publicToken, { boardLink: board.links.facilitator })).status).toBe(403)
    expect((await call('POST', `${p}/boards`, aanjager, { boardLink: board.links.participant })).status).toBe(403)
    expect((await call('POST', `${p}/boards`, aanjager, { boardLink: 'geen link' })).status).toBe(400)
    expect((await call('POST', `${p}/boards`, aanjager, { boardLink: board.links.facilitator, kind: 'conference' })).status).toBe(201)

    // At the conference, line 7's card gets its rung on the participatietrap.
    const facilitator = makeClient(`${url.replace('http', 'ws')}/sync`, board.id)
    await facilitator.synced()
    const cardId = [...facilitator.records.entries()].find(
      ([, r]) => (r as { type?: string; props?: { number?: number } }).type === 'action-line' && (r as { props: { number: number } }).props.number === 7,
    )![0]
    const card7 = facilitator.records.get(cardId) as { props: Record<string, unknown> }
    facilitator.records.set(cardId, { ...card7, props: { ...card7.props, gemeenteRol: 'faciliteren' } })
    await waitFor(
      async () =>
        (
          await call<{ actionLines: { number: number; gemeenteRol: string | null }[] }>(
            'GET',
            `/api/boards/${board.id}/outcome.json`,
            tokenOf(board.links.facilitator),
          )
        ).body.actionLines.some((l) => l.number === 7 && l.gemeenteRol === 'faciliteren'),
      { what: 'the rung on the server' },
    )
    facilitator.destroy()

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
    expect(platform.gemeenteRol).toBe('faciliteren')
    expect(view.body.lines.find((l) => l.number === 1)!.gemeenteRol).toBeNull()
    expect(view.body.programme.sharedValues.length).toBeGreaterThanOrEqual(5)
    // The public does not see which lines the aanjager should chase.
    expect(view.body.lines.some((l) => 'stale' in l)).toBe(false)
    const asAanjager = await call<ProgrammeView>('GET', p, aanjager)
    expect(asAanjager.body.role).toBe('aanjager')
    expect(asAanjager.body.lines.every((l) => l.stale === false)).toBe(true)

    // Taking the lines over again (on demand) updates them, it does not add copies.
    const again = await call<TakeOverResult>('POST', `${p}/boards/${board.id}/action-lines`, aanjager)
    expect(again.status).toBe(200)
    expect((await call<ProgrammeView>('GET', p, publicToken)).body.lines).toHaveLength(8)
  })

  it('a trekker posts progress on their own line, which the platform shows; nobody else may', async () => {
    const { call, programme, aanjager, publicToken, p, lines } = await withLines()
    const [seven, five] = [lines.find((l) => l.number === 7)!, lines.find((l) => l.number === 5)!]

    expect((await call('GET', `${p}/lines/${seven.id}/trekker-link`, publicToken)).status).toBe(403)
    const link = (await call<{ link: string }>('GET', `${p}/lines/${seven.id}/trekker-link`, aanjager)).body.link
    expect(link).toMatch(new RegExp(`^/p/${programme.id}\\?line=`))
    const trekker = tokenOf(link)

    const posted = await call<ProgressUpdate>('POST', `${p}/lines/${seven.id}/updates`, trekker, {
      text: 'Eerste versie van het platform staat online',
      author: 'John van Heel',
      status: 'loopt',
    })
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
    expect(history.body.updates.map((u) => [u.text, u.status])).toEqual([
      ['Eerste versie van het platform staat online', 'loopt'],
      ['Tweede bijeenkomst gepland', null],
    ])
    expect((await call('PATCH', `${p}/lines/${seven.id}`, trekker, { nextMeeting: '2027-03-14' })).status).toBe(200)
    expect((await call<{ line: ActionLineRecord }>('GET', `${p}/lines/${seven.id}`, publicToken)).body.line.nextMeeting).toBe('2027-03-14')
  })

  it("refuses forged links, another programme's links and a board's links", async () => {
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

describe('boards made in a programme', () => {
  it('the aanjager makes the conference board in the programme: its central task, listed as the conference', async () => {
    const { call, programme, aanjager, publicToken } = await setup()
    const p = `/api/programmes/${programme.id}`
    expect((await call('POST', `${p}/boards/new`, aanjager, { template: 'bestaat-niet' })).status).toBe(400)
    const made = await call<{ boardId: string; link: string }>('POST', `${p}/boards/new`, aanjager, {})
    expect(made.status).toBe(201)
    const access = await call<{ role: string; title: string }>('GET', `/api/boards/${made.body.boardId}`, tokenOf(made.body.link))
    expect(access.body).toMatchObject({ role: 'facilitator', title: programme.name })
    expect((await call<ProgrammeView>('GET', p, publicToken)).body.boards).toMatchObject([{ boardId: made.body.boardId, kind: 'conference' }])
  })
})

describe("taking a conference's action lines over", () => {
  /** An action-line card as a stock client writes it (the board accepts any length and number). */
  const lineCard = (id: string, props: Partial<ActionLineProps>, x: number) => ({
    id,
    typeName: 'shape',
    type: 'action-line',
    x,
    y: 4000,
    rotation: 0,
    index: 'a1',
    parentId: PAGE_ID,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: { ...actionLineDefaults(), status: 'gestart', ...props },
  })
  const longTitle = `Zorg dichtbij ${'in elke wijk '.repeat(20)}`.slice(0, 201)
  const longOrganisation = `Stichting ${'Welzijn en Zorg '.repeat(12)}`.slice(0, 161)

  /** A conference made in the programme, with three cards: a 201-character title, number 1000, a 161-character organisation. */
  async function conferenceWithEdgeCards() {
    const context = await setup()
    const { url, call, programme, aanjager } = context
    const p = `/api/programmes/${programme.id}`
    const made = (await call<{ boardId: string; link: string }>('POST', `${p}/boards/new`, aanjager, {})).body
    const client = makeClient(`${url.replace('http', 'ws')}/sync`, made.boardId)
    await client.synced()
    client.records.set('shape:lang', lineCard('shape:lang', { number: 1, title: longTitle, trekkers: [{ name: 'Anna', organisation: 'Gemeente Weert' }] }, 0))
    client.records.set('shape:duizend', lineCard('shape:duizend', { number: 1000, title: 'Duizend buurtkamers' }, 500))
    client.records.set(
      'shape:organisatie',
      lineCard('shape:organisatie', { number: 3, title: 'Lange naam', trekkers: [{ name: 'Bram', organisation: longOrganisation }] }, 1000),
    )
    const boardToken = tokenOf(made.link)
    await waitFor(
      async () => (await call<{ actionLines: unknown[] }>('GET', `/api/boards/${made.boardId}/outcome.json`, boardToken)).body.actionLines?.length === 3,
      { what: 'the three cards on the server' },
    )
    client.destroy()
    return { ...context, p, boardId: made.boardId, boardToken }
  }

  const expectAllThree = (lines: ActionLineRecord[]) => {
    expect(lines.map((l) => l.number).sort((a, b) => a - b)).toEqual([1, 3, 1000])
    const long = lines.find((l) => l.number === 1)!
    expect(long.title.length).toBeLessThanOrEqual(200)
    expect(long.title.startsWith('Zorg dichtbij in elke wijk')).toBe(true)
    expect(lines.find((l) => l.number === 1000)!.title).toBe('Duizend buurtkamers')
    const organisation = lines.find((l) => l.number === 3)!.trekkers[0]!
    expect(organisation.name).toBe('Bram')
    expect(organisation.organisation.length).toBeLessThanOrEqual(160)
    expect(organisation.organisation.startsWith('Stichting Welzijn')).toBe(true)
  }

  it('at the close, each of a 201-character title, number 1000 and a 161-character organisation is taken over (trimmed where the platform keeps less, and said so)', async () => {
    const { call, log, p, publicToken, boardId, boardToken } = await conferenceWithEdgeCards()
    expect((await call('POST', `/api/boards/${boardId}/close`, boardToken, { by: 'Fien' })).status).toBe(200)
    expect(log.lines.filter((l) => l.includes('handing a closed board over to its programme failed'))).toEqual([])
    expectAllThree((await call<ProgrammeView>('GET', p, publicToken)).body.lines)
    // What was trimmed is in the log, by line.
    expect(log.lines.some((l) => l.includes('trimmed') && l.includes('Zorg dichtbij'))).toBe(true)
  })

  it('Actielijnen nu overnemen answers 200 with what it did: the lines taken, which were trimmed and where', async () => {
    const { call, p, aanjager, publicToken, boardId } = await conferenceWithEdgeCards()
    const answer = await call<TakeOverResult>('POST', `${p}/boards/${boardId}/action-lines`, aanjager)
    expect(answer.status).toBe(200)
    expectAllThree(answer.body.lines)
    expect(answer.body.refused).toEqual([])
    expect(answer.body.trimmed.map((t) => [t.number, t.fields.map((f) => `${f.field}:${f.max}`)]).sort()).toEqual([
      [1, ['title:200']],
      [3, ['trekkers:160']],
    ])
    expect(answer.body.trimmed.find((t) => t.number === 1)!.title.startsWith('Zorg dichtbij')).toBe(true)
    expectAllThree((await call<ProgrammeView>('GET', p, publicToken)).body.lines)
  })
})

describe("an action line's werkplaats board", () => {
  it('the trekker makes it from the action-line template; it holds the line and the way back, and the line links to it', async () => {
    const { url, call, programme, aanjager, publicToken, board } = await setup()
    const p = `/api/programmes/${programme.id}`
    await call('POST', `${p}/boards`, aanjager, { boardLink: board.links.facilitator })
    await call('POST', `${p}/boards/${board.id}/action-lines`, aanjager)
    const seven = (await call<ProgrammeView>('GET', p, publicToken)).body.lines.find((l) => l.number === 7)!
    const trekker = tokenOf((await call<{ link: string }>('GET', `${p}/lines/${seven.id}/trekker-link`, aanjager)).body.link)
    expect((await call('POST', `${p}/lines/${seven.id}/werkplaats`, publicToken)).status).toBe(403)
    const made = await call<{ boardId: string; link: string }>('POST', `${p}/lines/${seven.id}/werkplaats`, trekker)
    expect(made.status).toBe(201)
    expect((await call('POST', `${p}/lines/${seven.id}/werkplaats`, trekker)).status).toBe(409)

    // The board: the template's five frames, the line's text in the first, the facilitator link works.
    const boardToken = tokenOf(made.body.link)
    const access = await call<{ role: string; title: string }>('GET', `/api/boards/${made.body.boardId}`, boardToken)
    expect(access.body).toMatchObject({ role: 'facilitator', title: `Werkplaats 7: ${seven.title}` })
    const md = await (await fetch(`${url}/api/boards/${made.body.boardId}/export.tldr`, { headers: { authorization: `Bearer ${boardToken}` } })).text()
    for (const frame of ['Doel en stip op de horizon', 'Eerste stappen', 'Wie doet wat', 'Experimenten', 'Wat hebben we nodig']) expect(md).toContain(frame)
    expect(md).toContain(`/p/${programme.id}`)
    // Linked both ways: the programme lists it as a werkplaats, the line carries it (a facilitator link
    // for its trekker and the aanjager, a viewer link for the public).
    const asPublic = (await call<ProgrammeView>('GET', p, publicToken)).body
    expect(asPublic.boards.find((b) => b.boardId === made.body.boardId)?.kind).toBe('werkplaats')
    const publicLine = asPublic.lines.find((l) => l.id === seven.id)!
    expect(publicLine.werkplaatsBoardId).toBe(made.body.boardId)
    expect((await call<{ role: string }>('GET', `/api/boards/${made.body.boardId}`, tokenOf(publicLine.werkplaatsLink!))).body.role).toBe('viewer')
    // The werkplaats's facilitators post progress from the board; its participants and other boards may not.
    const fromBoard = await call<ProgressUpdate>('POST', `/api/boards/${made.body.boardId}/line-updates`, boardToken, {
      text: 'Eerste werksessie gehouden',
      author: 'John',
      status: 'loopt',
    })
    expect(fromBoard.status).toBe(201)
    expect(
      (
        await call('POST', `/api/boards/${made.body.boardId}/line-updates`, createTokens(TEST_SECRET).sign(made.body.boardId, 'participant'), {
          text: 'x',
          author: 'y',
        })
      ).status,
    ).toBe(403)
    expect((await call('POST', `/api/boards/${board.id}/line-updates`, tokenOf(board.links.facilitator), { text: 'x', author: 'y' })).status).toBe(404)
    expect((await call<ProgrammeView>('GET', p, publicToken)).body.lines.find((l) => l.id === seven.id)!.lastUpdate?.text).toBe('Eerste werksessie gehouden')
    const trekkerLine = (await call<ProgrammeView>('GET', `${p}?line=${seven.id}`, trekker)).body.lines.find((l) => l.id === seven.id)!
    expect((await call<{ role: string }>('GET', `/api/boards/${made.body.boardId}`, tokenOf(trekkerLine.werkplaatsLink!))).body.role).toBe('facilitator')

    // Deleting the werkplaats board takes it out of the programme; the line can get a new one.
    expect((await call('DELETE', `/api/boards/${made.body.boardId}`, boardToken)).status).toBe(200)
    const afterDelete = (await call<ProgrammeView>('GET', p, publicToken)).body
    expect(afterDelete.boards.map((b) => b.boardId)).not.toContain(made.body.boardId)
    expect(afterDelete.lines.find((l) => l.id === seven.id)).toMatchObject({ werkplaatsBoardId: null })
    expect((await call('POST', `${p}/lines/${seven.id}/werkplaats`, trekker)).status).toBe(201)
  })
})

describe('the terugkomdag', () => {
  it('is filled from the programme as it is now, and what it decides flows back when it is closed', async () => {
    const { url, call, aanjager, publicToken, p, lines } = await withLines()
    const seven = lines.find((l) => l.number === 7)!
    await call('POST', `${p}/lines/${seven.id}/updates`, aanjager, { text: 'Website live', author: 'John', status: 'loopt' })

    expect((await call('POST', `${p}/terugkomdag`, publicToken)).status).toBe(403)
    const started = await call<{ boardId: string; link: string }>('POST', `${p}/terugkomdag`, aanjager)
    expect(started.status).toBe(201)
    const token = tokenOf(started.body.link)
    const outcome = (await (
      await fetch(`${url}/api/boards/${started.body.boardId}/outcome.json`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { actionLines: { id: string; status: string; trekkers: { name: string }[] }[] }
    // One card per line, as the programme has it now (line 7 is 'loopt' since the update).
    expect(outcome.actionLines).toHaveLength(8)
    expect(outcome.actionLines.find((c) => c.id === `shape:line-${seven.id}`)).toMatchObject({
      status: 'loopt',
      trekkers: [{ name: 'John van Heel' }, { name: 'Martine Jacobs' }],
    })
    const tldr = await (await fetch(`${url}/api/boards/${started.body.boardId}/export.tldr`, { headers: { authorization: `Bearer ${token}` } })).text()
    for (const text of ['Wat loopt goed', 'Waar lopen we vast', 'Wat hebben we nodig', 'Nieuwe experimenten', 'Nieuwe actielijnen', 'Website live'])
      expect(tldr).toContain(text)
    expect((await call<ProgrammeView>('GET', p, aanjager)).body.boards.map((b) => b.kind)).toEqual(['conference', 'terugkomdag'])

    // At the meeting: line 7 is finished with a new trekker, and a new line is made.
    const meeting = makeClient(`${url.replace('http', 'ws')}/sync`, started.body.boardId)
    await meeting.synced()
    const card = meeting.records.get(`shape:line-${seven.id}`) as { props: Record<string, unknown> }
    meeting.records.set(`shape:line-${seven.id}`, {
      ...card,
      props: {
        ...card.props,
        status: 'afgerond',
        trekkers: [
          { name: 'Martine Jacobs', organisation: 'NTC het Kwadrant' },
          { name: 'Sanne Bos', organisation: 'Bibliotheek' },
        ],
      },
    })
    meeting.records.set('shape:nieuwe-lijn', {
      ...card,
      id: 'shape:nieuwe-lijn',
      props: {
        ...card.props,
        number: 0,
        title: 'Jongerenraad',
        motto: '',
        description: 'Jongeren praten mee',
        status: 'idee',
        trekkers: [{ name: 'Noor', organisation: '' }],
        betrokkenen: [],
      },
    })
    await waitFor(
      async () =>
        (
          (await (await fetch(`${url}/api/boards/${started.body.boardId}/outcome.json`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
            actionLines: unknown[]
          }
        ).actionLines.length === 9,
      { what: "the meeting's changes on the server" },
    )
    meeting.destroy()
    expect((await call('POST', `/api/boards/${started.body.boardId}/close`, token, { by: 'Aanjager' })).status).toBe(200)

    const after = (await call<ProgrammeView>('GET', p, publicToken)).body
    const seven2 = after.lines.find((l) => l.id === seven.id)!
    expect(seven2.status).toBe('afgerond')
    expect(seven2.trekkers.map((t) => t.name)).toEqual(['Martine Jacobs', 'Sanne Bos'])
    expect(seven2.lastUpdate?.text).toMatch(/^Besloten op Terugkomdag .*: trekkers: Martine Jacobs, Sanne Bos; status loopt → afgerond$/)
    const added = after.lines.find((l) => l.title === 'Jongerenraad')!
    expect(added).toMatchObject({ number: 9, status: 'idee', trekkers: [{ name: 'Noor', organisation: '' }] })
    expect(after.lines).toHaveLength(9)
    // Unchanged lines got no update.
    expect(after.lines.find((l) => l.number === 1)!.lastUpdate).toBeNull()
  })
})

describe('experiments', () => {
  it('anyone proposes one with the three checks; one naming a conflicting line is listed with it; the aanjager accepts it onto the werkplaats or declines it with a reason', async () => {
    const { url, call, aanjager, publicToken, p, lines } = await withLines()
    const [five, eight] = [lines.find((l) => l.number === 5)!, lines.find((l) => l.number === 8)!]
    const proposal = {
      title: 'Buurtkamer in de bibliotheek',
      description: 'Eén middag per week',
      proposer: 'Mieke',
      lineId: five.id,
      horizon: { ok: true, why: 'Nabijheid: de inwoner vindt hulp dichtbij' },
      noConflict: { ok: true, why: 'Raakt De Ring, maar vult die aan', conflictsWith: [eight.id] },
      transformation: { ok: true, why: 'Nieuw in Weert' },
    }
    expect((await call('POST', `${p}/experiments`, publicToken, { ...proposal, horizon: { ok: true, why: '' } })).status).toBe(400)
    expect(
      (await call('POST', `${p}/experiments`, publicToken, { ...proposal, noConflict: { ...proposal.noConflict, conflictsWith: ['geen-lijn'] } })).status,
    ).toBe(400)
    const made = await call<{ id: string; state: string }>('POST', `${p}/experiments`, publicToken, proposal)
    expect(made.status).toBe(201)
    expect(made.body.state).toBe('proposed')
    const second = await call<{ id: string }>('POST', `${p}/experiments`, publicToken, {
      ...proposal,
      title: 'Nog een loket',
      noConflict: { ok: false, why: 'Dubbelt met De Ring', conflictsWith: [eight.id] },
    })

    const view = (await call<ProgrammeView>('GET', p, publicToken)).body
    expect(view.experiments.filter((e) => e.noConflict.conflictsWith.includes(eight.id)).map((e) => e.title)).toEqual([
      'Buurtkamer in de bibliotheek',
      'Nog een loket',
    ])

    const decide = (id: string, token: string, body: unknown) => call<{ state: string; reason: string }>('POST', `${p}/experiments/${id}/decision`, token, body)
    expect((await decide(made.body.id, publicToken, { decision: 'accepted' })).status).toBe(403)
    expect((await decide(made.body.id, aanjager, { decision: 'accepted' })).status).toBe(409) // no werkplaats yet
    const werkplaats = (await call<{ boardId: string; link: string }>('POST', `${p}/lines/${five.id}/werkplaats`, aanjager)).body
    expect((await decide(made.body.id, aanjager, { decision: 'accepted' })).body.state).toBe('accepted')
    expect((await decide(made.body.id, aanjager, { decision: 'declined', reason: 'toch niet' })).status).toBe(409)
    expect((await decide(second.body.id, aanjager, { decision: 'declined' })).status).toBe(400)
    expect((await decide(second.body.id, aanjager, { decision: 'declined', reason: 'Botst met De Ring' })).body).toMatchObject({
      state: 'declined',
      reason: 'Botst met De Ring',
    })

    const tldr = (await (
      await fetch(`${url}/api/boards/${werkplaats.boardId}/export.tldr`, { headers: { authorization: `Bearer ${tokenOf(werkplaats.link)}` } })
    ).json()) as { records: { type?: string; props?: { title?: string; horizon?: boolean } }[] }
    const card = tldr.records.find((r) => r.type === 'experiment')
    expect(card?.props).toMatchObject({ title: 'Buurtkamer in de bibliotheek', horizon: true })
    expect((await call<ProgrammeView>('GET', p, publicToken)).body.experiments.map((e) => [e.title, e.state])).toEqual([
      ['Buurtkamer in de bibliotheek', 'accepted'],
      ['Nog een loket', 'declined'],
    ])
  })
})

describe('residents signing up, and their personal data', () => {
  it("one person's data can be exported and deleted, and is then absent from every page, export and report", async () => {
    const { url, call, programme, aanjager, publicToken, p, lines } = await withLines()
    const [seven, five] = [lines.find((l) => l.number === 7)!, lines.find((l) => l.number === 5)!]
    const trekker7 = tokenOf((await call<{ link: string }>('GET', `${p}/lines/${seven.id}/trekker-link`, aanjager)).body.link)
    const trekker5 = tokenOf((await call<{ link: string }>('GET', `${p}/lines/${five.id}/trekker-link`, aanjager)).body.link)

    const mieke = {
      name: 'Mieke Smeets',
      contact: 'mieke.smeets@example.nl',
      organisation: 'Buurtvereniging Moesel',
      group: 'inwoners',
      consent: true,
      smoelenboek: true,
    }
    expect((await call('POST', `${p}/lines/${seven.id}/signups`, publicToken, { ...mieke, consent: false })).status).toBe(400)
    expect((await call('POST', `${p}/lines/${seven.id}/signups`, publicToken, { ...mieke, contact: 'nergens' })).status).toBe(400)
    expect((await call('POST', `${p}/lines/${seven.id}/signups`, null, mieke)).status).toBe(401)
    const signed = await call<SignedUp>('POST', `${p}/lines/${seven.id}/signups`, publicToken, mieke)
    expect(signed.status).toBe(201)
    expect(signed.body.manageLink).toMatch(new RegExp(`^/p/${programme.id}\\?signup=`))
    const other = await call<SignedUp>('POST', `${p}/lines/${seven.id}/signups`, publicToken, {
      name: 'Sjaak Hermans',
      contact: '+31 6 1234 5678',
      consent: true,
    })
    expect(other.status).toBe(201)
    const manage = new URL(signed.body.manageLink, url)
    const key = manage.searchParams.get('key')!
    const id = manage.searchParams.get('signup')!

    // The public sees a count and the opted-in name, never a contact; the trekker of the line sees both people.
    const publicView = await call<ProgrammeView>('GET', p, publicToken)
    expect(publicView.body.lines.find((l) => l.id === seven.id)!.signups).toBe(2)
    expect(publicView.body.smoelenboek.map((e) => e.name)).toContain('Mieke Smeets')
    expect(publicView.body.smoelenboek.map((e) => e.name)).not.toContain('Sjaak Hermans')
    expect(JSON.stringify(publicView.body)).not.toContain('mieke.smeets@example.nl')
    expect((await call<{ name: string }[]>('GET', `${p}/signups?line=${seven.id}`, trekker7)).body.map((x) => x.name)).toEqual([
      'Mieke Smeets',
      'Sjaak Hermans',
    ])
    expect((await call<unknown[]>('GET', `${p}/signups?line=${five.id}`, trekker5)).body).toEqual([])
    expect((await call('GET', `${p}/signups`, publicToken)).status).toBe(403)
    expect((await call<unknown[]>('GET', `${p}/signups`, aanjager)).body).toHaveLength(2)

    // Her own link exports everything kept about her; a wrong key finds nothing.
    const exported = await call<{ signup: { contact: string }; line: { title: string } }>('GET', `${p}/signups/${id}?key=${key}`, null)
    expect(exported.status).toBe(200)
    expect(exported.body.signup.contact).toBe('mieke.smeets@example.nl')
    expect(exported.body.line.title).toBe(seven.title)
    expect((await call('GET', `${p}/signups/${id}?key=${'x'.repeat(24)}`, null)).status).toBe(404)
    expect((await call('DELETE', `${p}/signups/${id}?key=${'x'.repeat(24)}`, null)).status).toBe(404)

    // She removes it; afterwards she is nowhere.
    expect((await call('DELETE', `${p}/signups/${id}?key=${key}`, null)).status).toBe(204)
    expect((await call('GET', `${p}/signups/${id}?key=${key}`, null)).status).toBe(404)
    const everywhere = [
      JSON.stringify((await call('GET', p, publicToken)).body),
      JSON.stringify((await call('GET', p, aanjager)).body),
      JSON.stringify((await call('GET', `${p}/signups`, aanjager)).body),
      JSON.stringify((await call('GET', `${p}/signups?line=${seven.id}`, trekker7)).body),
      JSON.stringify((await call('GET', `${p}/lines/${seven.id}`, publicToken)).body),
    ]
    for (const file of ['report.md', 'report.html', 'report.json', 'meetings.ics']) {
      const response = await fetch(`${url}${p}/${file}`, { headers: { authorization: `Bearer ${aanjager}` } })
      expect(response.status).toBe(200)
      everywhere.push(await response.text())
    }
    for (const text of everywhere) {
      expect(text).not.toContain('Mieke')
      expect(text).not.toContain('mieke.smeets@example.nl')
    }
    expect(everywhere[0]).toContain('"signups":1')
    // The aanjager removes the other on request.
    expect((await call('DELETE', `${p}/signups/${new URL(other.body.manageLink, url).searchParams.get('signup')}`, aanjager)).status).toBe(204)
    expect((await call<unknown[]>('GET', `${p}/signups`, aanjager)).body).toEqual([])
  })
})

describe('the progress report and the calendar', () => {
  it('report (Markdown, HTML, JSON) shows status over time and updates; the calendar holds the next meetings', async () => {
    const { url, call, programme, aanjager, publicToken, board } = await setup()
    const p = `/api/programmes/${programme.id}`
    await call('POST', `${p}/boards`, aanjager, { boardLink: board.links.facilitator })
    await call('POST', `${p}/boards/${board.id}/action-lines`, aanjager)
    const seven = (await call<ProgrammeView>('GET', p, publicToken)).body.lines.find((l) => l.number === 7)!
    await call('POST', `${p}/lines/${seven.id}/updates`, aanjager, { text: 'Online, met zoekfunctie', author: 'John', status: 'loopt' })
    await call('POST', `${p}/lines/${seven.id}/updates`, aanjager, { text: 'Overgedragen aan de bibliotheek', author: 'Martine', status: 'afgerond' })
    await call('PATCH', `${p}/lines/${seven.id}`, aanjager, { nextMeeting: '2027-05-20' })
    const get = (file: string, token = publicToken) => fetch(`${url}${p}/${file}`, { headers: { authorization: `Bearer ${token}` } })

    const md = await (await get('report.md')).text()
    expect(md).toContain(`### 7. ${seven.title}`)
    expect(md).toMatch(/gestart \(sinds \d{4}-\d{2}-\d{2}\) → loopt \(sinds [^)]+\) → afgerond/)
    expect(md).toContain('Overgedragen aan de bibliotheek')
    const html = await get('report.html?lang=en')
    expect(html.headers.get('content-type')).toMatch(/text\/html/)
    const page = await html.text()
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/)
    expect(page).toContain('Progress report')
    const json = (await (await get('report.json')).json()) as { lines: { id: string; updates: unknown[] }[] }
    expect(json.lines.find((l) => l.id === seven.id)!.updates).toHaveLength(2)
    const ics = await (await get('meetings.ics')).text()
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true)
    expect(ics).toContain('DTSTART;VALUE=DATE:20270520')
    expect(ics).toContain('DTEND;VALUE=DATE:20270521')
    expect(ics.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true)
    expect((await get('report.md', 'kapot')).status).toBe(403)
  })

  it('dates an update at 00:30 in the Netherlands on that day, in summer and winter time, in every report, the calendar and a follow-up meeting', async () => {
    let clock = Date.parse('2026-01-10T12:00:00Z')
    const { url, storage, call, publicToken, aanjager, p, line } = await withLines({ now: () => clock })
    const seven = line(7)
    clock = Date.parse('2026-01-14T23:30:00Z')
    await call('POST', `${p}/lines/${seven.id}/updates`, aanjager, { text: 'Winternacht', author: 'John', status: 'loopt' })
    clock = Date.parse('2026-06-14T22:30:00Z')
    await call('POST', `${p}/lines/${seven.id}/updates`, aanjager, { text: 'Zomernacht', author: 'Martine' })
    await call('PATCH', `${p}/lines/${seven.id}`, aanjager, { nextMeeting: '2026-06-20' })
    const get = async (file: string) => (await fetch(`${url}${p}/${file}`, { headers: { authorization: `Bearer ${publicToken}` } })).text()

    const md = await get('report.md')
    expect(md).toContain('- 2026-01-15 — John [loopt]: Winternacht')
    expect(md).toContain('- 2026-06-15 — Martine: Zomernacht')
    expect(md).toContain('loopt (sinds 2026-01-15)')
    expect(md).toContain('Gemaakt op 2026-06-15')
    const html = await get('report.html')
    expect(html).toContain('2026-01-15 — John')
    expect(html).toContain('2026-06-15 — Martine')
    expect(html).toContain('Gemaakt op 2026-06-15')
    for (const text of [md, html]) expect(text).not.toMatch(/2026-01-14|2026-06-14/)
    const json = JSON.parse(await get('report.json')) as {
      generatedDay: string
      lines: { id: string; updates: { text: string; at: number; day: string }[]; timeline: { status: string; since: string }[] }[]
    }
    const days = json.lines.find((l) => l.id === seven.id)!
    expect(days.updates.map((u) => [u.text, u.day])).toEqual([
      ['Winternacht', '2026-01-15'],
      ['Zomernacht', '2026-06-15'],
    ])
    expect(days.updates[1]!.at).toBe(Date.parse('2026-06-14T22:30:00Z'))
    expect(days.timeline.at(-1)).toEqual({ status: 'loopt', since: '2026-01-15' })
    expect(json.generatedDay).toBe('2026-06-15')
    // RFC 5545: the stamp is an instant in UTC (with Z), the meeting an all-day date — neither a day cut from UTC.
    const ics = await get('meetings.ics')
    expect(ics).toContain('DTSTAMP:20260614T223000Z\r\n')
    expect(ics).toContain('DTSTART;VALUE=DATE:20260620\r\n')
    expect(ics).toContain('DTEND;VALUE=DATE:20260621\r\n')
    // The follow-up meeting started then is named for that day, and lists the updates by their day.
    const started = await call<{ boardId: string }>('POST', `${p}/terugkomdag`, aanjager)
    expect((await storage.catalogue.get(started.body.boardId as never))!.title).toMatch(/^Terugkomdag 2026-06-15 — /)
  })

  it('takes only real days as next meeting; a day stored before that check reads as none, and the calendar still answers', async () => {
    const { url, storage, call, programme, publicToken, aanjager, p, line } = await withLines()
    const seven = line(7)
    for (const day of ['2027-13-45', '2027-02-29', '2027-04-31']) {
      const refused = await call<{ error: string }>('PATCH', `${p}/lines/${seven.id}`, aanjager, { nextMeeting: day })
      expect(refused.status, day).toBe(400)
      expect(refused.body.error).toMatch(/nextMeeting.*real day/)
    }
    expect((await call('PATCH', `${p}/lines/${seven.id}`, aanjager, { nextMeeting: '2028-02-29' })).status).toBe(200)
    // A line stored with an impossible day (before the check existed) has no next meeting, for everyone.
    const stored = JSON.parse((await storage.records.get(programme.id, 'line', seven.id))!) as ActionLineRecord
    await storage.records.put(programme.id, 'line', seven.id, JSON.stringify({ ...stored, nextMeeting: '2027-13-45' }))
    const ics = await fetch(`${url}${p}/meetings.ics`, { headers: { authorization: `Bearer ${publicToken}` } })
    expect(ics.status).toBe(200)
    expect(await ics.text()).not.toContain('2027134')
    expect((await call<ProgrammeView>('GET', p, publicToken)).body.lines.find((l) => l.id === seven.id)!.nextMeeting).toBeNull()
  })

  it('writes no control character raw into the calendar: line breaks of every kind become \\n, other controls a space', async () => {
    const { url, storage, call, programme, publicToken, aanjager, p, line } = await withLines()
    const seven = line(7)
    await call('PATCH', `${p}/lines/${seven.id}`, aanjager, { nextMeeting: '2027-05-20' })
    // A card's title holds whatever was typed or pasted on the board.
    const stored = JSON.parse((await storage.records.get(programme.id, 'line', seven.id))!) as ActionLineRecord
    await storage.records.put(programme.id, 'line', seven.id, JSON.stringify({ ...stored, title: 'Een\rtwee\r\ndrie\nvier\u0007vijf\u007fzes\u2028zeven' }))
    const ics = await (await fetch(`${url}${p}/meetings.ics`, { headers: { authorization: `Bearer ${publicToken}` } })).text()
    // Every CR is part of a CRLF line ending, every LF ends a line; no other control character at all.
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/)
    expect(ics.replace(/\r\n /g, '')).toContain('SUMMARY:Bijeenkomst actielijn 7: Een\\ntwee\\ndrie\\nvier vijf zes\\nzeven\r\n')
  })

  it('writes what people typed as text in the Markdown: no HTML, link or image reaches a reader of report.md', async () => {
    const { url, call, publicToken, aanjager, p, line } = await withLines()
    const eve = 'Eve <img src=x onerror=alert(1)> [klik](javascript:alert(2))'
    const seven = line(7)
    expect(
      (
        await call('POST', `${p}/lines/${seven.id}/signups`, publicToken, {
          name: eve,
          contact: 'eve@example.nl',
          organisation: '![logo](javascript:alert(3))',
          group: '<b>inwoners</b>',
          consent: true,
          smoelenboek: true,
        })
      ).status,
    ).toBe(201)
    await call('POST', `${p}/lines/${seven.id}/updates`, aanjager, {
      text: 'Zie <script>alert(4)</script> en [hier](javascript:alert(5))\n# kop',
      author: '<i>Mallory</i>',
    })
    const md = await (await fetch(`${url}${p}/report.md`, { headers: { authorization: `Bearer ${publicToken}` } })).text()
    expect(md).toContain('Eve \\<img src=x onerror=alert(1)\\> \\[klik\\](javascript:alert(2))')
    // What a CommonMark reader takes as markup: the text without its backslash-escaped characters.
    const markup = md.replace(/\\[!-/:-@[-`{-~]/g, ' ')
    for (const html of ['<img', '<script', '<b>', '<i>']) expect(markup).not.toContain(html)
    expect(markup).not.toMatch(/\]\(javascript:/)
    expect(md).not.toMatch(/^# kop/m)
  })
})

describe('every programme route, for every kind of link', () => {
  it("answers the aanjager, a line's trekker, another line's trekker, the public, no link, a forged link and another programme's link as it should", async () => {
    const { url: baseUrl, call, programme, aanjager, publicToken, board, p, lines } = await withLines()
    const [seven, five] = [lines.find((l) => l.number === 7)!, lines.find((l) => l.number === 5)!]
    const trekkerOf = async (id: string) => tokenOf((await call<{ link: string }>('GET', `${p}/lines/${id}/trekker-link`, aanjager)).body.link)
    const other = (await call<CreatedProgramme>('POST', '/api/programmes', null, { name: 'Ander' })).body
    const links: Record<string, string | null> = {
      aanjager,
      trekker: await trekkerOf(seven.id),
      otherTrekker: await trekkerOf(five.id),
      public: publicToken,
      none: null,
      forged: createTokens('a-different-secret-a-different-secret-xx').sign(`programme:${programme.id}`, 'facilitator'),
      otherProgramme: tokenOf(other.links.aanjager),
    }
    const experiment = {
      title: 'Proef',
      proposer: 'X',
      lineId: seven.id,
      horizon: { ok: true, why: 'a' },
      noConflict: { ok: true, why: 'b' },
      transformation: { ok: true, why: 'c' },
    }
    const l = `${p}/lines/${seven.id}`
    type Who = keyof typeof links
    const routes: [string, string, unknown, Who[]][] = [
      ['GET', p, undefined, ['aanjager', 'trekker', 'otherTrekker', 'public']],
      ['GET', l, undefined, ['aanjager', 'trekker', 'otherTrekker', 'public']],
      ['POST', `${l}/updates`, { text: 't', author: 'a' }, ['aanjager', 'trekker']],
      ['PATCH', l, { nextMeeting: '2027-01-01' }, ['aanjager', 'trekker']],
      ['GET', `${l}/trekker-link`, undefined, ['aanjager']],
      ['POST', `${l}/signups`, { name: 'N', contact: 'n@example.nl', consent: true }, ['aanjager', 'trekker', 'otherTrekker', 'public']],
      ['GET', `${p}/signups`, undefined, ['aanjager', 'trekker', 'otherTrekker']],
      ['POST', `${p}/experiments`, experiment, ['aanjager', 'trekker', 'otherTrekker', 'public']],
      ['POST', `${p}/boards`, { boardLink: board.links.facilitator }, ['aanjager']],
      ['POST', `${p}/boards/${board.id}/action-lines`, undefined, ['aanjager']],
      ['GET', `${p}/report.md`, undefined, ['aanjager', 'trekker', 'otherTrekker', 'public']],
      ['GET', `${p}/meetings.ics`, undefined, ['aanjager', 'trekker', 'otherTrekker', 'public']],
      ['POST', `${p}/terugkomdag`, undefined, ['aanjager']],
      ['POST', `${p}/boards/new`, {}, ['aanjager']],
      ['POST', `${l}/werkplaats`, undefined, ['aanjager', 'trekker']],
    ]
    const wrong: string[] = []
    for (const [method, path, body, allowed] of routes) {
      for (const who of Object.keys(links) as Who[]) {
        const response = await fetch(`${url(path)}`, {
          method,
          headers: { 'content-type': 'application/json', ...(links[who] ? { authorization: `Bearer ${links[who]}` } : {}) },
          body: body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(body),
        })
        const expected = allowed.includes(who) ? 'allowed' : who === 'none' ? 401 : 403
        // Past the link check: done, or refused for what it asks (409: the werkplaats exists already).
        const got =
          response.status === 401 || response.status === 403 ? response.status : response.status < 300 || response.status === 409 ? 'allowed' : response.status
        if (got !== expected) wrong.push(`${method} ${path.replace(p, '…')} as ${who}: ${response.status}, expected ${expected}`)
      }
    }
    expect(wrong).toEqual([])
    function url(path: string) {
      return `${baseUrl}${path}`
    }
  })
})

describe('stale action lines', () => {
  const week = 7 * 86_400_000
  it("the aanjager sees a line flagged once it has gone quiet for the programme's weeks, and unflagged by an update", async () => {
    let now = Date.UTC(2027, 0, 4)
    const storage = createMemoryStorage()
    const service = new ProgrammeService(
      storage,
      async () => null,
      inlineBoardWork,
      createTokens(TEST_SECRET),
      createMemoryLogger(),
      () => now,
    )
    const { programme } = await service.create({ name: 'Stil', region: '', centraleOpgave: '', municipalities: [], staleWeeks: 2 })
    const line = {
      id: 'b-l1',
      programmeId: programme.id,
      number: 1,
      title: 'Buurtkamer',
      motto: '',
      description: '',
      themes: [],
      trekkers: [],
      betrokkenen: [],
      gemeenteRol: null,
      municipalities: [],
      status: 'loopt',
      source: { boardId: 'b', shapeId: 'shape:l1', boardTitle: 'B' },
      nextMeeting: null,
      werkplaatsBoardId: null,
      createdAt: now,
      lastUpdateAt: now,
    }
    await storage.records.put(programme.id, 'line', line.id, JSON.stringify(line))
    const stale = async () => (await service.view(programme.id, { role: 'aanjager' })).lines[0]!.stale
    now += 2 * week
    expect(await stale()).toBe(false)
    now += 1
    expect(await stale()).toBe(true)
    expect((await service.view(programme.id, { role: 'public' })).lines[0]!.stale).toBeUndefined()
    await service.lines.addUpdate(programme.id, line.id, { text: 'Weer bezig', author: 'Trekker' })
    expect(await stale()).toBe(false)
    now += 3 * week
    expect(await stale()).toBe(true)
    await service.lines.addUpdate(programme.id, line.id, { text: 'Klaar', author: 'Trekker', status: 'afgerond' })
    now += 10 * week
    expect(await stale()).toBe(false)
  })

  it("a line without an update for longer than the programme's weeks is stale, unless it is finished or stopped", () => {
    expect(isStale({ lastUpdateAt: 0, status: 'loopt' }, 6, 6 * week)).toBe(false)
    expect(isStale({ lastUpdateAt: 0, status: 'loopt' }, 6, 6 * week + 1)).toBe(true)
    expect(isStale({ lastUpdateAt: 0, status: 'afgerond' }, 6, 60 * week)).toBe(false)
    expect(isStale({ lastUpdateAt: 0, status: 'gestopt' }, 6, 60 * week)).toBe(false)
  })
})
