/**
 * End to end in Debian's Chromium against the real server serving the built client (`npm run
 * build` runs before the tests in `npm test`).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { launchBrowser, recordRequests, screenshot } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'

const DIST = join(process.cwd(), 'dist')

async function join_(page: Page, name: string) {
  await page.getByLabel(/Je naam|Your name/).fill(name)
  await page.getByRole('button', { name: /Naar het bord|Go to the board/ }).click()
  await page.locator('.tl-canvas').waitFor({ timeout: 15_000 })
  await page.getByTestId('connection-status').and(page.locator('[data-state="connected"]')).waitFor()
}

describe('two people on one board, in a real browser', () => {
  it('a note made by one appears for the other within 2 s, with the first user\'s cursor; nothing leaves localhost', async () => {
    expect(existsSync(join(DIST, 'index.html')), 'run `npm run build` first (npm test does)').toBe(true)
    const server = await startServer({ staticDir: DIST })
    const browser = await launchBrowser()
    const anna = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    const bram = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    const requests = [...[anna, bram].map(recordRequests)]
    const errors: string[] = []
    for (const page of [anna, bram]) page.on('pageerror', (e) => errors.push(e.message))

    // Anna creates a board in the lobby (Dutch by default) and joins with her name.
    await anna.goto(server.url)
    await expect(anna.getByRole('heading', { name: 'Samen aan de slag' })).toBeTruthy()
    await anna.getByLabel('Titel (optioneel)').fill('Weert – verkenning')
    await anna.getByTestId('create-board').click()
    await anna.waitForURL(/\/b\/[a-z0-9]+$/)
    const boardUrl = anna.url()
    await join_(anna, 'Anna')
    expect(await anna.getByTestId('board-title').textContent()).toBe('Weert – verkenning')

    // Bram opens the link.
    await bram.goto(boardUrl)
    await join_(bram, 'Bram')

    // Anna places a sticky note with the note tool and types in it.
    await anna.locator('.tl-canvas').click({ position: { x: 640, y: 420 } })
    await anna.keyboard.press('n')
    await anna.mouse.click(500, 400)
    // Type only once the note's text editor has focus, or the first keys go to the canvas.
    await anna.locator('.tl-shape [contenteditable="true"]:focus').waitFor({ timeout: 5_000 })
    await anna.keyboard.type('Wij organiseren nabijheid')
    await anna.keyboard.press('Escape')
    const typedAt = Date.now()

    const bramNote = bram.locator('[data-shape-type="note"]').filter({ hasText: 'Wij organiseren nabijheid' })
    await bramNote.waitFor({ timeout: 2_000 }).catch(async (error: unknown) => {
      await screenshot(anna, 'e2e-failed-anna')
      await screenshot(bram, 'e2e-failed-bram')
      throw error
    })
    const seenAfterMs = Date.now() - typedAt
    expect(seenAfterMs).toBeLessThan(2_000)

    // Bram sees Anna's cursor, labelled with her name.
    await anna.mouse.move(700, 300)
    await anna.mouse.move(720, 320, { steps: 5 })
    await bram.locator('.tl-collaborators__item').filter({ hasText: 'Anna' }).first().waitFor({ timeout: 5_000 })

    await screenshot(anna, 'e2e-anna')
    await screenshot(bram, 'e2e-bram')

    const origin = new URL(server.url)
    const outside = requests.flat().filter((u) => {
      if (u.startsWith('data:') || u.startsWith('blob:')) return false
      const url = new URL(u)
      return !(url.port === origin.port && (url.hostname === '127.0.0.1' || url.hostname === 'localhost'))
    })
    expect(outside).toEqual([])
    expect(errors).toEqual([])
  })
})
