/**
 * After the attacks of the hostile-input suite, a real browser still renders the board and the
 * people on it keep working — and the Content-Security-Policy blocks nothing the app needs.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Limits, MessageType } from '../../shared/protocol.ts'
import { joinBoard, launchBrowser, screenshot, createConferenceBoard } from '../helpers/browser.ts'
import { makeClient, openRaw } from '../helpers/client.ts'
import { awarenessFrame, chainUpdate, gcUpdate, syncUpdateFrame } from '../helpers/frames.ts'
import { card } from '../helpers/records.ts'
import { startServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

const DIST = join(process.cwd(), 'dist')

describe('a board under attack, in a real browser', () => {
  it('still renders for a participant after null records, future schemas, floods and forged structs; the CSP blocks nothing it needs', async () => {
    expect(existsSync(join(DIST, 'index.html')), 'run `npm run build` first (npm test does)').toBe(true)
    const server = await startServer({ staticDir: DIST })
    const links = await createConferenceBoard(server.url)
    const board = new URL(links.participant, server.url).pathname.split('/').pop()!
    const writer = makeClient(server.wsUrl, board, { role: 'participant' })
    await writer.synced()
    writer.records.set('shape:bewijs', card('shape:bewijs', 'Deze kaart overleeft de aanval', { x: 200, y: 200 }))

    // The attacks, each from its own connection.
    const attack = async (frames: Uint8Array[], role: 'participant' | 'facilitator' | 'viewer' = 'participant') => {
      const raw = await openRaw(`${server.wsUrl}/${board}`, role)
      for (const frame of frames) if (raw.ws.readyState === raw.ws.OPEN) raw.ws.send(frame)
      // Done when refused, or when the answer to a query sent behind the attack is back (one
      // socket, in order: the server has handled every frame of it).
      let closed = false
      void raw.closed.then(() => (closed = true))
      const before = raw.messages.length
      if (raw.ws.readyState === raw.ws.OPEN) raw.ws.send(Uint8Array.of(MessageType.queryAwareness))
      await waitFor(() => closed || raw.messages.slice(before).some((m) => m[0] === MessageType.awareness), { what: 'the attack refused or handled' })
    }
    const on = (change: (doc: Y.Doc) => void) => {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer.doc))
      const before = Y.encodeStateVector(doc)
      change(doc)
      return syncUpdateFrame(Y.encodeStateAsUpdate(doc, before))
    }
    await attack([on((d) => d.getMap('records').set('shape:bewijs', null))])
    await attack([on((d) => d.getMap('meta').set('schema', { schemaVersion: 2, sequences: { 'com.tldraw.shape': 999 } }))], 'facilitator')
    await attack([syncUpdateFrame(gcUpdate(writer.doc.clientID, Y.getState(writer.doc.store, writer.doc.clientID), 10))])
    await attack([syncUpdateFrame(chainUpdate(4242, Limits.maxUpdateItems, 'shape:ketting', card('shape:ketting', 'x'), 'to-last'))])
    await attack(
      Array.from({ length: 50 }, (_, i) => awarenessFrame([{ clientId: 50_000 + i, clock: 1, state: { member: { name: `nep ${i}`, role: 'facilitator' } } }])),
      'viewer',
    )

    const browser = await launchBrowser()
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 850 } })).newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text())) problems.push(message.text())
    })
    await joinBoard(page, server.url + links.participant, 'Iris')
    await page.locator('.tl-shape').filter({ hasText: 'Deze kaart overleeft de aanval' }).waitFor({ timeout: 15_000 })
    await expect.poll(() => page.getByText('nep 3').count()).toBe(0)
    await screenshot(page, 'e2e-hostile-after-attacks')
    writer.records.set('shape:daarna', card('shape:daarna', 'Geschreven na de aanval', { x: 200, y: 420 }))
    await page.locator('.tl-shape').filter({ hasText: 'Geschreven na de aanval' }).waitFor({ timeout: 10_000 })
    await waitFor(() => writer.provider.wsconnected)
    expect(problems).toEqual([])
  }, 90_000)
})
