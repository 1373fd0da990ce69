/**
 * A dot vote seen through the viewer link: the vote bar shows the round and nothing else — no
 * error, nothing asked of the server that it must refuse. Found by the session fuzzer (seed 5,
 * steps 18–19): every viewer's page asked for "my dots", got 403 and showed the refusal.
 */
import { describe, expect, it } from 'vitest'
import { createConferenceBoard, joinBoard, launchBrowser } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'

describe('a vote for a viewer', () => {
  it('shows the open vote without an error or a refused request', async () => {
    const server = await startServer({ staticDir: 'dist' })
    const links = await createConferenceBoard(server.url)
    const browser = await launchBrowser()
    const open = async () => (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    const [fien, vera] = await Promise.all([open(), open()])
    const refused: string[] = []
    vera.on('response', (response) => response.status() >= 400 && refused.push(`${response.status()} ${new URL(response.url()).pathname}`))
    vera.on('console', (message) => message.type() === 'error' && refused.push(message.text()))
    await joinBoard(fien, server.url + links.facilitator, 'Fien')
    await joinBoard(vera, server.url + links.viewer, 'Vera')

    await fien.getByTestId('vote-start').click()
    await fien.getByTestId('vote-begin').click()
    await vera.getByTestId('vote-bar').waitFor({ timeout: 10_000 })
    // Fien's own dots answer: once hers has, a request of Vera's made with the same vote has too.
    await fien.getByTestId('vote-bar').getByText(/3/).first().waitFor()
    await expect.poll(() => vera.getByTestId('vote-bar').textContent()).toMatch(/stip|dot/i)
    expect(await vera.getByTestId('vote-bar').locator('[role=alert]').count()).toBe(0)
    // A viewer has no dots: the bar says what the participants do, not "verdeel je … Nog 3 over"
    // (a new-user walk-through read it as an invitation that led nowhere).
    const bar = (await vera.getByTestId('vote-bar').textContent()) ?? ''
    expect(bar).not.toMatch(/verdeel je|Nog \d+ over/)
    expect(bar).toMatch(/deelnemers verdelen elk 3 stippen/)
    expect(refused).toEqual([])
  })
})
