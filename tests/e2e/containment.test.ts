/**
 * The next unknown bug costs one piece, not the session: in Chromium, a participant's deleted
 * tldraw text and sticky note (types that are not our cards) no longer take every facilitator's
 * board down — the Prullenbak names them in Dutch and puts them back; a panel that fails on a bad
 * record shows a Dutch message in its place while the canvas carries on, and the server hears of
 * it; a shape that cannot be drawn is a small placeholder.
 */
import { describe, expect, it } from 'vitest'
import type { Locator, Page, WebSocket } from 'playwright-core'
import type { Editor } from 'tldraw'
import type { BoardId } from '../../shared/board-id.ts'
import { trashOf, type TrashEntry } from '../../shared/trash.ts'
import { violations } from '../helpers/axe.ts'
import { addNote, addWithTool, screenshot, startSession } from '../helpers/browser.ts'
import type { TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

/** tldraw's own whole-app error screen (English), which must never show. */
const TLDRAW_CRASH = 'Something went wrong'

const shapeWith = (page: Page, text: string) => page.locator('.tl-shape').filter({ hasText: text })

/** The live document of the board a page shows, on the server (where a bad record is put as an older server could have). */
function liveDoc(server: TestServer, page: Page) {
  const id = new URL(page.url()).pathname.split('/')[2] as BoardId
  return { id, doc: server.server.rooms.get(id)!.doc }
}

type TestWindow = { __boardTest?: { editor?: Editor } }

/**
 * Reloads the page with the test hook on (client/board/test-hook.ts: the page hands its editor to
 * tests that set window.__boardTest before it loads); returns the board sockets it opens from then on.
 */
async function withEditorHook(page: Page): Promise<WebSocket[]> {
  await page.addInitScript(() => {
    ;(window as unknown as TestWindow).__boardTest = {}
  })
  const sockets: WebSocket[] = []
  page.on('websocket', (ws) => sockets.push(ws))
  await page.reload()
  await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 15_000 })
  await page.waitForFunction(() => !!(window as unknown as TestWindow).__boardTest?.editor)
  return sockets
}

/** Waits for the broken piece's own fallback, failing at once if tldraw's whole-board crash screen shows instead. */
const showsFallback = (page: Page, fallback: Locator) =>
  expect
    .poll(
      async () => {
        if ((await page.getByText(TLDRAW_CRASH).count()) > 0) return 'the whole board crashed'
        return (await fallback.count()) > 0 ? 'its fallback' : 'nothing yet'
      },
      { timeout: 10_000 },
    )
    .toBe('its fallback')

/** The server logged a client error of this panel for this board (reports wait a second). */
const clientErrorLogged = (server: TestServer, board: string, where: string) =>
  waitFor(
    () =>
      server.log.lines.some((l) => l.startsWith('warn client error') && l.includes(`board=${board}`) && l.includes(`where=${where}`) && / conn=\d+/.test(l)),
    { what: `the ${where} error in the server log` },
  )

