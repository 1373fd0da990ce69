/**
 * People land where the session is: a late joiner, a reload and a language switch show the
 * current phase's frame (they used to show phase 1), and the facilitator's own view moves with ▶.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createConferenceBoard, joinBoard, launchBrowser, screenshot, settled } from '../helpers/browser.ts'
import { makeClient } from '../helpers/client.ts'
import { startServer } from '../helpers/server.ts'

/** Whether the frame with this heading is on screen, and the first phase's is not. */
async function shows(page: Page, heading: string): Promise<boolean> {
  const box = await page.locator('.tl-frame-heading').filter({ hasText: heading }).first().boundingBox()
  const viewport = page.viewportSize()!
  return !!box && box.x >= 0 && box.y >= 0 && box.x < viewport.width && box.y < viewport.height
}

describe('landing on the current phase', () => {
  it('a late joiner, a reload and a language switch land on the phase the session is in', async () => {
    const server = await startServer({ staticDir: 'dist' })
    const links = await createConferenceBoard(server.url)
    const board = new URL(links.participant, server.url).pathname.split('/').pop()!
    // The facilitator moved the session on to phase 4.
    const facilitator = makeClient(server.wsUrl, board)
    await facilitator.synced()
    facilitator.doc.getMap('facilitation').set('phaseIndex', 3)
    const agenda = facilitator.doc.getMap('facilitation').get('agenda') as { title: { nl: string; en: string } }[]
    const phase4 = agenda[3]!.title

    const browser = await launchBrowser()
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 850 } })).newPage()
    await joinBoard(page, server.url + links.participant, 'Laatkomer')
    await expect.poll(() => page.getByTestId('agenda-phase').textContent(), { timeout: 10_000 }).toContain(phase4.nl)
    await expect.poll(() => shows(page, phase4.nl), { timeout: 5_000 }).toBe(true)
    expect(await shows(page, agenda[0]!.title.nl)).toBe(false)
    await screenshot(page, 'e2e-phase-landing-late-joiner')

    await page.reload()
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 15_000 })
    await expect.poll(() => shows(page, phase4.nl), { timeout: 5_000 }).toBe(true)

    await page.getByRole('button', { name: 'English' }).click()
    await expect.poll(() => page.getByTestId('agenda-phase').textContent(), { timeout: 10_000 }).toContain(phase4.en)
    // The frames keep the names they were made with (Dutch); the view stays on phase 4.
    await expect.poll(() => shows(page, phase4.nl), { timeout: 5_000 }).toBe(true)
    expect(await shows(page, agenda[0]!.title.nl)).toBe(false)
  }, 90_000)

  it("the facilitator's own view moves with ▶", async () => {
    const server = await startServer({ staticDir: 'dist' })
    const links = await createConferenceBoard(server.url)
    const browser = await launchBrowser()
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 850 } })).newPage()
    await joinBoard(page, server.url + links.facilitator, 'Fien')
    await page.getByTestId('next-phase').click()
    await expect.poll(() => page.getByTestId('agenda-phase').textContent(), { timeout: 10_000 }).toContain('Heden — ontwikkelingen')
    await expect.poll(() => shows(page, 'Heden — ontwikkelingen'), { timeout: 5_000 }).toBe(true)
    expect(await shows(page, 'Verleden — tijdlijn')).toBe(false)

    // Trots & sorry (a row per stakeholder group, ~3,300 px tall) opens readable, from its top — it opened at 20 %.
    await page.getByTestId('next-phase').click()
    await expect.poll(() => page.getByTestId('agenda-phase').textContent(), { timeout: 10_000 }).toContain('trots & sorry')
    const zoom = async () => Number((await page.getByTestId('minimap.zoom-menu-button').textContent())!.replace(/\D/g, ''))
    await expect.poll(zoom, { timeout: 5_000 }).toBeGreaterThanOrEqual(45)
    // Where the camera lands, not where it passes.
    expect(await settled(zoom, { what: 'the camera on trots & sorry' })).toBeGreaterThanOrEqual(45)
    expect(await page.locator('.tl-frame-heading').filter({ hasText: 'Alle groepen — Trots op' }).isVisible()).toBe(true)
    await screenshot(page, 'e2e-trots-sorry-readable')
  }, 60_000)
})
