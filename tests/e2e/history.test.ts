/**
 * History in real browsers: the facilitator takes a snapshot, a participant deletes a note, the
 * facilitator opens the snapshot beside the board, compares it with now and reverts; both
 * participants see the note back without reloading. Closing the session makes it read-only.
 */
import { describe, expect, it } from 'vitest'
import { screenshot, settled, startSession } from '../helpers/browser.ts'
import { ARCHIVE_SCOPE } from '../../server/policy/tokens.ts'
import { createTokens } from '../../server/policy/tokens.ts'
import { TEST_SECRET } from '../helpers/server.ts'

const NOTE = 'Bewaar mij alsjeblieft'

describe('history', () => {
  it('snapshot, delete a note, revert: the note is back for everyone', { timeout: 90_000 }, async () => {
    const { server, fien, piet, pam } = await startSession()
    fien.on('dialog', (dialog) => void dialog.accept())

    await piet.getByTestId('add-contribution').click()
    await piet.locator('[data-field="text"]').fill(NOTE)
    await piet.getByRole('button', { name: 'Sluiten' }).click()
    for (const p of [fien, pam]) await p.getByText(NOTE).first().waitFor({ timeout: 5_000 })

    await fien.getByTestId('history-menu').click()
    await fien.getByTestId('snapshot-name').fill('Voor het opruimen')
    await fien.getByTestId('snapshot-take').click()
    await fien.getByTestId('snapshot-list').getByText('Voor het opruimen').waitFor({ timeout: 5_000 })

    // Piet deletes his note; it disappears for everyone.
    await piet.getByText(NOTE).first().click()
    await piet.keyboard.press('Delete')
    for (const p of [piet, pam, fien]) await expect.poll(() => p.locator('.tl-shape').filter({ hasText: NOTE }).count(), { timeout: 5_000 }).toBe(0)

    // Fien opens the snapshot beside the board: the note is there, read-only; compared with now it is missing.
    await fien.getByTestId('snapshot-open').first().click()
    const viewer = fien.getByTestId('snapshot-viewer')
    await viewer.waitFor()
    // The whole board fits the viewer, so the note is drawn as its coloured block: find it by its type.
    await viewer.locator('.tl-shape[data-shape-type="contribution"]').first().waitFor({ timeout: 10_000 })
    await viewer.getByTestId('compare').click()
    await expect.poll(async () => viewer.getByTestId('diff-removed').textContent(), { timeout: 5_000 }).toBe('1 verdwenen')
    expect(await viewer.getByTestId('diff').textContent()).toContain(NOTE)
    await screenshot(fien, 'e2e-history-viewer')
    const [png] = await Promise.all([fien.waitForEvent('download'), viewer.getByTestId('snapshot-png').click()])
    expect(png.suggestedFilename()).toBe('Oefensessie-Voor-het-opruimen.png')

    await viewer.getByTestId('snapshot-revert').click()
    await viewer.getByTestId('snapshot-notice').waitFor({ timeout: 5_000 })
    for (const p of [piet, pam]) await p.getByText(NOTE).first().waitFor({ timeout: 5_000 })
    await screenshot(pam, 'e2e-history-reverted')
    // Escape inside the viewer closes it.
    await viewer.getByTestId('compare').focus()
    await fien.keyboard.press('Escape')
    await viewer.waitFor({ state: 'detached', timeout: 5_000 })

    // The revert kept what was there before it.
    await fien.getByTestId('history-menu').click()
    await fien.getByTestId('snapshot-list').getByText('Voor terugzetten naar ‘Voor het opruimen’').waitFor({ timeout: 5_000 })

    // Closing the session: read-only for everyone, who keep the view they had.
    const heading = piet.locator('.tl-frame-heading').filter({ hasText: 'Verleden — tijdlijn' })
    await piet.mouse.move(700, 500)
    await piet.mouse.wheel(250, 120) // Piet looks somewhere of his own
    const viewBefore = await settled(() => heading.boundingBox(), { what: "Piet's own view" })
    await fien.getByTestId('session-close').click()
    for (const p of [piet, pam]) await p.getByTestId('closed-banner').waitFor({ timeout: 5_000 })
    await expect.poll(() => piet.getByTestId('add-contribution').count(), { timeout: 5_000 }).toBe(0)
    await expect
      .poll(
        async () => {
          const viewAfter = await heading.boundingBox()
          return viewAfter && viewBefore ? Math.abs(viewAfter.x - viewBefore.x) + Math.abs(viewAfter.y - viewBefore.y) : Infinity
        },
        { timeout: 5_000 },
      )
      .toBeLessThan(5)
    expect(await piet.getByTestId('hand').count()).toBe(0)
    expect(await fien.getByTestId('vote-start').count()).toBe(0)
    await screenshot(piet, 'e2e-history-closed')

    // The closed session is in the archive, with its report.
    const key = createTokens(TEST_SECRET).sign(ARCHIVE_SCOPE, 'facilitator')
    await fien.goto(`${server.url}/archive?key=${encodeURIComponent(key)}`)
    const row = fien.getByTestId('archive-table').locator('tbody tr').filter({ hasText: 'Oefensessie' })
    await row.waitFor({ timeout: 10_000 })
    expect(await row.textContent()).toContain('gesloten')
    expect(await row.textContent()).toContain('Sessie gesloten')
    expect(new URL(fien.url()).search).toBe('')
    await fien.getByTestId('archive-search').fill('bestaat niet')
    await expect.poll(() => fien.getByTestId('archive-table').locator('tbody tr').count(), { timeout: 5_000 }).toBe(0)
    await fien.getByTestId('archive-search').fill('oefen')
    await row.waitFor({ timeout: 5_000 })
    await screenshot(fien, 'e2e-archive')
    const [report] = await Promise.all([fien.context().waitForEvent('page'), row.getByRole('link', { name: 'Verslag' }).click()])
    await report!.waitForLoadState()
    expect(await report!.locator('h1').textContent()).toBe('Oefensessie')

    // …and its last snapshot opens read-only beside the board, from the archive.
    await row.getByTestId('archive-snapshot').click()
    await fien.getByTestId('snapshot-viewer').getByText('Snapshot ‘Sessie gesloten’').waitFor({ timeout: 15_000 })
    expect(await fien.getByTestId('role').textContent()).toBe('kijker')
  })
})
