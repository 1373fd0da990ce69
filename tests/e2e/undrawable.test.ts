/**
 * What the server accepts, every browser can draw (issue 19, finding 2), in Chromium: a stroke
 * without points, written by a participant's stock client, does not take the board down for the
 * others; a board whose storage already holds one (stored before the server refused them)
 * still opens, without it; and what the server accepts of the property test's edge cases
 * (tests/shared/drawable-property.test.ts, same generator) is drawn on a real board.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import * as Y from 'yjs'
import { recordsOf } from '../../shared/doc-layout.ts'
import { facilitationOf, readFacilitation } from '../../shared/facilitation.ts'
import type { BoardId } from '../../shared/board-id.ts'
import { createConferenceBoard, joinBoard, launchBrowser, screenshot } from '../helpers/browser.ts'
import { makeClient, recordsJson } from '../helpers/client.ts'
import { card, drawing } from '../helpers/records.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'
import fc from 'fast-check'
import type { Editor } from 'tldraw'
import { judgeUpdate } from '../../server/policy/update-policy.ts'
import { edgeBoard, placed } from '../helpers/edge-records.ts'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const DIST = join(process.cwd(), 'dist')
/** tldraw's own whole-app error screen (English), and the board's own (client/board/canvas-fallbacks.tsx). */
const TLDRAW_CRASH = 'Something went wrong'

/** 'crashed …' once the board shows an error screen, 'shown' once the card with `text` is drawn. */
async function boardState(page: Page, text: string, errors: string[]): Promise<string> {
  if ((await page.getByText(TLDRAW_CRASH).count()) > 0 || (await page.getByTestId('board-crash').count()) > 0)
    return `crashed: ${errors.join(' | ').slice(0, 300)}`
  if ((await page.getByTestId('shape-fallback').count()) > 0) return `a shape failed: ${errors.join(' | ').slice(0, 300)}`
  return (await page.locator('.tl-shape').filter({ hasText: text }).count()) > 0 ? 'shown' : 'waiting'
}

/** A browser on the board as `name`; `hookEditor` hands the page's editor to the test (client/board/test-hook.ts). */
async function openBrowser(server: TestServer, link: string, name: string, { hookEditor = false } = {}) {
  const browser = await launchBrowser()
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 850 } })).newPage()
  if (hookEditor)
    await page.addInitScript(() => {
      ;(window as { __boardTest?: object }).__boardTest = {}
    })
  const errors: string[] = []
  const warnings: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
    if (message.type() === 'warning') warnings.push(message.text())
  })
  await joinBoard(page, server.url + link, name)
  return { page, errors, warnings }
}

const group = (id: string, parentId: string) => ({
  id,
  typeName: 'shape',
  type: 'group',
  x: 0,
  y: 0,
  rotation: 0,
  index: 'a1',
  parentId,
  isLocked: false,
  opacity: 1,
  meta: {},
  props: {},
})

const boardOf = (link: string) => new URL(link, 'http://x').pathname.split('/').pop()! as BoardId

/** A point inside the frame of the current phase, where a browser that opens the board looks. */
function inView(doc: Y.Doc, dx: number, dy: number): { x: number; y: number } {
  const frameId = readFacilitation(facilitationOf(doc)).agenda[0]!.frameId
  const frame = recordsOf<{ x: number; y: number }>(doc).get(frameId)!
  return { x: frame.x + dx, y: frame.y + dy }
}

