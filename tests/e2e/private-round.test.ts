/**
 * A private round in real browsers: what a participant writes in the round's frame stays in
 * their browser (also across a reload) and shows as private; the facilitator's reveal brings it
 * to everyone at once.
 */
import { describe, expect, it } from 'vitest'
import { screenshot, startSession } from '../helpers/browser.ts'
const SECRET = 'Wat ik eigenlijk vind van de buurt'

describe('a private round', () => {
  it('keeps notes private until the facilitator reveals them', async () => {
    const { fien, piet, pam } = await startSession()

    await fien.getByTestId('private-start').click()
    for (const p of [piet, pam]) await p.getByTestId('private-round').waitFor({ timeout: 5_000 })
    expect(await piet.getByTestId('private-round').textContent()).toContain('Verleden — tijdlijn')

    await piet.getByTestId('add-contribution').click()
    await piet.locator('[data-field="text"]').fill(SECRET)
    await piet.getByTestId('private-label').waitFor({ timeout: 5_000 })
    await piet.getByText(SECRET).first().waitFor()

    // A reload keeps it (in this browser only); the others still do not have it.
    await piet.reload()
    await piet.getByTestId('private-label').waitFor({ timeout: 15_000 })
    await piet.getByText(SECRET).first().waitFor()
    await pam.waitForTimeout(500)
    expect(await pam.getByText(SECRET).count()).toBe(0)
    expect(await fien.getByText(SECRET).count()).toBe(0)
    await screenshot(piet!, 'e2e-private-round-author')
    await screenshot(pam!, 'e2e-private-round-other')

    await fien.getByTestId('reveal').click()
    await pam.getByText(SECRET).first().waitFor({ timeout: 5_000 })
    await fien.getByText(SECRET).first().waitFor({ timeout: 5_000 })
    await expect.poll(() => piet.getByTestId('private-label').count(), { timeout: 5_000 }).toBe(0)
    expect(await pam.getByTestId('private-round').count()).toBe(0)
    await screenshot(pam!, 'e2e-private-round-revealed')
  })
})
