/**
 * A dot placed while the connection is down waits and goes when it is back, instead of being
 * refused (issue 19: the soak saw 16 dots refused 403 in the seconds participants' sockets were
 * down; in the browser the vote bar showed the refusal). Counted once, and a real refusal (the
 * vote closed meanwhile) still says so.
 */
import { describe, expect, it } from 'vitest'
import { violations } from '../helpers/axe.ts'
import { createConferenceBoard, joinBoard, launchBrowser, screenshot } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'

const PENDING = 'Je stip wordt geplaatst zodra je weer verbonden bent'
const CLOSED = 'Je stip is niet geplaatst: de stemronde was al gesloten'

describe('a dot placed offline', () => {
  it('shows as waiting, without a refusal, and is placed once when the connection is back', async () => {
    const server = await startServer({ staticDir: 'dist' })
    const links = await createConferenceBoard(server.url)
    const browser = await launchBrowser()
    const open = async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
      return { context, page: await context.newPage() }
    }
    const [{ page: fien }, { context: pietsNetwork, page: piet }] = await Promise.all([open(), open()])
    await joinBoard(fien, server.url + links.facilitator, 'Fien')
    await joinBoard(piet, server.url + links.participant, 'Piet')
    await fien.getByTestId('vote-start').click()
    await fien.locator('.vote-start input[type=number]').first().fill('2')
    await fien.getByTestId('vote-begin').click()
    await piet.getByTestId('vote-bar').waitFor({ timeout: 10_000 })
    await piet.getByTestId('add-contribution').click()
    await piet.locator('[data-field="text"]').fill('Eenzaamheid onder ouderen')
    const bar = piet.getByTestId('vote-bar')
    await expect.poll(async () => (await bar.textContent()) ?? '').toContain('Nog 2 over')

    await pietsNetwork.setOffline(true)
    await piet.locator('[data-testid="connection-status"][data-state="offline"]').waitFor()
    await piet.getByTestId('vote-add').click()
    await bar.getByText(PENDING).waitFor({ timeout: 5_000 })
    expect(await bar.locator('[role=alert]').count()).toBe(0)
    // The waiting dot already counts: one left to place.
    expect(await bar.textContent()).toContain('Nog 1 over')
    await screenshot(piet, 'e2e-vote-pending')
    expect(await violations(piet)).toEqual([])

    await pietsNetwork.setOffline(false)
    await piet.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 20_000 })
    await expect.poll(async () => (await bar.textContent()) ?? '', { timeout: 10_000 }).not.toContain(PENDING)
    expect(await bar.textContent()).toContain('Nog 1 over')
    expect(await bar.locator('[role=alert]').count()).toBe(0)

    // A refusal for a real reason still says so: offline again, a dot waits while Fien closes
    // the vote; when Piet is back it is refused (the vote closed), and he is told.
    await pietsNetwork.setOffline(true)
    await piet.locator('[data-testid="connection-status"][data-state="offline"]').waitFor()
    await piet.getByTestId('vote-add').click()
    await bar.getByText(PENDING).waitFor({ timeout: 5_000 })
    await fien.getByTestId('vote-close').click()
    await fien.locator('[data-testid="vote-results"]').waitFor({ state: 'attached', timeout: 5_000 })
    await pietsNetwork.setOffline(false)
    await piet.locator('.vote-bar [role=alert]').getByText(CLOSED).waitFor({ timeout: 20_000 })
    await piet.locator('[data-testid="vote-results"]').waitFor({ state: 'attached', timeout: 5_000 })
    expect(await piet.locator('[data-testid="vote-results"] li').first().textContent()).toBe('Eenzaamheid onder ouderen — 1')
  })
})