describe('a stroke without points, in a real browser', () => {
  it("a participant's stock client writing one, or a loop of parents, leaves the others' board working", async () => {
    expect(existsSync(join(DIST, 'index.html')), 'run `npm run build` first (npm test does)').toBe(true)
    const server = await startServer({ staticDir: DIST })
    const links = await createConferenceBoard(server.url)
    const board = boardOf(links.participant)
    const pam = await openBrowser(server, links.participant, 'Pam')

    const reader = makeClient(server.wsUrl, board, { role: 'viewer' })
    await reader.synced()
    // Each from its own participant's stock client, which the server may refuse.
    const attempt = async (write: (records: Y.Map<unknown>, doc: Y.Doc) => void, id: string) => {
      const writer = makeClient(server.wsUrl, board, { role: 'participant' })
      await writer.synced()
      let refused = false
      writer.provider.on('closed', () => {
        refused = true
      })
      writer.doc.transact(() => write(writer.records, writer.doc))
      await waitFor(() => refused || id in recordsJson(reader.doc), { what: `${id} refused or stored` })
      writer.destroy()
      return refused
    }
    expect(await attempt((records, doc) => records.set('shape:leeg', drawing('shape:leeg', [], inView(doc, 60, 200))), 'shape:leeg')).toBe(true)
    expect(
      await attempt((records) => {
        records.set('shape:kring-a', group('shape:kring-a', 'shape:kring-b'))
        records.set('shape:kring-b', group('shape:kring-b', 'shape:kring-a'))
      }, 'shape:kring-b'),
    ).toBe(true)

    const second = makeClient(server.wsUrl, board, { role: 'participant' })
    await second.synced()
    second.records.set('shape:daarna', card('shape:daarna', 'Na de lege streep', inView(second.doc, 40, 300)))
    await expect.poll(() => boardState(pam.page, 'Na de lege streep', pam.errors), { timeout: 15_000 }).toBe('shown')
    await screenshot(pam.page, 'e2e-undrawable-live')

    // Someone who opens the board now sees it too.
    const iris = await openBrowser(server, links.participant, 'Iris')
    await expect.poll(() => boardState(iris.page, 'Na de lege streep', iris.errors), { timeout: 15_000 }).toBe('shown')
    expect(await boardState(pam.page, 'Na de lege streep', pam.errors)).toBe('shown')
    expect([...pam.errors, ...iris.errors].filter((e) => /Polyline2d|points/.test(e))).toEqual([])
  })

  it('a board whose storage already holds one, and a loop of parents, opens without them (the binding skips them, with a warning)', async () => {
    const server = await startServer({ staticDir: DIST })
    const links = await createConferenceBoard(server.url)
    const board = boardOf(links.participant)
    // Written straight into the storage, as a board stored before the server refused such records.
    const doc = new Y.Doc()
    for (const update of await server.storage.log.load(board)) Y.applyUpdate(doc, update)
    const before = Y.encodeStateVector(doc)
    doc.transact(() => {
      recordsOf(doc).set('shape:leeg', drawing('shape:leeg', [], inView(doc, 60, 200)))
      // Two groups, each the other's parent: tldraw walks up a shape's parents forever.
      recordsOf(doc).set('shape:kring-a', group('shape:kring-a', 'shape:kring-b'))
      recordsOf(doc).set('shape:kring-b', group('shape:kring-b', 'shape:kring-a'))
      recordsOf(doc).set('shape:ernaast', card('shape:ernaast', 'Kaart naast de lege streep', inView(doc, 40, 300)))
    })
    await server.storage.log.append(board, [Y.encodeStateAsUpdate(doc, before)])

    const iris = await openBrowser(server, links.participant, 'Iris')
    await expect.poll(() => boardState(iris.page, 'Kaart naast de lege streep', iris.errors), { timeout: 15_000 }).toBe('shown')
    await screenshot(iris.page, 'e2e-undrawable-stored')
    for (const id of ['shape:leeg', 'shape:kring-a'])
      expect(
        iris.warnings.some((w) => w.includes(id)),
        iris.warnings.join(' | '),
      ).toBe(true)
    // Skipped in her browser only: the board's document keeps what it holds.
    const reader = makeClient(server.wsUrl, board, { role: 'viewer' })
    await reader.synced()
    expect(Object.keys(recordsJson(reader.doc))).toEqual(expect.arrayContaining(['shape:leeg', 'shape:kring-a', 'shape:ernaast']))
  })

  it('a sample of the edge cases the server accepts is drawn on a real board: every shape there, none failing, no error', async () => {
    const server = await startServer({ staticDir: DIST })
    const links = await createConferenceBoard(server.url)
    const board = boardOf(links.facilitator)
    const writer = makeClient(server.wsUrl, board)
    await writer.synced()
    // Judged here by the server's own judge, to send only what it accepts (each refusal would close
    // the connection); that the server then keeps every one of them is checked below.
    const local = new Y.Doc()
    Y.applyUpdate(local, Y.encodeStateAsUpdate(writer.doc))
    const accepted: Record<string, unknown>[] = []
    const samples = fc.sample(edgeBoard, { seed: 20261219, numRuns: 150 })
    samples.forEach((sample, n) => {
      for (const record of placed(sample, n, inView(local, 60 + (n % 10) * 120, 200 + Math.floor(n / 10) * 120))) {
        const before = Y.encodeStateVector(local)
        const copy = new Y.Doc()
        Y.applyUpdate(copy, Y.encodeStateAsUpdate(local))
        recordsOf(copy).set(record.id as string, record)
        const verdict = judgeUpdate(local, Y.encodeStateAsUpdate(copy, before), { role: 'facilitator', ownedByOther: () => false })
        copy.destroy()
        if (!verdict.ok) continue
        Y.applyUpdate(local, verdict.update)
        accepted.push(record)
      }
    })
    let refused = false
    writer.provider.on('closed', () => {
      refused = true
    })
    writer.doc.transact(() => {
      for (const record of accepted) writer.records.set(record.id as string, record)
    })
    const reader = makeClient(server.wsUrl, board, { role: 'viewer' })
    await reader.synced()
    await waitFor(() => refused || accepted.every((r) => reader.records.has(r.id as string)), { what: 'the accepted records on the server' })
    expect(refused, 'the server refused what its judge accepted').toBe(false)
    const shapeIds = accepted.filter((r) => r.typeName === 'shape').map((r) => r.id as string)
    expect(shapeIds.length).toBeGreaterThan(80)

    const { page, errors, warnings } = await openBrowser(server, links.viewer, 'Vera', { hookEditor: true })
    type Hooked = Window & { __boardTest: { editor?: Editor } }
    await page.waitForFunction((ids) => ids.every((id) => (window as unknown as Hooked).__boardTest.editor?.store.has(id as never)), shapeIds)
    expect(
      warnings.filter((w) => w.includes('skipped a record')),
      'the browser skipped records the server accepted',
    ).toEqual([])
    await screenshot(page, 'e2e-undrawable-edge-cases')
    // Every shape on the page in view and rendered by tldraw's canvas.
    const onPage: string[] = await page.evaluate(() => {
      const editor = (window as unknown as Hooked).__boardTest.editor!
      editor.zoomToFit()
      return [...editor.getCurrentPageShapeIds()].map(String)
    })
    await page.waitForFunction((ids) => ids.every((id) => document.querySelector(`[data-shape-id="${id}"]`)), onPage)
    await screenshot(page, 'e2e-undrawable-edge-cases-all')
    expect(await page.getByTestId('shape-fallback').count(), errors.join(' | ')).toBe(0)
    expect(await page.getByTestId('board-crash').count()).toBe(0)
    expect(await page.getByText(TLDRAW_CRASH).count()).toBe(0)
    expect(errors).toEqual([])
  })
})
