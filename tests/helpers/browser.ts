/** Debian's Chromium driven by playwright-core, closed after each test; screenshots go to test-results/. */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { onCleanup, startServer, type TestServer } from './server.ts'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const ARTIFACTS = join(process.cwd(), 'test-results')

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`)
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
  onCleanup(() => browser.close())
  return browser
}

/** Records every request a page makes, to assert that nothing leaves the test server. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = []
  page.on('request', (request) => urls.push(request.url()))
  page.on('websocket', (ws) => urls.push(ws.url()))
  return urls
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true })
  const path = join(ARTIFACTS, `${name}.png`)
  await page.screenshot({ path })
  return path
}

/**
 * What `read` gives once it has stopped changing (a camera animating to a place): two reads
 * 100 ms apart that agree. For boxes and zoom levels read after a camera move.
 */
export async function settled<T>(read: () => Promise<T>, { timeout = 5_000, what = 'the view to settle' } = {}): Promise<T> {
  const deadline = Date.now() + timeout
  let last = JSON.stringify(await read())
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const value = await read()
    const now = JSON.stringify(value)
    if (now === last) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`)
    last = now
  }
}

/** Opens a board link, joins with a name and waits for the agenda and a live connection. */
export async function joinBoard(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url)
  await page.getByLabel('Je naam').fill(name)
  await page.getByRole('button', { name: 'Naar het bord' }).click()
  await page.getByTestId('agenda-phase').waitFor({ timeout: 15_000 })
  await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor()
}

/** A board made from the conference template over the API; returns its links. */
export async function createConferenceBoard(baseUrl: string): Promise<Record<'facilitator' | 'participant' | 'viewer', string>> {
  const created = await fetch(`${baseUrl}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ template: '24-uursconferentie', centraleOpgave: 'In 2030 doet iedereen mee.', targetYear: 2030, title: 'Oefensessie' }),
  })
  if (!created.ok) throw new Error(`creating a board failed: ${created.status} ${await created.text()}`)
  return ((await created.json()) as { links: Record<'facilitator' | 'participant' | 'viewer', string> }).links
}

/**
 * The built app on a real server, a conference board, and three people in their own browser
 * contexts: facilitator Fien and participants Piet and Pam, joined and connected.
 */
export async function startSession(): Promise<{ server: TestServer; fien: Page; piet: Page; pam: Page }> {
  const dist = join(process.cwd(), 'dist')
  if (!existsSync(join(dist, 'index.html'))) throw new Error('run `npm run build` first (npm test does)')
  const server = await startServer({ staticDir: dist })
  const links = await createConferenceBoard(server.url)
  const browser = await launchBrowser()
  const open = async () => (await browser.newContext({ viewport: { width: 1400, height: 850 } })).newPage()
  const [fien, piet, pam] = await Promise.all([open(), open(), open()])
  await joinBoard(fien, server.url + links.facilitator, 'Fien')
  await joinBoard(piet, server.url + links.participant, 'Piet')
  await joinBoard(pam, server.url + links.participant, 'Pam')
  return { server, fien, piet, pam }
}

/** Fills in a name on a board link's join screen and waits for the canvas and a live connection. */
export async function joinWithName(page: Page, name: string): Promise<void> {
  await page.getByLabel(/Je naam|Your name/).fill(name)
  await page.getByRole('button', { name: /Naar het bord|Go to the board/ }).click()
  await page.locator('.tl-canvas').waitFor({ timeout: 15_000 })
  await page.getByTestId('connection-status').and(page.locator('[data-state="connected"]')).waitFor()
}

/** A sticky note with the note tool at (x, y), typed once its editor has focus. */
export const addNote = (page: Page, x: number, y: number, text: string) => addWithTool(page, 'n', x, y, text)

/** A shape made with a tldraw tool (its shortcut: n note, t text) at (x, y), typed once its editor has focus; left selected. */
export async function addWithTool(page: Page, shortcut: string, x: number, y: number, text: string): Promise<void> {
  await page.keyboard.press('Escape')
  await page.keyboard.press(shortcut)
  await page.mouse.click(x, y)
  // Type only once the note's text editor has focus, or the first keys go to the canvas.
  await page.locator('.tl-shape [contenteditable="true"]:focus').waitFor({ timeout: 5_000 })
  await page.keyboard.type(text)
  await page.keyboard.press('Escape')
}
