/**
 * Switching the language keeps the live board: it used to look the board up again over HTTP
 * and unmount it meanwhile, so offline (or on a frozen network) the person was thrown off the
 * board onto "Het bord kon niet worden geladen" — with the work not yet sent — until a manual
 * retry. Found by the session fuzzer (seed 10, steps 67–91: offline, then English).
 */
import { describe, expect, it } from 'vitest'
import { createConferenceBoard, joinBoard, launchBrowser } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'

describe('a language switch', () => {
  it('keeps the board on screen and its work when the network is down', async () => {
    const server = await startServer({ staticDir: 'dist' })
    const links = await createConferenceBoard(server.url)
    const browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await joinBoard(page, server.url + links.participant, 'Piet')

    await context.setOffline(true)
    await page.locator('[data-testid="connection-status"][data-state="offline"]').waitFor()
    await page.getByTestId('add-contribution').click()
    await page.locator('[data-field="text"]').fill('Geschreven zonder netwerk')
    await page.keyboard.press('Escape')
    await page.getByTestId('language-toggle').click()

    // The agenda speaks English, and the board with the note is still there.
    await expect.poll(() => page.getByTestId('agenda-phase').textContent(), { timeout: 10_000 }).toContain('Past')
    expect(await page.getByTestId('board-message').count()).toBe(0)
    await page.getByText('Geschreven zonder netwerk').first().waitFor({ timeout: 5_000 })
    await context.setOffline(false)
  })
})
