import { describe, expect, it } from 'vitest'
import type { Outcome } from '../../shared/format/model.ts'
import { themeCardDefaults } from '../../shared/shapes/theme-card-shape.ts'
import { makeClient } from '../helpers/client.ts'
import { startServer, tokenFor } from '../helpers/server.ts'

const tok = (id: string) => `token=${encodeURIComponent(tokenFor(id, 'viewer'))}`
import { waitFor } from '../helpers/wait.ts'

async function post(url: string, body: unknown) {
  const res = await fetch(`${url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as { id: string; error: string; title: string } }
}

describe('boards from templates and the example, and their outcome', () => {
  it("tells the join dialog the board's own stakeholder groups", async () => {
    const { url } = await startServer()
    const groups = [
      { id: 'buurt', name: { nl: 'Buurt', en: 'Neighbourhood' }, color: 'green' },
      { id: 'school', name: { nl: 'School', en: 'School' }, color: 'blue' },
    ]
    const { body } = await post(url, { template: 'wijkagenda', centraleOpgave: 'Een wijk waar iedereen meedoet', targetYear: 2030, groups })
    const board = (await (await fetch(`${url}/api/boards/${body.id}?${tok(body.id)}`)).json()) as { groups?: { id: string }[] }
    expect(board.groups?.map((g) => g.id)).toEqual(['buurt', 'school'])
    const blank = await post(url, {})
    expect(((await (await fetch(`${url}/api/boards/${blank.body.id}?${tok(blank.body.id)}`)).json()) as { groups?: unknown }).groups).toBeUndefined()
  })

  it('lists the templates', async () => {
    const { url } = await startServer()
    const templates = (await (await fetch(`${url}/api/templates`)).json()) as { id: string; frames: unknown[] }[]
    expect(templates.map((t) => t.id)).toEqual(['24-uursconferentie', 'doorbraaksessie', 'wijkagenda', 'eigen-kracht-plan', 'actielijn-werkplaats'])
    expect(templates[0]!.frames).toHaveLength(8)
  })

  it('creates a 24-uursconferentie board whose first sync carries every frame and the session', async () => {
    const { url, wsUrl } = await startServer()
    const created = await post(url, { template: '24-uursconferentie', title: 'Weert 2030', centraleOpgave: 'In 2030 doet iedereen mee.', targetYear: 2030 })
    expect(created.status).toBe(201)
    expect(created.body.title).toBe('Weert 2030')
    const client = makeClient(wsUrl, created.body.id)
    await client.synced()
    const frames = [...client.records.values()].filter((r) => (r as { type?: string }).type === 'frame') as { props: { name: string } }[]
    expect(frames.map((f) => f.props.name)).toContain('Toekomst — het is 2030')
    expect(client.doc.getMap('meta').get('session')).toMatchObject({ centraleOpgave: 'In 2030 doet iedereen mee.', targetYear: 2030 })
  })

  it.each([
    [{ template: '24-uursconferentie', targetYear: 2030 }, /^centraleOpgave: required with a template/],
    [{ template: '24-uursconferentie', centraleOpgave: 'x' }, /^targetYear: required/],
    [{ template: 'kermis', centraleOpgave: 'x', targetYear: 2030 }, /^template: unknown template; choose one of 24-uursconferentie/],
    [
      { example: 'samen-aan-de-slag-2018', template: '24-uursconferentie', centraleOpgave: 'x', targetYear: 2030 },
      /example: give either a template or an example/,
    ],
    [{ template: '24-uursconferentie', centraleOpgave: 'x', targetYear: 2030.5 }, /^targetYear: must be a whole year/],
    [
      { template: '24-uursconferentie', centraleOpgave: 'x', targetYear: 2030, groups: [{ id: 'Zorg!', name: { nl: 'Zorg', en: 'Care' }, color: 'red' }] },
      /^groups\.0\.id/,
    ],
  ])('refuses %j with 400 naming the field', async (body, message) => {
    const { url } = await startServer()
    const res = await post(url, body)
    expect(res.status).toBe(400)
    expect(res.body.error).toMatch(message)
  })

  it("serves the example board's outcome as JSON, Markdown and printable HTML", async () => {
    const { url } = await startServer()
    const { body } = await post(url, { example: 'samen-aan-de-slag-2018' })
    const outcome = (await (await fetch(`${url}/api/boards/${body.id}/outcome.json?${tok(body.id)}`)).json()) as Outcome
    expect(outcome.themes).toHaveLength(6)
    expect(outcome.actionLines.map((l) => l.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])

    const md = await fetch(`${url}/api/boards/${body.id}/outcome.md?${tok(body.id)}`)
    expect(md.headers.get('content-type')).toContain('text/markdown')
    expect((await md.text()).match(/^### \d\. /gm)).toHaveLength(8)

    const html = await fetch(`${url}/api/boards/${body.id}/outcome.html?lang=en&${tok(body.id)}`)
    expect(html.headers.get('content-type')).toContain('text/html')
    const text = await html.text()
    expect(text).toContain('<h2>Action lines</h2>')
    expect(text).toContain('@media print')
  })

  it('serves the report as a real PDF: one click, a download, a page per section', async () => {
    const { url } = await startServer()
    const { body } = await post(url, { example: 'samen-aan-de-slag-2018' })
    const res = await fetch(`${url}/api/boards/${body.id}/outcome.pdf?${tok(body.id)}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.pdf"$/)
    const pdf = Buffer.from(await res.arrayBuffer())
    const text = pdf.toString('latin1')
    expect(text.startsWith('%PDF-1.')).toBe(true)
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true)
    expect(text).toMatch(/\/Title (\(|<|\d+ 0 R)/)
    expect(text).toContain('/DisplayDocTitle true')
    expect(text).toContain('/Lang (nl)')
    // The booklet's sections each start a page: at least title + 8 sections.
    expect(text.match(/\/Type \/Page\b/g)!.length).toBeGreaterThanOrEqual(9)
    expect((await fetch(`${url}/api/boards/${body.id}/outcome.pdf?lang=en&token=forged`)).status).toBe(403)
  })

  it('reports what is on the live board, including edits not yet saved', async () => {
    const { url, wsUrl } = await startServer({ room: { flushMs: 60_000 } })
    const { body } = await post(url, { template: 'doorbraaksessie', centraleOpgave: 'Maatwerk voor Ans', targetYear: 2027 })
    const client = makeClient(wsUrl, body.id)
    await client.synced()
    client.records.set('shape:theme-live', {
      id: 'shape:theme-live',
      typeName: 'shape',
      type: 'theme-card',
      x: 0,
      y: 2000,
      rotation: 0,
      index: 'a5',
      parentId: 'page:page',
      isLocked: false,
      opacity: 1,
      meta: {},
      props: { ...themeCardDefaults(), title: 'Ontschotten <script>', sharedValue: 'Geld volgt de inwoner' },
    })
    await waitFor(async () => ((await (await fetch(`${url}/api/boards/${body.id}/outcome.json?${tok(body.id)}`)).json()) as Outcome).themes.length === 1, {
      what: 'live theme in outcome',
    })
    const html = await (await fetch(`${url}/api/boards/${body.id}/outcome.html?${tok(body.id)}`)).text()
    expect(html).toContain('Ontschotten &lt;script&gt;')
  })

  it('answers 404 for the outcome of an unknown board or format', async () => {
    const { url } = await startServer()
    expect((await fetch(`${url}/api/boards/abcdefgh/outcome.json?${tok('abcdefgh')}`)).status).toBe(404)
    const { body } = await post(url, {})
    expect((await fetch(`${url}/api/boards/${body.id}/outcome.docx?${tok(body.id)}`)).status).toBe(404)
    expect((await fetch(`${url}/api/boards/${body.id}/outcome.md?${tok(body.id)}`)).status).toBe(200)
  })
})
