/**
 * Every format reports as itself: a board made from the doorbraaksessie, wijkagenda, Eigen
 * Kracht-plan or werkplaats template, a terugkomdag and a blank board give a report with the
 * board's own frames as headings and the notes written in them (then the loose ones) — in
 * Markdown, HTML, JSON and PDF — not the 24-uursconferentie's sections, all "(nog niets)".
 */
import { describe, expect, it } from 'vitest'
import { getIndices } from '@tldraw/utils'
import type { CreatedBoard } from '../../shared/api.ts'
import { absolute, type AnyRecord } from '../../shared/format/extract-outcome.ts'
import type { Outcome } from '../../shared/format/model.ts'
import { PAGE_ID, ShapeBuilder } from '../../shared/format/records.ts'
import { escapeHtml, mdEscape } from '../../shared/format/report.ts'
import { findTemplate } from '../../shared/format/templates.ts'
import type { CreatedProgramme } from '../../shared/programme.ts'
import { makeClient, type TestClient } from '../helpers/client.ts'
import { pdfPages } from '../helpers/pdf-text.ts'
import { card } from '../helpers/records.ts'
import { startServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

const INDICES = getIndices(3_000).slice(2_000)
const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('token')!

async function createBoard(url: string, body: unknown): Promise<{ id: string; token: string }> {
  const res = await fetch(`${url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect(res.status).toBe(201)
  const created = (await res.json()) as CreatedBoard
  return { id: created.id, token: tokenOf(created.links.facilitator) }
}

/** The board's own top-level frames (not group frames or the parkeerplaats), left to right. */
function framesOf(client: TestClient): { record: AnyRecord; x: number; y: number; w: number; h: number; name: string }[] {
  const records = new Map([...client.records.entries()].map(([id, r]) => [id, r as AnyRecord]))
  return [...records.values()]
    .filter((r) => r.type === 'frame' && r.parentId === PAGE_ID && r.meta?.groupFrame !== true && r.meta?.parkingLot !== true)
    .map((record) => ({ record, ...absolute(records, record), w: Number(record.props!.w), h: Number(record.props!.h), name: String(record.props!.name) }))
    .sort((a, b) => a.y - b.y || a.x - b.x)
}

/** A stock client writes one card into the lower left of each frame; returns [frame name, note] pairs. */
async function writeInFrames(client: TestClient): Promise<[string, string][]> {
  const written = framesOf(client).map((f, i) => {
    const text = `Briefje ${i + 1} van ${f.name.slice(0, 30)}`
    client.records.set(`shape:note-${i}`, card(`shape:note-${i}`, text, { x: f.x + 60, y: f.y + f.h - 170, index: INDICES[i] }))
    return [f.name, text] as [string, string]
  })
  return written
}

async function reports(url: string, board: { id: string; token: string }) {
  const get = (file: string) => fetch(`${url}/api/boards/${board.id}/${file}`, { headers: { authorization: `Bearer ${board.token}` } })
  return {
    md: await (await get('outcome.md')).text(),
    html: await (await get('outcome.html')).text(),
    json: (await (await get('outcome.json')).json()) as Outcome,
    pdf: pdfPages(new Uint8Array(await (await get('outcome.pdf')).arrayBuffer())).join('\n'),
  }
}

/** The Markdown between the heading `## title` and the next `## `. */
function sectionOf(md: string, title: string): string | undefined {
  const lines = md.split('\n')
  const start = lines.findIndex((l) => l === `## ${mdEscape(title)}`)
  if (start < 0) return undefined
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '))
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n')
}

/** The report has the frames as its headings, in the board's order, each with its own note, in every format. */
async function expectFramesReport(url: string, board: { id: string; token: string }, written: [string, string][]) {
  let r = await reports(url, board)
  await waitFor(
    async () => {
      r = await reports(url, board)
      return written.every(([, note]) => r.md.includes(note))
    },
    { what: 'the notes in the report' },
  )
  const headings = [...r.md.matchAll(/^## (.+)$/gm)].map((m) => m[1])
  expect(headings.slice(0, written.length)).toEqual(written.map(([title]) => mdEscape(title)))
  for (const [title, note] of written) {
    expect(sectionOf(r.md, title), `the section ${title}`).toContain(`- ${note}`)
    expect(r.html).toContain(`<h2>${escapeHtml(title)}</h2>`)
    expect(r.html).toContain(`<li>${escapeHtml(note)}`)
    expect(r.pdf).toContain(title.slice(0, 25))
    expect(r.pdf).toContain(note)
  }
  for (const conference of ['Historische ontwikkeling', 'Trots & sorry', 'The Common Ground', '(nog niets)']) {
    expect(r.md).not.toContain(conference)
    expect(r.pdf).not.toContain(conference)
  }
  expect(r.json.report).toBe('frames')
  expect(r.json.sections.map((s) => [s.title, s.notes.map((n) => n.text)])).toEqual(written.map(([title, note]) => [title, [note]]))
  return r
}

describe('a board reports as its own format', () => {
  it.each(['doorbraaksessie', 'wijkagenda', 'eigen-kracht-plan', 'actielijn-werkplaats'])(
    '%s: its frames as headings, with the notes written in them',
    async (template) => {
      const { url, wsUrl } = await startServer()
      const board = await createBoard(url, { template, centraleOpgave: 'Samen verder', targetYear: 2030, title: `Proef ${template}` })
      const client = makeClient(wsUrl, board.id)
      await client.synced()
      const written = await writeInFrames(client)
      expect(written.map(([title]) => title)).toEqual(findTemplate(template)!.frames.map((f) => f.title.nl.replace('{targetYear}', '2030')))
      const r = await expectFramesReport(url, board, written)
      expect(r.md.startsWith(`# Proef ${template}`)).toBe(true)
    },
  )

  it('a terugkomdag: a frame per action line with its card, then its own frames, with the notes in them', async () => {
    const { url, wsUrl } = await startServer()
    const call = async <T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      expect(res.status, `${method} ${path}`).toBeLessThan(300)
      return (await res.json()) as T
    }
    const { programme, links } = await call<CreatedProgramme>('POST', '/api/programmes', null, {
      name: 'Samen aan de slag',
      region: 'Midden-Limburg',
      municipalities: ['Weert'],
      staleWeeks: 6,
    })
    const aanjager = tokenOf(links.aanjager)
    const conference = await call<CreatedBoard>('POST', '/api/boards', null, { example: 'samen-aan-de-slag-2018' })
    const p = `/api/programmes/${programme.id}`
    await call('POST', `${p}/boards`, aanjager, { boardLink: conference.links.facilitator })
    await call('POST', `${p}/boards/${conference.id}/action-lines`, aanjager)
    const started = await call<{ boardId: string; link: string }>('POST', `${p}/terugkomdag`, aanjager)
    const board = { id: started.boardId, token: tokenOf(started.link) }
    const client = makeClient(wsUrl, board.id)
    await client.synced()
    const written = await writeInFrames(client)
    expect(written.map(([title]) => title).slice(-5)).toEqual([
      'Wat loopt goed',
      'Waar lopen we vast',
      'Wat hebben we nodig',
      'Nieuwe experimenten',
      'Nieuwe actielijnen',
    ])
    const r = await expectFramesReport(url, board, written)
    // Each line's frame shows its card: title, trekkers, status.
    expect(sectionOf(r.md, "7. Platform 'Samen aan de slag'")).toContain('Trekker(s): John van Heel')
  })

  it('a blank board: the frames people drew with their notes, then the loose notes', async () => {
    const { url, wsUrl } = await startServer()
    const board = await createBoard(url, { title: 'Leeg bord' })
    const client = makeClient(wsUrl, board.id)
    await client.synced()
    const b = new ShapeBuilder('drawn')
    b.add('frame', 0, 0, { w: 800, h: 600, name: 'Ideeën', color: 'black' })
    b.add('frame', 1000, 0, { w: 800, h: 600, name: 'Vragen', color: 'black' })
    client.doc.transact(() => {
      for (const s of b.shapes) client.records.set(s.id, s)
    })
    await waitFor(() => framesOf(client).length === 2, { what: 'the drawn frames' })
    const written = await writeInFrames(client)
    client.records.set('shape:loose', card('shape:loose', 'Een briefje ergens los', { x: 0, y: 1500, index: INDICES[50] }))
    await waitFor(async () => (await reports(url, board)).md.includes('Een briefje ergens los'), { what: 'the loose note in the report' })
    const r = await expectFramesReport(url, board, written)
    const headings = [...r.md.matchAll(/^## (.+)$/gm)].map((m) => m[1])
    expect(headings).toEqual(['Ideeën', 'Vragen', 'Elders op het bord'])
    expect(sectionOf(r.md, 'Elders op het bord')).toContain('- Een briefje ergens los')
    expect(r.json.loose.map((n) => n.text)).toEqual(['Een briefje ergens los'])
  })

  it('the 24-uursconferentie keeps the booklet', async () => {
    const { url, wsUrl } = await startServer()
    const board = await createBoard(url, { template: '24-uursconferentie', centraleOpgave: 'In 2030 doet iedereen mee.', targetYear: 2030 })
    const client = makeClient(wsUrl, board.id)
    await client.synced()
    const trends = framesOf(client).find((f) => f.record.meta?.phase === 'trends')!
    client.records.set('shape:trend', card('shape:trend', 'Langer thuis wonen', { x: trends.x + 60, y: trends.y + 300, index: INDICES[0] }))
    await waitFor(async () => (await reports(url, board)).md.includes('Langer thuis wonen'), { what: 'the trend in the report' })
    const { md, json } = await reports(url, board)
    expect(sectionOf(md, 'Ontwikkelingen om rekening mee te houden')).toContain('- Langer thuis wonen')
    expect(md).toContain('## Historische ontwikkeling in vogelvlucht')
    expect(md).not.toContain('## Heden — ontwikkelingen')
    expect(json.report).toBe('booklet')
  })
})
