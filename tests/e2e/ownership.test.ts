/**
 * One key no longer deletes other people's work: in Chromium, a participant cannot delete or
 * change someone else's card (the UI refuses, the connection stays; the wire is tested in
 * tests/server/ownership.test.ts), and a facilitator brings one deleted card back from the
 * Prullenbak while later work stays.
 */
import { describe, expect, it } from 'vitest'
import { screenshot, startSession } from '../helpers/browser.ts'

describe('cards belong to their writers', () => {
  it("Pam cannot delete Piet's card; Fien deletes it and restores it from the trash, Pam's later card stays", async () => {
    const { server, fien, piet, pam } = await startSession()
    await piet.getByTestId('add-contribution').click()
    await piet.locator('[data-field="text"]').fill('Het buurthuis ging dicht')
    await piet.keyboard.press('Escape')
    const card = (page: typeof pam) => page.locator('.tl-shape').filter({ hasText: 'Het buurthuis ging dicht' })
    await card(pam).waitFor({ timeout: 10_000 })

    // Pam selects Piet's card: the form is read-only, and Delete does nothing.
    await card(pam).click()
    await pam.getByTestId('not-mine').waitFor({ timeout: 5_000 })
    expect(await pam.locator('[data-testid="card-form"] [data-field="text"]').isDisabled()).toBe(true)
    await pam.locator('.tl-canvas').focus()
    await pam.keyboard.press('Delete')
    // What Pam does next reaching Piet shows her Delete was handled (and sent nothing that closed her).
    await pam.keyboard.press('Escape')
    await pam.getByTestId('add-contribution').click()
    await pam.locator('[data-field="text"]').fill('Pam was hier')
    await pam.keyboard.press('Escape')
    await piet.locator('.tl-shape').filter({ hasText: 'Pam was hier' }).waitFor({ timeout: 5_000 })
    expect(await card(pam).count()).toBe(1)
    expect(await card(piet).count()).toBe(1)
    expect(await pam.getByTestId('connection-status').getAttribute('data-state')).toBe('connected')
    await screenshot(pam, 'e2e-not-my-card')

    // Fien deletes it; Pam writes a card of her own afterwards; Fien restores Piet's from the trash.
    await card(fien).click()
    await fien.locator('.tl-canvas').focus()
    await fien.keyboard.press('Delete')
    await expect.poll(() => card(piet).count(), { timeout: 5_000 }).toBe(0)
    await pam.keyboard.press('Escape')
    await pam.getByTestId('add-contribution').click()
    await pam.locator('[data-field="text"]').fill('Later geschreven')
    await pam.keyboard.press('Escape')
    await fien.locator('.tl-shape').filter({ hasText: 'Later geschreven' }).waitFor({ timeout: 5_000 })
    await fien.getByTestId('trash-menu').click()
    const list = fien.getByTestId('trash-list')
    await expect.poll(() => list.textContent(), { timeout: 5_000 }).toContain('Het buurthuis ging dicht')
    expect(await list.textContent()).toContain('verwijderd door Fien')
    await screenshot(fien, 'e2e-trash')
    await fien.getByTestId('trash-restore').click()
    await card(piet).waitFor({ timeout: 5_000 })
    await card(pam).waitFor({ timeout: 5_000 })
    expect(await pam.locator('.tl-shape').filter({ hasText: 'Later geschreven' }).count()).toBe(1)
    await expect.poll(() => fien.getByTestId('trash-menu').textContent(), { timeout: 5_000 }).toBe('Prullenbak (0)')
    expect(server.log.lines.filter((l) => l.includes('closing connection'))).toEqual([])
  })
})
