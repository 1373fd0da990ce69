/**
 * The vliegwiel in Chromium: an aanjager starts a programme, adds the 2018 conference board and
 * closes it; its action lines appear on the platform; a trekker posts progress through their
 * link; a resident follows it on a phone through the public link.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CreatedBoard } from '../../shared/api.ts'
import { violations } from '../helpers/axe.ts'
import { joinWithName, launchBrowser, screenshot } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'

describe('the programme platform (vliegwiel)', () => {
  it("conference → action lines on the platform → a trekker's progress → a resident reads it on a phone", async () => {
    expect(existsSync(join(process.cwd(), 'dist', 'index.html')), 'run `npm run build` first (npm test does)').toBe(true)
    const { url } = await startServer({ staticDir: join(process.cwd(), 'dist') })
    const browser = await launchBrowser()
    const errors: string[] = []

    // The aanjager starts a programme from the lobby's link.
    const aanjager = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    aanjager.on('pageerror', (e) => errors.push(e.message))
    await aanjager.goto(url)
    await aanjager.getByRole('link', { name: 'Een programma starten (vliegwiel)' }).click()
    await aanjager.getByLabel('Naam van het programma').fill('Samen aan de slag — Midden-Limburg')
    await aanjager.getByLabel('Regio').fill('Weert, Nederweert, Cranendonck')
    await aanjager.getByLabel("Gemeenten (met komma's)").fill('Weert, Nederweert, Cranendonck')
    await aanjager.getByRole('button', { name: 'Programma starten' }).click()
    await aanjager.getByTestId('aanjager-tools').waitFor()
    expect(await violations(aanjager)).toEqual([])

    // The conference board (the 2018 example) is added with its facilitator link, then closed.
    const board = (await (
      await fetch(`${url}/api/boards`, { method: 'POST', body: JSON.stringify({ example: 'samen-aan-de-slag-2018' }) })
    ).json()) as CreatedBoard
    await aanjager.getByTestId('board-link').fill(url + board.links.facilitator)
    await aanjager.getByRole('button', { name: 'Toevoegen' }).click()
    await aanjager.getByText('Bord toegevoegd.').waitFor()
    // At the end of the conference its facilitator closes the session on the board.
    const conference = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage()
    conference.on('pageerror', (e) => errors.push(e.message))
    conference.on('dialog', (dialog) => void dialog.accept())
    await conference.goto(url + board.links.facilitator)
    await joinWithName(conference, 'Fien')
    await conference.getByTestId('history-menu').click()
    const closing = conference.waitForResponse((r) => r.url().endsWith(`/api/boards/${board.id}/close`))
    await conference.getByTestId('session-close').click()
    expect((await closing).status()).toBe(200)
    await conference.getByTestId('closed-banner').waitFor({ timeout: 10_000 })
    await conference.close()
    await aanjager.reload()
    await expect.poll(() => aanjager.getByTestId('platform-line').count(), { timeout: 10_000 }).toBe(8)
    await aanjager.getByText('Gedeelde waarden').waitFor()
    // The conference's central task became the programme's point on the horizon.
    expect(await aanjager.locator('.horizon').textContent()).toMatch(/meetelt, meedoet/)
    // Taking them over again on demand says what it did.
    await aanjager.getByTestId('take-over').click()
    await expect.poll(() => aanjager.getByTestId('aanjager-message').textContent(), { timeout: 10_000 }).toBe('8 actielijnen overgenomen.')
    await aanjager.getByRole('heading', { name: /^Actielijnen \(8\)/ }).scrollIntoViewIfNeeded()
    await screenshot(aanjager, 'e2e-platform-aanjager')

    // The trekker link of line 7 goes to John, who posts progress from it.
    const seven = aanjager.getByTestId('platform-line').filter({ hasText: "Platform 'Samen aan de slag'" })
    await seven.getByTestId('trekker-link').click()
    const trekkerLink = await seven.getByTestId('trekker-link-value').inputValue()
    const publicLink = await aanjager.getByTestId('public-link').inputValue()
    const john = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage()
    john.on('pageerror', (e) => errors.push(e.message))
    await john.goto(trekkerLink)
    const hisLine = john.getByTestId('platform-line').filter({ hasText: 'Jouw actielijn' })
    await hisLine.getByRole('button', { name: 'Geschiedenis en details' }).click()
    await hisLine.getByLabel('Nieuwe voortgang').fill('De eerste versie van het platform staat online; iedereen kan meelezen.')
    await hisLine.getByLabel('Je naam').fill('John van Heel')
    await hisLine.getByLabel('Status').selectOption('loopt')
    await hisLine.getByRole('button', { name: 'Voortgang plaatsen' }).click()
    await hisLine.getByTestId('line-history').getByText('De eerste versie van het platform staat online').waitFor()
    await screenshot(john, 'e2e-platform-trekker')
    // He makes his line's werkplaats board and opens it as its facilitator.
    await hisLine.getByTestId('make-werkplaats').click()
    const werkplaats = hisLine.getByTestId('werkplaats-link')
    await werkplaats.waitFor()
    expect(await werkplaats.getAttribute('href')).toMatch(/^\/b\/[a-z0-9]+\?token=/)
    // On the werkplaats board itself he reports progress to the platform.
    await werkplaats.click()
    await joinWithName(john, 'John van Heel')
    if (await john.getByTestId('menu-button').isVisible()) await john.getByTestId('menu-button').click()
    await john.getByTestId('report-menu').click()
    await john.getByTestId('progress-menu').click()
    await john.getByTestId('progress-text').fill('Werkplaats: eerste sessie met de bibliotheek gehouden')
    await john.getByTestId('progress-post').click()
    await john.getByText('Geplaatst op het platform.').waitFor()
    expect(await violations(john)).toEqual([])
    await screenshot(john, 'e2e-platform-werkplaats')
    await john.goto(trekkerLink)
    await john
      .getByTestId('platform-line')
      .filter({ hasText: 'Jouw actielijn' })
      .getByTestId('line-last-update')
      .getByText('Werkplaats: eerste sessie met de bibliotheek gehouden')
      .waitFor()
    // Only his own line takes his progress.
    await hisLine.getByRole('button', { name: 'Geschiedenis en details' }).click()
    await hisLine.getByTestId('update-form').waitFor()
    expect(await john.getByTestId('update-form').count()).toBe(1)

    // A resident on a phone, through the public link: the update, the status, the filters.
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage()
    phone.on('pageerror', (e) => errors.push(e.message))
    await phone.goto(publicLink)
    const line = phone.getByTestId('platform-line').filter({ hasText: "Platform 'Samen aan de slag'" })
    await line.getByTestId('line-last-update').getByText('Werkplaats: eerste sessie met de bibliotheek gehouden').waitFor()
    expect(await line.getByTestId('line-status').textContent()).toBe('loopt')
    expect(await phone.getByTestId('aanjager-tools').count()).toBe(0)
    expect(await phone.getByTestId('update-form').count()).toBe(0)
    await phone.getByTestId('filter-status').selectOption('loopt')
    await expect.poll(() => phone.getByTestId('platform-line').count()).toBe(1)
    // Nothing wider than the phone.
    const wide = await phone.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > 391)
        .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)
        .slice(0, 8),
    )
    expect(wide).toEqual([])
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    expect(await violations(phone)).toEqual([])
    await line.scrollIntoViewIfNeeded()
    await screenshot(phone, 'e2e-platform-phone')

    // She signs up to join the line, with consent; the smoelenboek shows her, not her e-mail.
    await line.getByRole('button', { name: 'Geschiedenis en details' }).click()
    const form = line.getByTestId('signup-form')
    await form.getByLabel('Naam', { exact: true }).fill('Mieke Smeets')
    await form.getByLabel('E-mailadres of telefoonnummer').fill('mieke@example.nl')
    await form.getByLabel(/smoelenboek/).check()
    await form.getByLabel(/mogen contact met mij opnemen/).check()
    await form.scrollIntoViewIfNeeded()
    expect(await violations(phone)).toEqual([])
    await screenshot(phone, 'e2e-platform-phone-signup')
    await form.getByRole('button', { name: 'Aanmelden' }).click()
    const manageLink = await line.getByTestId('manage-link').inputValue()
    await phone.reload()
    await phone.getByTestId('smoelenboek').getByText('Mieke Smeets').waitFor()
    expect(await phone.content()).not.toContain('mieke@example.nl')
    // John sees her sign-up on his line, with how to reach her.
    await john.reload()
    const johnsLine = john.getByTestId('platform-line').filter({ hasText: 'Jouw actielijn' })
    await johnsLine.getByRole('button', { name: 'Geschiedenis en details' }).click()
    await johnsLine.getByTestId('line-signups').getByText('Mieke Smeets — mieke@example.nl').waitFor()

    // Her own link: her data, and removing it (after a confirmation).
    // Her link carries no programme token: the page asks nothing it would be refused (a walk-through saw a 401).
    const refused: string[] = []
    const onResponse = (r: { status(): number; url(): string }) => void (r.status() >= 400 && refused.push(`${r.status()} ${r.url()}`))
    phone.on('response', onResponse)
    await phone.goto(manageLink)
    await phone.getByTestId('my-data').getByText('mieke@example.nl').waitFor()
    phone.off('response', onResponse)
    expect(refused).toEqual([])
    expect(await violations(phone)).toEqual([])
    phone.once('dialog', (dialog) => void dialog.accept())
    await phone.getByTestId('delete-my-data').click()
    await phone.getByTestId('my-data-deleted').waitFor()
    await phone.goto(publicLink)
    await phone.getByTestId('platform-line').first().waitFor()
    expect(await phone.getByText('Mieke Smeets').count()).toBe(0)

    // She proposes an experiment for line 7 that might touch De Ring (8); the aanjager accepts it.
    await phone.getByTestId('propose-experiment').click()
    const proposal = phone.getByTestId('experiment-form')
    await proposal.getByLabel('Naam van het experiment').fill('Platform in de bibliotheek')
    await proposal.getByLabel('Je naam').fill('Mieke')
    await proposal.getByLabel('Bij welke actielijn hoort het?').selectOption({ label: "7. Platform 'Samen aan de slag'" })
    const whys = proposal.getByLabel('Waarom?')
    await whys.nth(0).fill('Iedereen vindt de actielijnen dichtbij')
    await whys.nth(1).fill('Raakt De Ring alleen aan de rand')
    await whys.nth(2).fill('Nieuw: spreekuur met een scherm')
    await proposal.getByText('Vergelijk met de gedeelde waarden en de actielijnen').click()
    await proposal.getByLabel('8. De Ring').check()
    expect(await violations(phone)).toEqual([])
    await proposal.getByRole('button', { name: 'Voorstel indienen' }).click()
    await phone.getByTestId('experiment').filter({ hasText: 'Platform in de bibliotheek' }).getByText('voorgesteld').waitFor()
    await aanjager.reload()
    await aanjager.getByTestId('experiment').filter({ hasText: 'Platform in de bibliotheek' }).getByTestId('accept-experiment').click()
    await aanjager.getByTestId('experiment').filter({ hasText: 'Platform in de bibliotheek' }).getByText('aangenomen').waitFor()
    // Line 8 shows the experiment that names it.
    const ring = aanjager.getByTestId('platform-line').filter({ hasText: 'De Ring' })
    await ring.getByRole('button', { name: 'Geschiedenis en details' }).click()
    await ring.getByTestId('conflicting-experiments').getByText('Platform in de bibliotheek').waitFor()
    await ring.getByTestId('line-experiments').scrollIntoViewIfNeeded()
    await screenshot(aanjager, 'e2e-platform-experiment')
    expect(errors).toEqual([])
  }, 90_000)
})