describe('one bad piece costs one piece', () => {
  it("a participant's deleted text and note leave the facilitator's board working; the Prullenbak names and restores them", async () => {
    const { fien, piet } = await startSession()
    const errors: string[] = []
    fien.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
    await addWithTool(piet, 't', 700, 420, 'Losse tekst van Piet')
    await piet.keyboard.press('Delete')
    await addNote(piet, 900, 420, 'Briefje van Piet')
    await piet.keyboard.press('Delete')
    await expect.poll(() => shapeWith(piet, 'Piet').count(), { timeout: 5_000 }).toBe(0)

    // The trash reaching Fien's board is the positive signal; then her board must still be there.
    const menu = fien.getByTestId('trash-menu')
    const crash = fien.getByText(TLDRAW_CRASH)
    await expect
      .poll(async () => ((await crash.count()) > 0 ? `crashed: ${errors.join(' | ').slice(0, 300)}` : await menu.textContent().catch(() => null)), {
        timeout: 10_000,
      })
      .toBe('Prullenbak (2)')
    await fien.reload()
    await fien.getByTestId('trash-menu').waitFor({ timeout: 15_000 })
    expect(await crash.count()).toBe(0)

    await menu.click()
    const list = fien.getByTestId('trash-list')
    await expect.poll(() => list.textContent(), { timeout: 5_000 }).toContain('Losse tekst van Piet')
    const kind = (text: string) => list.locator('li').filter({ hasText: text }).getByTestId('trash-kind').textContent()
    expect(await kind('Losse tekst van Piet')).toBe('Tekst')
    expect(await kind('Briefje van Piet')).toBe('Notitie')
    await screenshot(fien, 'e2e-trash-tldraw-shapes')
    const entry = list.locator('li').filter({ hasText: 'Briefje van Piet' })
    await entry.getByTestId('trash-restore').click()
    await shapeWith(piet, 'Briefje van Piet').waitFor({ timeout: 5_000 })
    await expect.poll(() => menu.textContent(), { timeout: 5_000 }).toBe('Prullenbak (1)')
    expect(await crash.count()).toBe(0)
  })

  it('a trash entry that breaks the Prullenbak costs the Prullenbak only: Dutch message, the canvas works, retry, the server heard', async () => {
    const { server, fien, piet } = await startSession()
    const { id, doc } = liveDoc(server, fien)
    // A deleted text whose rich text an older version wrote malformed: reading its label throws.
    const broken: TrashEntry = {
      record: { id: 'shape:kapot', typeName: 'shape', type: 'text', props: { richText: {} } },
      by: 'Piet',
      role: 'participant',
      at: Date.now(),
    }
    trashOf(doc).set('shape:kapot', broken)
    const fallback = fien.locator('[data-testid="panel-fallback"][data-panel="trash"]')
    await showsFallback(fien, fallback)
    expect(await fallback.textContent()).toContain('Dit onderdeel liep vast.')
    // Everything else lives on: the other menus, the agenda, the canvas takes a new note.
    await fien.getByTestId('history-menu').waitFor()
    await fien.getByTestId('agenda-phase').waitFor()
    await addNote(fien, 800, 450, 'Ondanks de storing')
    await shapeWith(piet, 'Ondanks de storing').waitFor({ timeout: 5_000 })
    await clientErrorLogged(server, id, 'trash')
    await screenshot(fien, 'e2e-panel-fallback')
    expect(await violations(fien)).toEqual([])

    // Once the bad entry is gone, *Opnieuw proberen* brings the Prullenbak back.
    trashOf(doc).delete('shape:kapot')
    await fallback.getByTestId('panel-retry').click()
    await expect.poll(() => fien.getByTestId('trash-menu').textContent(), { timeout: 5_000 }).toBe('Prullenbak (0)')
    expect(await fallback.count()).toBe(0)
  })

  it('a record that cannot be drawn is a Dutch placeholder; the rest of the board carries on', async () => {
    const { server, fien, piet } = await startSession()
    await withEditorHook(fien)
    const { id } = liveDoc(server, fien)
    // A text with an empty text node passes tldraw's schema but not its renderer. The store binding
    // now keeps known cases out (shared/drawable.ts): put it in Fien's store as the next unknown
    // one would arrive — through the store, past every rule.
    const richText = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] }
    const record = {
      id: 'shape:onleesbaar',
      typeName: 'shape',
      type: 'text',
      x: 400,
      y: 300,
      rotation: 0,
      index: 'a9',
      parentId: 'page:page',
      isLocked: false,
      opacity: 1,
      meta: {},
      props: { color: 'black', size: 'm', font: 'draw', textAlign: 'start', w: 100, richText, scale: 1, autoSize: true },
    }
    await fien.evaluate((bad) => {
      const editor = (window as unknown as TestWindow).__boardTest!.editor!
      editor.store.mergeRemoteChanges(() => editor.store.put([bad as never]))
    }, record)
    await showsFallback(fien, fien.getByTestId('shape-fallback'))
    expect(await fien.getByTestId('shape-fallback').textContent()).toBe('Dit onderdeel kan niet getekend worden.')
    expect(await fien.getByTestId('board-crash').count()).toBe(0)
    await addNote(piet, 800, 450, 'Het bord werkt nog')
    await shapeWith(fien, 'Het bord werkt nog').waitFor({ timeout: 5_000 })
    await addNote(fien, 900, 600, 'Fien ook')
    await shapeWith(piet, 'Fien ook').waitFor({ timeout: 5_000 })
    await clientErrorLogged(server, id, 'shape')
    await screenshot(fien, 'e2e-shape-fallback')
  })

  it("tldraw's whole-board error screen is Dutch, keeps the connection, retries on the same doc and reloads without loss", async () => {
    const { fien, piet } = await startSession()
    const sockets = await withEditorHook(fien)
    await addNote(fien, 800, 450, 'Vlak voor de storing')
    const crash = () =>
      fien.evaluate(() => {
        // Editor.crash is what tldraw calls when a transaction throws; internal, so cast.
        const editor = (window as unknown as TestWindow).__boardTest!.editor as unknown as { crash(error: Error): void }
        editor.crash(new Error('test: the editor crashed'))
      })
    await crash()
    const screen = fien.getByTestId('board-crash')
    await screen.waitFor({ timeout: 5_000 })
    expect(await screen.locator('h2').textContent()).toBe('Het bord liep vast')
    expect(await fien.getByText(TLDRAW_CRASH).count()).toBe(0)
    await screenshot(fien, 'e2e-board-crash')
    expect(await violations(fien)).toEqual([])

    // The connection lives on behind the screen: Piet's card reaches the fresh editor over the same socket.
    await addNote(piet, 800, 600, 'Tijdens de storing')
    await fien.getByTestId('crash-retry').click()
    await shapeWith(fien, 'Tijdens de storing').waitFor({ timeout: 5_000 })
    await shapeWith(fien, 'Vlak voor de storing').waitFor()
    expect(sockets.map((ws) => ws.isClosed())).toEqual([false])

    // Reloading from the screen keeps what was made just before.
    await addNote(fien, 1000, 450, 'Net voor het herladen')
    await crash()
    await screen.waitFor({ timeout: 5_000 })
    const reloaded = fien.waitForEvent('load')
    await fien.getByTestId('crash-reload').click()
    await reloaded
    await shapeWith(fien, 'Net voor het herladen').waitFor({ timeout: 15_000 })
    await shapeWith(piet, 'Net voor het herladen').waitFor({ timeout: 5_000 })
  })
})
