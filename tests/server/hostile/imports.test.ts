/**
 * Imports are judged like edits (issue 20, finding 5): every record of a `.tldr` file passes the
 * rules of a live change (size, depth, asset sources, schema, drawable), and the file is read off
 * the event loop, so `/healthz` keeps answering while a 10 MB depth bomb or an 80,000-shape file
 * is being read. Before: a 31.9 MB record and a 10 MB card were stored (201), meta nested 3,000
 * deep too (those three fail at 8bea6ff^ with 201; 8bea6ff brought the live judge to imports), a
 * `data:text/html` image source was kept, and reading the files stalled `/healthz` 2.9 s and 2.4 s
 * (measured here before the worker: 1.3 s and 1.4 s).
 */
import { getIndices } from '@tldraw/utils'
import { describe, expect, it } from 'vitest'
import type { CreatedBoard, ImportedBoard } from '../../../shared/api.ts'
import type { BoardId } from '../../../shared/board-id.ts'
import { pageRecord, PAGE_ID } from '../../../shared/format/records.ts'
import { ContentLimits } from '../../../shared/protocol.ts'
import { createBoardSchema } from '../../../shared/shapes/board-schema.ts'
import { toTldr } from '../../../shared/tldr-file.ts'
import { makeClient } from '../../helpers/client.ts'
import { card } from '../../helpers/records.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'
import { waitFor } from '../../helpers/wait.ts'

const schema = createBoardSchema().serialize()
const fileOf = (records: object[]) => JSON.stringify(toTldr([pageRecord('Pagina'), ...records] as never, schema))

/** An image asset whose source is `src`. */
const image = (id: string, src: string) => ({
  id,
  typeName: 'asset',
  type: 'image',
  meta: {},
  props: { name: 'foto.png', src, w: 10, h: 10, mimeType: 'image/png', isAnimated: false, fileSize: 100 },
})

const importFile = (server: TestServer, body: string) => fetch(`${server.url}/api/boards/import`, { method: 'POST', body })

/** The file is refused with 400, the error names the record and the rule, and no board is made. */
async function expectRefused(server: TestServer, body: string, record: string, rule: RegExp) {
  const before = (await server.storage.catalogue.list()).length
  const res = await importFile(server, body)
  const answer = (await res.json()) as { error?: string }
  expect(res.status, JSON.stringify(answer).slice(0, 300)).toBe(400)
  expect(answer.error).toContain(record)
  expect(answer.error).toMatch(rule)
  expect((await server.storage.catalogue.list()).length).toBe(before)
}

/** `meta` of a card nested `depth` objects deep. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {}
  for (let i = 1; i < depth; i++) value = { a: value }
  return value
}

/**
 * The longest `/healthz` wait while `work` runs: asked every 20 ms from the same process as the
 * server, and counted from when it was due, so a blocked event loop counts whether it held back
 * the answer or the asking. Returns the work's result and the worst wait.
 */
