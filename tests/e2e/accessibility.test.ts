/**
 * WCAG 2.1 AA, as axe-core judges it, on every page people use: the lobby, the join dialog, the
 * board as participant and as facilitator, the report and the archive. No serious or critical
 * violation may remain.
 */
import { describe, expect, it } from 'vitest'
import { createConferenceBoard, joinBoard, launchBrowser } from '../helpers/browser.ts'
import { startServer, testTokens } from '../helpers/server.ts'
import { ARCHIVE_SCOPE } from '../../server/policy/tokens.ts'
import { violations } from '../helpers/axe.ts'

describe('accessibility (axe-core)', () => {
  it('finds no serious or critical violations on the lobby, join dialog, board, report and archive', async () => {
    const server = await startServer({ staticDir: 'dist' })
    const links = await createConferenceBoard(server.url)
    const browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 1400, height: 850 } })
    const page = await context.newPage()
    const report: Record<string, string[]> = {}

    await page.goto(server.url)
    await page.getByTestId('create-board').waitFor()
    report.lobby = await violations(page)

    await page.goto(server.url + links.participant)
    await page.getByLabel('Je naam').waitFor()
    report['join dialog'] = await violations(page)

    await joinBoard(page, server.url + links.participant, 'Piet')
    report['board (participant)'] = await violations(page)

    const facilitator = await (await browser.newContext({ viewport: { width: 1400, height: 850 } })).newPage()
    await joinBoard(facilitator, server.url + links.facilitator, 'Fien')
    report['board (facilitator)'] = await violations(facilitator)

    const board = new URL(links.viewer, server.url)
    await page.goto(`${server.url}/api/boards/${board.pathname.split('/').pop()}/outcome.html?token=${board.searchParams.get('token')}`)
    report.report = await violations(page)

    await page.goto(`${server.url}/archive?key=${testTokens.sign(ARCHIVE_SCOPE, 'facilitator')}`)
    await page.getByRole('table').waitFor({ timeout: 10_000 })
    report.archive = await violations(page)

    expect(report).toEqual({ lobby: [], 'join dialog': [], 'board (participant)': [], 'board (facilitator)': [], report: [], archive: [] })
  }, 120_000)
})
