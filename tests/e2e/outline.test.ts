/**
 * Overzicht lists every frame to jump to, the frames inside a frame (the trots & sorry rows) as a
 * sub-list: every entry can be clicked. Found by the session fuzzer (seed 20261203, step 132):
 * the sub-list took the header menus' absolute position and covered the top of the list.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createConferenceBoard, joinBoard, launchBrowser, screenshot } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'

describe('Overzicht', () => {
  it('shows every frame, the trots & sorry rows too, where it can be clicked', async () => {
    const server = await startServer({ staticDir: join(process.cwd(), 'dist') })
    const links = await createConferenceBoard(server.url)
    const browser = await launchBrowser()
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    await joinBoard(page, server.url + links.facilitator, 'Fien')

    await page.getByTestId('outline-menu').click()
    const list = page.getByTestId('outline-list')
    await list.locator('ul button').first().waitFor({ timeout: 5_000 })
    const covered: string[] = []
    for (const button of await list.locator('button').all()) {
      await button.scrollIntoViewIfNeeded()
      const hit = await button.evaluate((el) => {
        const r = el.getBoundingClientRect()
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
        return top === el || el.contains(top) ? null : `${el.textContent} under ${top?.textContent?.slice(0, 60)}`
      })
      if (hit) covered.push(hit)
    }
    await screenshot(page, 'e2e-outline-nested-frame')
    expect(covered).toEqual([])
  })
})
