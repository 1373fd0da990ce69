/**
 * The 24-uursconferentie in a real browser: a facilitator creates a board from the template in
 * the lobby, a participant adds a contribution as a member of a stakeholder group, binds an
 * action line to two themes, and finds both in the report opened from the board's menu.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ARTIFACTS, launchBrowser, recordRequests, screenshot } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'

const DIST = join(process.cwd(), 'dist')

async function addCard(page: Page, button: string, fill: (page: Page) => Promise<void>) {
  await page.getByTestId(`add-${button}`).click()
  await page.getByTestId('card-form').waitFor()
  await fill(page)
  await page.getByRole('button', { name: 'Sluiten' }).click()
  await page.getByTestId(`add-${button}`).waitFor()
}

describe('a 24-uursconferentie board, end to end', () => {
  it('template → contribution as a group member → action line bound to two themes → report shows them', async () => {
    expect(existsSync(join(DIST, 'index.html')), 'run `npm run build` first (npm test does)').toBe(true)
    const server = await startServer({ staticDir: DIST })
    const browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 1400, height: 850 } })
    const page = await context.newPage()
    const requests = recordRequests(page)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))

    await page.goto(server.url)
    await page.getByTestId('template').selectOption('24-uursconferentie')
    await page.getByLabel('Centrale opgave').fill('In 2030 telt iedereen in Weert mee.')
    await page.getByLabel('Doeljaar').fill('2030')
    await page.getByLabel('Titel (optioneel)').fill('Weert 2030')
    await page.getByTestId('create-board').click()
    await page.waitForURL(/\/b\//)

    await page.getByLabel('Je naam').fill('Anna de Vries')
    await page.getByLabel('Je stakeholdersgroep').selectOption('zorg')
    await page.getByRole('button', { name: 'Naar het bord' }).click()
    await page.locator('.tl-canvas').waitFor({ timeout: 15_000 })
    await page.locator('.card-era').first().waitFor()

    await addCard(page, 'contribution', async (p) => {
      await expect.poll(() => p.locator('[data-field="groupId"]').inputValue()).toBe('zorg')
      await p.locator('[data-field="text"]').fill('Wet maatschappelijke ondersteuning (2007)')
    })
    await addCard(page, 'theme-card', (p) => p.locator('[data-field="title"]').fill('We organiseren nabijheid'))
    await addCard(page, 'theme-card', (p) => p.locator('[data-field="title"]').fill('Talentontwikkeling'))
    await addCard(page, 'theme-card', async (p) => {
      await p.locator('[data-field="title"]').fill('Eén loket voor alles')
      await p.getByTestId('move-theme').click()
      await expect.poll(() => p.getByTestId('move-theme').textContent()).toBe('→ Terug naar common ground')
    })
    await addCard(page, 'action-line', async (p) => {
      await p.locator('[data-field="title"]').fill('Thuis van de wijk')
      await p.getByLabel('We organiseren nabijheid').check()
      await p.getByLabel('Talentontwikkeling').check()
      await p.locator('[data-field="trekkers"]').fill('Iris van de Ven, gemeente Nederweert')
    })
    await page.locator('[data-testid="action-line-card"]').filter({ hasText: 'Thuis van de wijk' }).waitFor()
    await screenshot(page, 'e2e-conference-board')

    // Downloads: the board as PNG (rendered by tldraw here) and as a .tldr file from the server.
    await page.getByTestId('report-menu').click()
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()])
    const pngBytes = readFileSync((await png!.path())!)
    expect(pngBytes.subarray(1, 4).toString()).toBe('PNG')
    expect(pngBytes.length).toBeGreaterThan(20_000)
    expect(png!.suggestedFilename()).toBe('Weert-2030.png')
    const [tldr] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-tldr').click()])
    const file = JSON.parse(readFileSync((await tldr!.path())!, 'utf8')) as { records: { props?: { title?: string } }[] }
    expect(file.records.some((r) => r.props?.title === 'Thuis van de wijk')).toBe(true)
    // The selection (the action line card) as PNG: the card as it looks on the board.
    await page.getByTestId('report-menu').click()
    await page.locator('[data-testid="action-line-card"]').filter({ hasText: 'Thuis van de wijk' }).click()
    await page.getByTestId('report-menu').click()
    const [selection] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-selection-png').click()])
    await selection!.saveAs(join(ARTIFACTS, 'e2e-conference-export-card.png'))
    const [report] = await Promise.all([context.waitForEvent('page'), page.getByTestId('report-html').click()])
    await report!.waitForLoadState()
    const text = await report!.locator('body').innerText()
    await screenshot(report!, 'e2e-conference-report')

    expect(text).toContain('Weert 2030')
    expect(text).toContain('In 2030 telt iedereen in Weert mee.')
    expect(text).toContain('Wet maatschappelijke ondersteuning (2007) (Anna de Vries, Zorg)')
    const notShared = text.slice(text.indexOf('Niet gedeeld'), text.indexOf('Actielijnen'))
    expect(notShared).toContain('Eén loket voor alles')
    expect(notShared).not.toContain('Talentontwikkeling')
    const actionLines = text.slice(text.indexOf('Actielijnen'))
    expect(actionLines).toContain('Thuis van de wijk')
    const linked = actionLines.slice(actionLines.indexOf("verbinding gemaakt met de thema's"), actionLines.indexOf('Trekker(s)'))
    expect(linked).toContain('We organiseren nabijheid')
    expect(linked).toContain('Talentontwikkeling')
    expect(actionLines).toContain('Trekker(s): Iris van de Ven, gemeente Nederweert')

    const origin = new URL(server.url)
    expect(requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).port !== origin.port)).toEqual([])
    // The downloaded .tldr, imported in the lobby, is a new board with the same cards; a broken
    // file gets a message.
    await page.goto(server.url)
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'kapot.tldr', mimeType: 'application/json', buffer: Buffer.from('{"tldrawFileFormatVersion": 1') })
    await expect.poll(async () => (await page.getByTestId('import-error').textContent()) ?? '', { timeout: 5_000 }).toContain('not JSON')
    await page.getByTestId('import-file').setInputFiles((await tldr!.path())!)
    await page.waitForURL(/\/b\/.*token=/, { timeout: 10_000 })
    await page.locator('[data-testid="action-line-card"]').filter({ hasText: 'Thuis van de wijk' }).first().waitFor({ timeout: 15_000 })

    expect(errors).toEqual([])
  }, 90_000)
})
