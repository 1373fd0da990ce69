/**
 * Every screen: a participant on a phone (390×844) contributes through the contribute view into
 * their own era, and the note is in that era's section of the report; on a tablet and on laptops
 * every header and agenda control can be reached (directly, or in the one menu below 1000 px),
 * and the facilitator's controls leave the board visible. Screenshots at 390, 820, 1366 and 1440.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createConferenceBoard, joinBoard, launchBrowser, screenshot } from '../helpers/browser.ts'
import { violations } from '../helpers/axe.ts'
import { startServer } from '../helpers/server.ts'

/** Whether an element lies wholly inside the window. */
async function onScreen(page: Page, testId: string): Promise<boolean> {
  const box = await page.getByTestId(testId).first().boundingBox()
  const size = page.viewportSize()!
  return !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width + 1 && box.y + box.height <= size.height + 1
}

describe('every screen', () => {
  it('a phone participant puts a note into their own era through the contribute view; it is in that era in the report', async () => {
    const server = await startServer({ staticDir: 'dist' })
    const links = await createConferenceBoard(server.url)
    const browser = await launchBrowser()
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })).newPage()
    await joinBoard(phone, server.url + links.participant, 'Fatma')
    await phone.getByTestId('contribute').waitFor({ timeout: 10_000 })
    expect(await phone.getByTestId('card-panel').count()).toBe(0)
    expect(await phone.getByTestId('contribute-question').textContent()).toContain('Verleden — tijdlijn')
    // The essentials are on screen without the menu; the rest is one tap away.
    for (const id of ['menu-button', 'agenda-phase', 'timer', 'go-to-phase', 'contribute-submit']) expect(await onScreen(phone, id), id).toBe(true)
    expect(await phone.getByTestId('people-menu').isVisible()).toBe(false)
    expect(await violations(phone)).toEqual([])
    await screenshot(phone, 'screen-390-participant-contribute')

    const eras = await phone.getByTestId('contribute-where').locator('option').allTextContents()
    expect(eras.length).toBeGreaterThanOrEqual(2)
    const era = eras[1]!
    await phone.getByTestId('contribute-where').selectOption({ label: era })
    await phone.getByTestId('contribute-text').fill('De bibliotheek verhuisde naar het MFC')
    await phone.getByTestId('contribute-submit').click()
    await expect.poll(() => phone.getByTestId('contribute-status').textContent(), { timeout: 5_000 }).toContain(era)
    await screenshot(phone, 'screen-390-participant-placed')

    // In the report, under that era's heading.
    const facilitatorToken = new URL(links.facilitator, server.url).searchParams.get('token')!
    const board = new URL(links.facilitator, server.url).pathname.split('/').pop()!
    let report = ''
    await expect
      .poll(
        async () => {
          report = await (await fetch(`${server.url}/api/boards/${board}/outcome.md?lang=nl&token=${encodeURIComponent(facilitatorToken)}`)).text()
          return report.includes('De bibliotheek verhuisde naar het MFC')
        },
        { timeout: 5_000 },
      )
      .toBe(true)
    const section = report.slice(report.indexOf(`### ${era.replace(/([\\`*_[\]<>#|])/g, '\\$1')}`))
    expect(section.split('\n### ')[0]).toContain('De bibliotheek verhuisde naar het MFC (Fatma')

    // The menu opens the rest: people, language, report, larger text; instructions expand.
    await phone.getByTestId('menu-button').click()
    for (const id of ['people-menu', 'report-menu', 'large-text', 'outline-menu']) await phone.getByTestId(id).waitFor()
    await phone.getByTestId('instructions-toggle').click()
    expect(await phone.getByTestId('agenda-instructions').evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('normal')
    await screenshot(phone, 'screen-390-menu-open')
  })

  it('tablet and laptops: every control can be reached; facilitator controls leave most of a 1366×768 screen to the board', async () => {
    const server = await startServer({ staticDir: 'dist' })
    const links = await createConferenceBoard(server.url)
    const browser = await launchBrowser()
    const open = async (width: number, height: number, link: string, name: string) => {
      const page = await (await browser.newContext({ viewport: { width, height } })).newPage()
      await joinBoard(page, server.url + link, name)
      return page
    }
    const tablet = await open(820, 1180, links.participant, 'Tijn')
    await screenshot(tablet, 'screen-820-participant')
    for (const id of ['menu-button', 'agenda-phase', 'timer', 'go-to-phase']) expect(await onScreen(tablet, id), id).toBe(true)
    await tablet.getByTestId('menu-button').click()
    for (const id of ['hand', 'people-menu', 'report-menu', 'large-text', 'outline-menu']) expect(await onScreen(tablet, id), id).toBe(true)
    await screenshot(tablet, 'screen-820-participant-menu')

    for (const [width, height] of [
      [1366, 768],
      [1440, 900],
    ] as const) {
      const page = await open(width, height, links.facilitator, `Fien ${width}`)
      for (const id of ['agenda-phase', 'timer', 'go-to-phase', 'next-phase', 'people-menu', 'report-menu', 'trash-menu', 'outline-menu']) {
        expect(await onScreen(page, id), `${id} at ${width}`).toBe(true)
      }
      await screenshot(page, `screen-${width}-facilitator`)
      const top = (await page.locator('.board-top').boundingBox())!
      expect(top.y + top.height, `chrome height at ${width}×${height}`).toBeLessThan(height / 3)
      // tldraw's style panel is whole and not under the chrome.
      const style = (await page.locator('.tlui-style-panel__wrapper').boundingBox())!
      expect(style.x + style.width, `style panel at ${width}`).toBeLessThanOrEqual(width)
      expect(style.y + style.height, `style panel at ${width}`).toBeLessThanOrEqual(height)
      const apart = style.y >= top.y + top.height || style.x >= top.x + top.width
      expect(apart, `style panel clear of the chrome at ${width}`).toBe(true)
    }
  })
})
