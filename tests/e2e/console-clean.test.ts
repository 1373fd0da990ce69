/**
 * Our own Content-Security-Policy is not broken by our own code: in Chromium the lobby, a board,
 * the archive and a programme's platform page report no CSP violation and log no error (zod's JIT
 * probe, `new Function('')`, used to violate script-src on every page).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createConferenceBoard, joinWithName, launchBrowser } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'

/** An image from another site: the CSP blocks it, and its report tells us the reports before it have arrived. */
const CANARY = 'https://canary.invalid/csp.png'

interface Problems {
  violations: string[]
  console: string[]
}

/** Records CSP violations (from the page's first script on) and console errors of one page. */
async function watch(page: Page): Promise<Problems> {
  const problems: Problems = { violations: [], console: [] }
  await page.exposeFunction('__reportViolation', (line: string) => problems.violations.push(line))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { __reportViolation(line: string): void }).__reportViolation(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`,
      )
    })
  })
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes(CANARY)) problems.console.push(message.text())
  })
  page.on('pageerror', (error) => problems.console.push(error.message))
  return problems
}

/** Waits until the page's violation reports so far have arrived (the canary's comes after them), then takes them. */
async function settle(page: Page, problems: Problems): Promise<Problems> {
  await page.evaluate((src) => {
    const img = document.createElement('img')
    img.src = src
    img.alt = ''
    document.body.append(img)
  }, CANARY)
  await expect.poll(() => problems.violations.some((v) => v.includes(CANARY)), { timeout: 5_000 }).toBe(true)
  const taken = { violations: problems.violations.filter((v) => !v.includes(CANARY)), console: [...problems.console] }
  problems.violations.length = 0
  problems.console.length = 0
  return taken
}

describe('our pages keep our own CSP', () => {
  it('the lobby, a board, the archive and a platform page: no CSP violation, no console error', async () => {
    const dist = join(process.cwd(), 'dist')
    expect(existsSync(join(dist, 'index.html')), 'run `npm run build` first (npm test does)').toBe(true)
    const server = await startServer({ staticDir: dist })
    const links = await createConferenceBoard(server.url)
    const created = await fetch(`${server.url}/api/programmes`, { method: 'POST', body: JSON.stringify({ name: 'Midden-Limburg' }) })
    const programme = (await created.json()) as { links: { public: string } }
    const browser = await launchBrowser()
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage()
    const problems = await watch(page)
    const seen: Record<string, Problems> = {}

    await page.goto(server.url)
    await page.getByRole('link', { name: 'Een programma starten (vliegwiel)' }).waitFor()
    seen.lobby = await settle(page, problems)

    await page.goto(server.url + links.facilitator)
    await joinWithName(page, 'Fien')
    await page.getByTestId('agenda-phase').waitFor()
    seen.board = await settle(page, problems)

    await page.goto(`${server.url}/archive`)
    await page.locator('main').waitFor()
    seen.archive = await settle(page, problems)

    await page.goto(server.url + programme.links.public)
    await page.getByText('Midden-Limburg').first().waitFor()
    seen.platform = await settle(page, problems)

    const none: Problems = { violations: [], console: [] }
    expect(seen).toEqual({ lobby: none, board: none, archive: none, platform: none })
  })
})
