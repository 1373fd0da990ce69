/**
 * Our client through a Wi-Fi blip and a server restart (issue 19, findings 3 and 4), in Debian's
 * Chromium: the page notices a half-open socket by itself within ~10 s, its new connection takes
 * over at once, and after a restart it reconnects and keeps receiving cards.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../shared/sha256.ts'
import { addNote, createConferenceBoard, joinWithName, launchBrowser, screenshot } from '../helpers/browser.ts'
import { makeClient, recordsJson, type TestClient } from '../helpers/client.ts'
import { startFreezingProxy } from '../helpers/freezing-proxy.ts'
import { card } from '../helpers/records.ts'
import { freePort, startServer, startServerProcess, tempDataDir } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

const dist = join(process.cwd(), 'dist')
const holds = (client: TestClient, text: string) => JSON.stringify(recordsJson(client.doc)).includes(text)
const state = (page: Page) => page.getByTestId('connection-status').getAttribute('data-state')

/** Wim's member key (64 hex characters, like a browser's) and its hash, the owner of his cards. */
const WIM_KEY = sha256Hex('wim')
const WIM = sha256Hex(WIM_KEY)

/** A stock client that sends its member key and publishes a member, like a person in another browser. */
function witnessOn(wsUrl: string, board: string): TestClient {
  const client = makeClient(wsUrl, board, { role: 'participant', memberKey: WIM_KEY })
  client.provider.awareness.setLocalStateField('member', { userId: 'wim', name: 'Wim', role: 'participant', groupId: '', hand: false, keyHash: WIM })
  return client
}

async function openBoard(url: string, name: string): Promise<Page> {
  const browser = await launchBrowser()
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
  await page.goto(url)
  await joinWithName(page, name)
  return page
}

describe('our client on a bad network', () => {
  it('a half-open socket: the page notices within ~10 s, reconnects once, and its next note reaches the others within 2 s', async () => {
    expect(existsSync(join(dist, 'index.html')), 'run `npm run build` first (npm test does)').toBe(true)
    const server = await startServer({ staticDir: dist })
    const links = await createConferenceBoard(server.url)
    const board = links.participant.split('/').pop()!.split('?')[0]!
    // The page and all its requests go through the proxy, as a phone's through the venue Wi-Fi.
    const proxy = await startFreezingProxy(server.port)
    const page = await openBoard(proxy.url + links.participant, 'Anna')
    const witness = witnessOn(server.wsUrl, board)
    await witness.synced()
    await page.locator('.tl-canvas').click({ position: { x: 640, y: 420 } })
    await addNote(page, 500, 380, 'Voor de storing')
    await waitFor(() => holds(witness, 'Voor de storing'), { what: 'the first note at the witness' })

    expect(proxy.freeze()).toBeGreaterThanOrEqual(1)
    const frozenAt = Date.now()
    const socketsBefore = proxy.opened
    // The page opens a new socket by itself (over localhost the badge may show "reconnecting" too briefly to see).
    await page.waitForEvent('websocket', { predicate: (ws) => ws.url().includes('/sync/'), timeout: 13_000 })
    const noticedAfter = Date.now() - frozenAt
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 10_000 })
    const started = Date.now()
    await addNote(page, 760, 300, 'Na de storing')
    await waitFor(() => holds(witness, 'Na de storing'), { what: 'the note after the blip at the witness', timeout: 2_000 })
    console.log(
      `half-open in Chromium: noticed after ${noticedAfter} ms; the next note reached the witness in ${Date.now() - started} ms; ${proxy.opened - socketsBefore} new socket(s)`,
    )
    await screenshot(page, 'e2e-reconnect-half-open')
    expect(noticedAfter).toBeLessThanOrEqual(12_000)
    expect(proxy.opened - socketsBefore).toBeLessThanOrEqual(3)
    expect(server.log.lines.filter((l) => l.includes('code=4509') || l.includes('code=4400') || l.includes('code=4403'))).toEqual([])
    expect(await state(page)).toBe('connected')
  }, 90_000)

  it('after a server restart the page reconnects by itself, lists the others again and keeps receiving cards', async () => {
    expect(existsSync(join(dist, 'index.html')), 'run `npm run build` first (npm test does)').toBe(true)
    const dataDir = tempDataDir()
    const port = await freePort()
    let server = await startServerProcess(dataDir, port)
    const url = `http://127.0.0.1:${port}`
    const links = await createConferenceBoard(url)
    const board = links.participant.split('/').pop()!.split('?')[0]!
    const page = await openBoard(url + links.participant, 'Anna')
    const witness = witnessOn(`ws://127.0.0.1:${port}/sync`, board)
    await witness.synced()
    const people = page.getByTestId('people-menu')
    await people.filter({ hasText: 'Mensen (2)' }).waitFor({ timeout: 5_000 })
    witness.records.set('shape:voor', card('shape:voor', 'Kaart voor de herstart', { meta: { owner: WIM } }))
    await page.getByText('Kaart voor de herstart').waitFor({ timeout: 5_000 })

    server.child.kill('SIGTERM')
    await server.exited
    server = await startServerProcess(dataDir, port)
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 15_000 })
    await witness.synced()
    const reconnectedAt = Date.now()
    witness.records.set('shape:na', card('shape:na', 'Kaart na de herstart', { x: 300, meta: { owner: WIM } }))
    await page.getByText('Kaart na de herstart').waitFor({ timeout: 5_000 })
    // Wim is listed again at once, not after his presence's 15-second renewal.
    await people
      .filter({ hasText: 'Mensen (2)' })
      .waitFor({ timeout: 3_000 })
      .catch(async (error: unknown) => {
        throw new Error(`${(error as Error).message}; the people menu says ${await people.textContent()}`)
      })
    console.log(`restart: the page had the witness's card ${Date.now() - reconnectedAt} ms after both were back`)
    await page.locator('.tl-canvas').click({ position: { x: 640, y: 420 } })
    await addNote(page, 600, 500, 'Anna na de herstart')
    await waitFor(() => holds(witness, 'Anna na de herstart'), { what: "Anna's note at the witness", timeout: 3_000 })
    await screenshot(page, 'e2e-reconnect-restart')
    expect(await state(page)).toBe('connected')
    expect(server.stderr()).not.toMatch(/"code":(4400|4403|4509)/)
  }, 90_000)
})
