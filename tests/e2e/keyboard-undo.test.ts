/**
 * Undo and redo by keyboard around a card. Found by a new-user walk-through: a card deleted with
 * Delete and brought back with Ctrl+Z opened its edit form with the keyboard in it, so Ctrl+Shift+Z
 * (and any further Delete or Ctrl+Z) went into the card's text instead of the board.
 */
import { describe, expect, it } from 'vitest'
import { startSession } from '../helpers/browser.ts'

const NOTE = 'Terug en weer weg'

describe('undo and redo by keyboard', () => {
  it('a deleted card brought back by Ctrl+Z is deleted again by Ctrl+Shift+Z; the keyboard stays with the board', { timeout: 90_000 }, async () => {
    const { piet, pam } = await startSession()
    await piet.getByTestId('add-contribution').click()
    await piet.locator('[data-field="text"]').fill(NOTE)
    await piet.getByRole('button', { name: 'Sluiten' }).click()
    await pam.getByText(NOTE).first().waitFor({ timeout: 5_000 })
    const onBoard = () => piet.locator('.tl-shape').filter({ hasText: NOTE }).count()

    await piet.getByText(NOTE).first().click()
    await piet.keyboard.press('Delete')
    await expect.poll(onBoard).toBe(0)
    await piet.keyboard.press('Control+z')
    await expect.poll(onBoard).toBe(1)
    expect(await piet.evaluate(() => document.activeElement?.tagName)).not.toMatch(/TEXTAREA|INPUT/)
    await piet.keyboard.press('Control+Shift+z')
    await expect.poll(onBoard).toBe(0)
    await expect.poll(() => pam.locator('.tl-shape').filter({ hasText: NOTE }).count()).toBe(0)
  })
})