async function healthzDuring<T>(server: TestServer, work: Promise<T>): Promise<{ result: T; worstMs: number; asked: number }> {
  let done = false
  const result = work.finally(() => {
    done = true
  })
  let worstMs = 0
  let asked = 0
  let due = performance.now()
  while (!done) {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    worstMs = Math.max(worstMs, performance.now() - due)
    asked++
    due = performance.now() + 20
    // Asking every 20 ms is the probe: how late an answer comes is what is measured.
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return { result: await result, worstMs, asked }
}

/**
 * Generous: the event loop of a 2-core machine running the suite answers in a few ms; reading these
 * files on it took 2.4–2.9 s.
 */
const HEALTHZ_BOUND_MS = 500

describe('imports are judged like edits', () => {
  it('refuses a file with one 31.9 MB record, naming the record and the size limit', async () => {
    const server = await startServer()
    await expectRefused(server, fileOf([card('shape:groot', 'x'.repeat(31_900_000))]), 'shape:groot', new RegExp(`at most ${ContentLimits.maxRecordBytes}`))
  })

  it('refuses a 10 MB card (a board holding one took Chromium 57.5 s to draw)', async () => {
    const server = await startServer()
    await expectRefused(
      server,
      fileOf([card('shape:ok', 'gewoon'), card('shape:tien', 'x'.repeat(10_000_000), { index: 'a2' })]),
      'shape:tien',
      new RegExp(`at most ${ContentLimits.maxRecordBytes}`),
    )
  })

  it('refuses meta nested 3,000 deep (the live limit is 32)', async () => {
    const server = await startServer()
    await expectRefused(
      server,
      fileOf([card('shape:diep', 'diep', { meta: nested(3_000) })]),
      'shape:diep',
      new RegExp(`nested deeper than ${ContentLimits.maxRecordDepth}`),
    )
    // The limit itself still imports.
    expect((await importFile(server, fileOf([card('shape:diep', 'diep', { meta: nested(ContentLimits.maxRecordDepth - 3) })]))).status).toBe(201)
  })

  it('drops a data:text/html image source like a foreign one, and says how many it dropped; a live write of it is refused', async () => {
    const server = await startServer()
    const res = await importFile(
      server,
      fileOf([image('asset:html', 'data:text/html,<script>alert(1)</script>'), image('asset:png', 'data:image/png;base64,AAAA')]),
    )
    const created = (await res.json()) as ImportedBoard
    expect(res.status).toBe(201)
    expect(created.droppedSources).toBe(1)
    const doc = await server.server.rooms.readCopy(created.id as BoardId)
    const srcOf = (id: string) => (doc!.getMap('records').get(id) as { props: { src: unknown } }).props.src
    expect(srcOf('asset:html')).toBeNull()
    expect(srcOf('asset:png')).toBe('data:image/png;base64,AAAA')

    // Live, the same source is refused: the import and the edit follow one rule.
    const writer = makeClient(server.wsUrl, created.id)
    await writer.synced()
    let closed: { code: number; reason: string } | null = null
    writer.provider.on('closed', (event) => {
      closed = event
    })
    writer.records.set('asset:html2', image('asset:html2', 'data:text/html,<b>hoi</b>'))
    await waitFor(() => closed !== null, { what: 'the live write to be refused' })
    writer.destroy()
    expect(closed!.reason).toMatch(/asset:html2/)
  })

  it('keeps /healthz answering while a 10 MB depth bomb is read, and refuses the bomb by its depth', async () => {
    const server = await startServer()
    const depth = 5_000_000 // '[' and ']' of 5 M arrays: 10 MB
    const bomb = fileOf([card('shape:bom', 'bom', { meta: { bom: 'BOM' } })]).replace('"BOM"', `${'['.repeat(depth)}${']'.repeat(depth)}`)
    expect(bomb.length).toBeGreaterThan(10_000_000)
    const { result: res, worstMs, asked } = await healthzDuring(server, importFile(server, bomb))
    const answer = (await res.json()) as { error?: string }
    console.log(`depth bomb: /healthz worst ${worstMs.toFixed(0)} ms over ${asked} asks; ${res.status} ${answer.error?.slice(0, 100)}`)
    expect(res.status).toBe(400)
    expect(answer.error).toContain('shape:bom')
    expect(answer.error).toMatch(/nested deeper/)
    expect(worstMs).toBeLessThan(HEALTHZ_BOUND_MS)
  })

  it('keeps /healthz answering while an 80,000-shape file is read, and stores all of it', async () => {
    const server = await startServer()
    const indices = getIndices(80_000).slice(1) // getIndices(n) is n above its start, and the start
    const shapes = indices.map((index, i) => card(`shape:k${i}`, '', { index, x: (i % 300) * 220, y: Math.floor(i / 300) * 160, parentId: PAGE_ID }))
    const file = fileOf(shapes)
    const { result: res, worstMs, asked } = await healthzDuring(server, importFile(server, file))
    console.log(`80,000 shapes (${(file.length / 1e6).toFixed(1)} MB): /healthz worst ${worstMs.toFixed(0)} ms over ${asked} asks; ${res.status}`)
    expect(res.status).toBe(201)
    const created = (await res.json()) as CreatedBoard
    const doc = await server.server.rooms.readCopy(created.id as BoardId)
    expect([...doc!.getMap('records').keys()].filter((id) => id.startsWith('shape:')).length).toBe(80_000)
    expect(worstMs).toBeLessThan(HEALTHZ_BOUND_MS)
  }, 60_000)
})
