/**
 * The viewer link in Chromium: it used to be closed at once (its tldraw wrote the person's
 * `user:` record into the board, which a viewer may not) and showed "reload" forever.
 */
import { describe, expect, it } from 'vitest'
import { createConferenceBoard, launchBrowser, screenshot } from '../helpers/browser.ts'
import { makeClient } from '../helpers/client.ts'
import { card } from '../helpers/records.ts'
import { startServer } from '../helpers/server.ts'

describe('the viewer link', () => {
  it('follows the board live for a minute and never writes; no per-person records reach the board', async () => {
    const server = await startServer({ staticDir: 'dist' })
    const links = await createConferenceBoard(server.url)
    const board = new URL(links.viewer, server.url).pathname.split('/').pop()!
    const browser = await launchBrowser()
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 850 } })).newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(server.url + links.viewer)
    await page.getByLabel('Je naam').fill('Kijker')
    await page.getByRole('button', { name: 'Naar het bord' }).click()
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 15_000 })

    // A participant in another browser joins too: tldraw's per-person records stay in their browser.
    const participant = await (await browser.newContext({ viewport: { width: 1400, height: 850 } })).newPage()
    await participant.goto(server.url + links.participant)
    await participant.getByLabel('Je naam').fill('Deelnemer')
    await participant.getByRole('button', { name: 'Naar het bord' }).click()
    await participant.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 15_000 })

    const writer = makeClient(server.wsUrl, board)
    await writer.synced()
    const started = Date.now()
    // Spread over a minute: the connection must stay open, not just the first sync.
    for (let i = 1; i <= 12; i++) {
      writer.records.set(
        `shape:live-${i}`,
        card(`shape:live-${i}`, `Live kaart ${i}`, {
          x: 80 + ((i - 1) % 6) * 220,
          y: 250 + Math.floor((i - 1) / 6) * 200,
          index: `a${'23456789ABCDEF'[i - 1]}`,
        }),
      )
      await page
        .locator('.tl-shape')
        .filter({ hasText: `Live kaart ${i}` })
        .waitFor({ timeout: 10_000 })
      await page.waitForTimeout(Math.max(0, started + i * 5_000 - Date.now()))
      expect(await page.getByTestId('connection-status').getAttribute('data-state')).toBe('connected')
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(60_000)
    expect([...writer.records.keys()].filter((key) => key.startsWith('user:') || key.startsWith('instance'))).toEqual([])
    await screenshot(page, 'e2e-viewer-live')
    expect(server.log.lines.filter((l) => l.includes('closing connection') && l.includes('role=viewer'))).toEqual([])
    expect(errors).toEqual([])
  }, 150_000)
})
