/**
 * A facilitator and two participants in real browsers: the facilitator starts the timer, moves
 * to the next phase and brings everyone to a view; the participants' agendas, timers and views
 * follow. Participants get no facilitator controls, and a raised hand reaches the facilitator.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { screenshot, settled, startSession } from '../helpers/browser.ts'

const seconds = async (page: Page) => {
  return (await page.getByTestId('timer').textContent())!
    .split(':')
    .map(Number)
    .reduce((total, part) => total * 60 + part, 0)
}

describe('facilitating a session', () => {
  it('timer, next phase and "bring everyone here" reach both participants', async () => {
    const { fien, piet, pam } = await startSession()

    expect(await piet.getByTestId('facilitator-controls').count()).toBe(0)
    expect(await fien.getByTestId('facilitator-controls').count()).toBe(1)
    for (const p of [fien, piet, pam]) expect(await p.getByTestId('agenda-phase').textContent()).toBe('Fase 1/8 · Verleden — tijdlijn')

    // The timer: started by the facilitator, running for everyone, showing the same time.
    await fien.getByTestId('start-timer').click()
    for (const p of [piet, pam]) await p.locator('[data-testid="timer"].timer-running').waitFor({ timeout: 5_000 })
    const [a, b, c] = await Promise.all([seconds(fien), seconds(piet), seconds(pam)])
    expect(Math.max(a, b, c) - Math.min(a, b, c)).toBeLessThanOrEqual(1)
    expect(a).toBeGreaterThan(119 * 60)

    // Next phase: everyone's agenda moves, and the participants' views go to its frame.
    await fien.getByTestId('next-phase').click()
    for (const p of [piet, pam]) {
      await expect.poll(() => p.getByTestId('agenda-phase').textContent(), { timeout: 5_000 }).toBe('Fase 2/8 · Heden — ontwikkelingen')
      await p.locator('.tl-frame-heading').filter({ hasText: 'Heden — ontwikkelingen' }).waitFor({ timeout: 5_000 })
    }

    // The timer kept running over the phase change; −1 min takes a minute off for everyone, and
    // the facilitator can set a length of their own.
    await piet.locator('[data-testid="timer"].timer-running').waitFor({ timeout: 5_000 })
    const beforeMinus = await seconds(piet)
    await fien.getByTestId('minus-minute').click()
    await expect.poll(() => seconds(piet), { timeout: 5_000 }).toBeLessThan(beforeMinus - 50)
    await fien.getByTestId('timer-length').fill('3')
    await fien.getByTestId('timer-reset').click()
    await expect.poll(() => piet.getByTestId('timer').textContent(), { timeout: 5_000 }).toBe('3:00')

    // Bring everyone here: the facilitator zooms out over the whole board; the others follow.
    await fien.locator('.tl-canvas').click({ position: { x: 700, y: 600 } })
    await fien.keyboard.press('Shift+1')
    const heading = (p: Page) => p.locator('.tl-frame-heading').filter({ hasText: 'Actielijnen' }).first()
    await settled(() => heading(fien).boundingBox(), { what: "Fien's camera over the whole board" })
    await fien.getByTestId('summon').click()
    const target = (await heading(fien).boundingBox())!
    for (const p of [piet, pam]) {
      await expect
        .poll(
          async () => {
            const box = await heading(p).boundingBox()
            return box ? Math.abs(box.x - target.x) + Math.abs(box.y - target.y) : Infinity
          },
          { timeout: 5_000 },
        )
        .toBeLessThan(30)
    }

    // A raised hand shows in the facilitator's people list, stays up when Pam reloads, and the
    // facilitator can lower it.
    await pam.getByTestId('hand').click()
    await fien.getByTestId('people-menu').click()
    const pamsHand = fien.getByTestId('people-list').locator('li.hand-up').filter({ hasText: 'Pam' })
    await pamsHand.waitFor({ timeout: 5_000 })
    await pam.reload()
    await pam.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 15_000 })
    await expect.poll(() => pam.getByTestId('hand').getAttribute('aria-pressed'), { timeout: 5_000 }).toBe('true')
    await pamsHand.waitFor({ timeout: 5_000 })
    await pamsHand.getByTestId('lower-hand').click()
    await expect.poll(() => pam.getByTestId('hand').getAttribute('aria-pressed'), { timeout: 5_000 }).toBe('false')
    await expect.poll(() => pamsHand.count(), { timeout: 5_000 }).toBe(0)
    await fien.getByTestId('people-menu').click()

    // A dot vote: Piet puts two dots on his own card; the tally appears only when Fien closes it.
    await fien.getByTestId('vote-start').click()
    await fien.getByTestId('vote-begin').click()
    await piet.getByTestId('vote-bar').waitFor({ timeout: 5_000 })
    await piet.getByTestId('add-contribution').click()
    await piet.locator('[data-field="text"]').fill('Eenzaamheid onder ouderen')
    await piet.getByTestId('vote-add').click()
    await expect.poll(async () => (await piet.getByTestId('vote-bar').textContent()) ?? '').toContain('Nog 2 over')
    await piet.getByTestId('vote-add').click()
    await expect.poll(async () => (await piet.getByTestId('vote-bar').textContent()) ?? '').toContain('Nog 1 over')
    expect(await fien.getByTestId('vote-badge').count()).toBe(0)
    await fien.getByTestId('vote-close').click()
    await piet.locator('[data-testid="vote-results"]').waitFor({ state: 'attached', timeout: 5_000 })
    expect(await piet.locator('[data-testid="vote-results"] li').first().textContent()).toBe('Eenzaamheid onder ouderen — 2')
    await piet.getByTestId('vote-badge').first().waitFor({ timeout: 5_000 })
    await screenshot(piet!, 'e2e-participant-voted')
    await fien.getByTestId('people-menu').click()
    await screenshot(fien!, 'e2e-facilitator')
    await screenshot(piet!, 'e2e-participant-summoned')
  })
})
