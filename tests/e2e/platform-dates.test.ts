/**
 * The platform dates progress as people in the Netherlands do, whatever zone the reader's
 * computer is set to: an update at 00:30 on 15 June there reads "15 juni", also on a laptop in UTC.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CreatedBoard } from '../../shared/api.ts'
import type { CreatedProgramme, ProgrammeView } from '../../shared/programme.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'

describe("the platform's dates", () => {
  it('shows an update posted at 00:30 in the Netherlands on that day, to a reader whose computer is in UTC', async () => {
    expect(existsSync(join(process.cwd(), 'dist', 'index.html')), 'run `npm run build` first (npm test does)').toBe(true)
    let clock = Date.parse('2026-06-01T12:00:00Z')
    const { url } = await startServer({ staticDir: join(process.cwd(), 'dist'), now: () => clock })
    const call = async <T>(method: string, path: string, token: string | null, body?: unknown) =>
      (await (
        await fetch(`${url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      ).json()) as T
    const { programme, links } = await call<CreatedProgramme>('POST', '/api/programmes', null, { name: 'Nachtwerk' })
    const aanjager = new URL(links.aanjager, url).searchParams.get('token')!
    const board = await call<CreatedBoard>('POST', '/api/boards', null, { example: 'samen-aan-de-slag-2018' })
    const p = `/api/programmes/${programme.id}`
    await call('POST', `${p}/boards`, aanjager, { boardLink: board.links.facilitator })
    await call('POST', `${p}/boards/${board.id}/action-lines`, aanjager)
    const seven = (await call<ProgrammeView>('GET', p, aanjager)).lines.find((l) => l.number === 7)!
    clock = Date.parse('2026-06-14T22:30:00Z')
    await call('POST', `${p}/lines/${seven.id}/updates`, aanjager, { text: 'Na middernacht', author: 'John van Heel' })

    const browser = await launchBrowser()
    const page = await (await browser.newContext({ timezoneId: 'UTC', locale: 'nl-NL' })).newPage()
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('UTC')
    await page.goto(url + links.public)
    const line = page.getByTestId('platform-line').filter({ hasText: "Platform 'Samen aan de slag'" })
    await line.getByRole('button', { name: 'Geschiedenis en details' }).click()
    const entry = line.getByTestId('line-history').locator('li', { hasText: 'Na middernacht' })
    await entry.waitFor()
    expect(await entry.textContent()).toContain('15 juni 2026 — John van Heel')
  })
})
