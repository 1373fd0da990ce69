/**
 * End to end in Debian's Chromium against the real server serving the built client (`npm run
 * build` runs before the tests in `npm test`).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { addNote, joinWithName as join_, launchBrowser, recordRequests, screenshot } from '../helpers/browser.ts'
import { startServer, tempDataDir } from '../helpers/server.ts'

const DIST = join(process.cwd(), 'dist')

/** Two people who joined the same (fresh) board via the API. */
async function twoPeople(serverUrl: string) {
  const created = await fetch(`${serverUrl}/api/boards`, { method: 'POST', body: '{"title":"Tweede sessie"}' })
  const { links } = (await created.json()) as { links: Record<'facilitator' | 'participant', string> }
  const browser = await launchBrowser()
  const pages = await Promise.all(
    [
      ['Anna', links.facilitator],
      ['Bram', links.participant],
    ].map(async ([name, link]) => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
      await page.goto(serverUrl + link)
      await join_(page, name!)
      return page
    }),
  )
  return { anna: pages[0]!, bram: pages[1]! }
}

describe('two people on one board, in a real browser', () => {
  it("a note made by one appears for the other within 2 s, with the first user's cursor; nothing leaves localhost", async () => {
    expect(existsSync(join(DIST, 'index.html')), 'run `npm run build` first (npm test does)').toBe(true)
    const server = await startServer({ staticDir: DIST })
    const browser = await launchBrowser()
    const anna = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    const bram = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    const requests = [...[anna, bram].map(recordRequests)]
    const errors: string[] = []
    for (const page of [anna, bram]) page.on('pageerror', (e) => errors.push(e.message))

    // Anna creates a board in the lobby (Dutch by default) and joins with her name.
    await anna.goto(server.url)
    await anna.getByRole('heading', { name: 'Samen aan de slag' }).waitFor({ state: 'visible', timeout: 10_000 })
    await anna.getByTestId('template').selectOption('')
    await anna.getByLabel('Titel (optioneel)').fill('Weert – verkenning')
    await anna.getByTestId('create-board').click()
    await anna.waitForURL(/\/b\/[a-z0-9]+\?token=/)
    await join_(anna, 'Anna')
    expect(await anna.getByTestId('board-title').textContent()).toBe('Weert – verkenning')
    expect(await anna.getByTestId('role').textContent()).toBe('facilitator')

    // Anna shares the participants' link; Bram opens it.
    await anna.getByTestId('share-menu').click()
    const participantLink = await anna.getByTestId('link-participant').inputValue()
    expect(participantLink).toMatch(/\/b\/[a-z0-9]+\?token=/)
    await anna.getByTestId('share-menu').click()
    await bram.goto(participantLink)
    await join_(bram, 'Bram')
    expect(await bram.getByTestId('role').textContent()).toBe('deelnemer')

    // Anna places a sticky note with the note tool and types in it.
    await anna.locator('.tl-canvas').click({ position: { x: 640, y: 420 } })
    await addNote(anna, 500, 400, 'Wij organiseren nabijheid')
    const typedAt = Date.now()

    const bramNote = bram.locator('[data-shape-type="note"]').filter({ hasText: 'Wij organiseren nabijheid' })
    await bramNote.waitFor({ timeout: 2_000 }).catch(async (error: unknown) => {
      await screenshot(anna, 'e2e-failed-anna')
      await screenshot(bram, 'e2e-failed-bram')
      throw error
    })
    const seenAfterMs = Date.now() - typedAt
    expect(seenAfterMs).toBeLessThan(2_000)

    // Bram sees Anna's cursor, labelled with her name.
    await anna.mouse.move(700, 300)
    await anna.mouse.move(720, 320, { steps: 5 })
    await bram.locator('.tl-collaborators__item').filter({ hasText: 'Anna' }).first().waitFor({ timeout: 5_000 })

    await screenshot(anna, 'e2e-anna')
    await screenshot(bram, 'e2e-bram')

    const origin = new URL(server.url)
    const outside = requests.flat().filter((u) => {
      if (u.startsWith('data:') || u.startsWith('blob:')) return false
      const url = new URL(u)
      return !(url.port === origin.port && (url.hostname === '127.0.0.1' || url.hostname === 'localhost'))
    })
    expect(outside).toEqual([])
    expect(errors).toEqual([])
  })

  it('following a person from the people menu moves your view with theirs', async () => {
    const server = await startServer({ staticDir: DIST })
    const { anna, bram } = await twoPeople(server.url)
    await addNote(anna, 640, 400, 'Volg mij')
    const note = bram.locator('[data-shape-type="note"]').filter({ hasText: 'Volg mij' })
    await note.waitFor()
    const before = (await note.boundingBox())!

    await bram.locator('.tlui-people-menu__avatars-button').click()
    await bram.locator('.tlui-people-menu__item').filter({ hasText: 'Anna' }).locator('.tlui-people-menu__item__follow').click()
    await bram.keyboard.press('Escape')

    // Anna pans 400 px to the right; Bram's view follows, so the note moves left on his screen.
    await anna.mouse.move(640, 600)
    await anna.mouse.wheel(400, 0)
    await expect.poll(async () => before.x - (await note.boundingBox())!.x, { timeout: 5_000 }).toBeGreaterThan(300)
    await screenshot(bram, 'e2e-bram-following')
  })

  it("clicking a name in 'Mensen' follows that person too", async () => {
    const server = await startServer({ staticDir: DIST })
    const { anna, bram } = await twoPeople(server.url)
    await addNote(anna, 640, 400, 'Volg mij via Mensen')
    const note = bram.locator('[data-shape-type="note"]').filter({ hasText: 'Volg mij via Mensen' })
    await note.waitFor()
    const before = (await note.boundingBox())!
    await bram.getByTestId('people-menu').click()
    await bram.getByTestId('follow-person').filter({ hasText: 'Anna' }).click()
    await anna.mouse.move(640, 600)
    await anna.mouse.wheel(400, 0)
    await expect.poll(async () => before.x - (await note.boundingBox())!.x, { timeout: 5_000 }).toBeGreaterThan(300)
  })

  it('survives a server restart: both show they are reconnecting, and work done meanwhile arrives', async () => {
    const dataDir = tempDataDir()
    const first = await startServer({ staticDir: DIST, dataDir })
    const { anna, bram } = await twoPeople(first.url)
    await addNote(anna, 400, 300, 'voor de storing')
    await bram.locator('[data-shape-type="note"]').filter({ hasText: 'voor de storing' }).waitFor()

    await first.close()
    for (const page of [anna, bram]) await page.locator('[data-testid="connection-status"][data-state="reconnecting"]').waitFor()
    await screenshot(anna, 'e2e-anna-reconnecting')
    await addNote(anna, 800, 300, 'tijdens de storing')

    await startServer({ staticDir: DIST, dataDir, port: first.port })
    for (const page of [anna, bram]) await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 15_000 })
    await bram.locator('[data-shape-type="note"]').filter({ hasText: 'tijdens de storing' }).waitFor({ timeout: 5_000 })
    expect(await bram.locator('[data-shape-type="note"]').count()).toBe(2)
  })
})
