/**
 * Spotlight and co-facilitation in real browsers: the facilitator spotlights a frame (everyone's
 * view goes there, the rest is dimmed) and makes a participant co-facilitator, whose page then
 * switches to the facilitator link and shows the facilitator's controls. Deleting the board
 * tells everyone on it.
 */
import { describe, expect, it } from 'vitest'
import { screenshot, settled, startSession } from '../helpers/browser.ts'

describe('attention and co-facilitation', () => {
  it('spotlights a frame for everyone, and makes a participant co-facilitator', async () => {
    const { fien, piet, pam } = await startSession()
    const heading = piet.locator('.tl-frame-heading').filter({ hasText: 'Verleden — tijdlijn' }).first()

    // Piet looks elsewhere; the spotlight brings him back and dims the rest.
    await piet.locator('.tl-canvas').click({ position: { x: 700, y: 600 } })
    await piet.keyboard.press('Shift+1')
    const away = (await settled(() => heading.boundingBox(), { what: "Piet's camera away" }))!
    await fien.getByTestId('spotlight-start').click()
    for (const p of [piet, pam]) {
      await p.getByTestId('spotlight').waitFor({ timeout: 5_000 })
      expect(await p.getByTestId('spotlight-banner').textContent()).toContain('Spotlight op ‘Verleden — tijdlijn’')
    }
    await expect.poll(async () => (await heading.boundingBox())!.width, { timeout: 5_000 }).toBeGreaterThan(away.width * 1.5)
    await screenshot(piet, 'e2e-spotlight')
    await fien.getByTestId('spotlight-off').click()
    for (const p of [piet, pam]) await p.getByTestId('spotlight').waitFor({ state: 'detached', timeout: 5_000 })

    // Co-facilitator: Fien names Piet; Piet's page switches to the facilitator link.
    expect(await piet.getByTestId('facilitator-controls').count()).toBe(0)
    fien.on('dialog', (dialog) => void (dialog.type() === 'prompt' ? dialog.accept('Oefensessie') : dialog.accept()))
    await fien.getByTestId('people-menu').click()
    await fien.getByTestId('people-list').locator('li').filter({ hasText: 'Piet' }).getByTestId('make-cofacilitator').click()
    await piet.getByTestId('facilitator-controls').waitFor({ timeout: 10_000 })
    expect(piet.url()).toMatch(/token=/)
    expect(await piet.getByTestId('role').textContent()).toBe('facilitator')
    expect(await pam.getByTestId('facilitator-controls').count()).toBe(0)
    await screenshot(piet, 'e2e-cofacilitator')

    // A facilitator folds the controls away to see more of the board, and back.
    await fien.getByTestId('controls-toggle').click()
    expect(await fien.getByTestId('facilitator-controls').count()).toBe(0)
    await fien.getByTestId('controls-toggle').click()
    await fien.getByTestId('facilitator-controls').waitFor()

    // Deleting the board (after typing its title): everyone on it is told; Fien is back in the lobby.
    await fien.getByTestId('history-menu').click()
    await fien.getByTestId('board-delete').click()
    await fien.waitForURL((url) => url.pathname === '/', { timeout: 5_000 })
    await pam.getByText('Dit bord is verwijderd door een facilitator.').waitFor({ timeout: 5_000 })
  })
})
