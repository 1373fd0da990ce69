/** A bare board code in the lobby: it opens a board this browser has opened before, and otherwise says a link is needed. */
import { describe, expect, it } from 'vitest'
import { createConferenceBoard, joinBoard, launchBrowser } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'

describe('opening a board by its code', () => {
  it('asks for the whole link when this browser has no token for the code, and uses the known link when it has', async () => {
    const server = await startServer({ staticDir: 'dist' })
    const links = await createConferenceBoard(server.url)
    const code = new URL(links.participant, server.url).pathname.split('/').pop()!
    const browser = await launchBrowser()
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 850 } })).newPage()
    await page.goto(server.url)
    await page.getByLabel('Link of code van het bord').fill(code)
    await page.getByRole('button', { name: 'Openen', exact: true }).click()
    await expect.poll(async () => (await page.getByRole('alert').textContent()) ?? '').toContain('plak de hele link')
    expect(new URL(page.url()).pathname).toBe('/')

    await joinBoard(page, server.url + links.participant, 'Piet')
    await page.goto(server.url)
    await page.getByLabel('Link of code van het bord').fill(code)
    await page.getByRole('button', { name: 'Openen', exact: true }).click()
    await page.waitForURL(new RegExp(`/b/${code}\\?token=`))
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 15_000 })
  })
})
