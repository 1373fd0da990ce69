/**
 * What our real client sends over its board socket for a person's heaviest honest work, in
 * Debian's Chromium: the numbers the per-connection budget (shared/protocol.ts, Limits.budget)
 * rests on. Run: `node tests/bench/honest-traffic.bench.ts` after `npm run build`.
 *
 * Each action is measured on its own: messages and bytes in total, and the most in any 100 ms
 * and any 1 s (sync updates and awareness apart).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { addNote, createConferenceBoard, joinWithName, launchBrowser } from '../helpers/browser.ts'
import { runCleanups, startServer } from '../helpers/server.ts'

interface Frame {
  at: number
  type: number
  bytes: number
}

const dist = join(process.cwd(), 'dist')
if (!existsSync(join(dist, 'index.html'))) throw new Error('run `npm run build` first')

function mostIn(frames: Frame[], windowMs: number): number {
  let most = 0
  for (let i = 0, j = 0; i < frames.length; i++) {
    while (frames[i]!.at - frames[j]!.at >= windowMs) j++
    most = Math.max(most, i - j + 1)
  }
  return most
}

function report(name: string, frames: Frame[]) {
  const sync = frames.filter((f) => f.type === 0)
  const awareness = frames.filter((f) => f.type === 1)
  const bytes = frames.reduce((sum, f) => sum + f.bytes, 0)
  const largest = frames.reduce((most, f) => Math.max(most, f.bytes), 0)
  console.log(
    `${name.padEnd(34)} messages ${String(frames.length).padStart(5)} (sync ${sync.length}, awareness ${awareness.length}) · most in 100 ms ${mostIn(frames, 100)} · in 1 s ${mostIn(frames, 1000)} (sync ${mostIn(sync, 1000)}) · bytes ${bytes} · largest ${largest}`,
  )
}

async function measure(page: Page, frames: Frame[], name: string, action: () => Promise<void>) {
  await page.waitForTimeout(500)
  frames.length = 0
  await action()
  await page.waitForTimeout(500)
  report(name, frames.slice())
}

const server = await startServer({ staticDir: dist })
try {
  const links = await createConferenceBoard(server.url)
  const browser = await launchBrowser()
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 850 } })).newPage()
  await page.addInitScript(() => ((window as unknown as { __boardTest: object }).__boardTest = {}))
  const frames: Frame[] = []
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/sync/')) return
    ws.on('framesent', ({ payload }) => {
      const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload
      frames.push({ at: Date.now(), type: bytes[0] ?? -1, bytes: bytes.byteLength })
    })
  })
  await page.goto(server.url + links.participant)
  await joinWithName(page, 'Piet')
  await page.locator('.tl-canvas').click({ position: { x: 700, y: 420 } })

  await measure(page, frames, 'a note, 60 characters typed', () => addNote(page, 600, 380, 'Een buurthuis dat elke dag open is, ook in het weekend, ja!'))
  await measure(page, frames, 'cursor across the board, 3 s', async () => {
    for (let i = 0; i < 180; i++) {
      await page.mouse.move(300 + i * 4, 300 + (i % 40) * 5)
      await page.waitForTimeout(16)
    }
  })
  await measure(page, frames, 'dragging a note, 3 s', async () => {
    await page.keyboard.press('Escape')
    await page.mouse.move(610, 390)
    await page.mouse.down()
    for (let i = 0; i < 180; i++) {
      await page.mouse.move(610 + i * 2, 390 + Math.sin(i / 10) * 80)
      await page.waitForTimeout(16)
    }
    await page.mouse.up()
  })
  // 200 cards in one go, as a paste: tldraw's own paste (putContentOntoCurrentPage) of 200 notes.
  await page.evaluate(() => {
    type E = {
      createShapes(s: object[]): void
      selectAll(): void
      getSelectedShapeIds(): string[]
      getContentFromCurrentPage(ids: string[]): unknown
      putContentOntoCurrentPage(c: unknown, o?: object): void
      deleteShapes(ids: string[]): void
    }
    const editor = (window as unknown as { __boardTest: { editor: E } }).__boardTest.editor
    ;(window as unknown as { __paste: () => void }).__paste = () => {
      const made = Array.from({ length: 200 }, (_, i) => ({
        type: 'note',
        x: 2000 + (i % 20) * 220,
        y: 2000 + Math.floor(i / 20) * 220,
        props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Kaart ${i}: een idee van een deelnemer` }] }] } },
      }))
      editor.createShapes(made)
      editor.selectAll()
      const content = editor.getContentFromCurrentPage(editor.getSelectedShapeIds())
      ;(window as unknown as { __content: unknown }).__content = content
    }
  })
  await measure(page, frames, 'making 200 notes in one go', () =>
    page.evaluate(() => {
      ;(window as unknown as { __paste: () => void }).__paste()
    }),
  )
  await measure(page, frames, 'pasting those 200+ notes', () =>
    page.evaluate(() => {
      const w = window as unknown as { __boardTest: { editor: { putContentOntoCurrentPage(c: unknown, o?: object): void } }; __content: unknown }
      w.__boardTest.editor.putContentOntoCurrentPage(w.__content, { select: true })
    }),
  )
  await measure(page, frames, 'dragging 400 selected notes, 2 s', async () => {
    await page.evaluate(() => {
      ;(window as unknown as { __boardTest: { editor: { zoomToSelection(): void } } }).__boardTest.editor.zoomToSelection()
    })
    await page.waitForTimeout(300)
    await page.mouse.move(700, 425)
    await page.mouse.down()
    for (let i = 0; i < 120; i++) {
      await page.mouse.move(700 + i, 425 + i / 2)
      await page.waitForTimeout(16)
    }
    await page.mouse.up()
  })
  await measure(page, frames, 'undo and redo 10 times, fast', async () => {
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Control+z')
      await page.keyboard.press('Control+Shift+z')
    }
  })
  await measure(page, frames, 'deleting 400 notes', async () => {
    await page.keyboard.press('Delete')
  })
} finally {
  await runCleanups()
}
