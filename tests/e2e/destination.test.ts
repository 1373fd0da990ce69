/**
 * Where a new card goes ("Waar komt het?") follows the phase: after the facilitator moves on,
 * a card goes to a section of the new phase — never to the previous phase's group frame — and
 * the writer's view stays there; in trots & sorry a card goes to the writer's own group's row.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { absolute, type AnyRecord } from '../../shared/format/extract-outcome.ts'
import { launchBrowser, screenshot, startSession } from '../helpers/browser.ts'
import { makeClient, type TestClient } from '../helpers/client.ts'
import { onCleanup } from '../helpers/server.ts'

/** The smallest frame (as a stock client sees the board) that holds the centre of the card with `text`. */
function frameOfCard(client: TestClient, text: string): AnyRecord | undefined {
  const records = new Map([...client.records.entries()].map(([id, r]) => [id, r as AnyRecord]))
  const card = [...records.values()].find((r) => r.type === 'contribution' && r.props?.text === text)
  if (!card) return undefined
  const at = absolute(records, card)
  const cx = at.x + Number(card.props!.w) / 2
  const cy = at.y + Number(card.props!.h) / 2
  let best: { frame: AnyRecord; size: number } | undefined
  for (const frame of records.values()) {
    if (frame.type !== 'frame') continue
    const f = absolute(records, frame)
    const w = Number(frame.props!.w)
    const h = Number(frame.props!.h)
    if (cx >= f.x && cy >= f.y && cx <= f.x + w && cy <= f.y + h && (!best || w * h < best.size)) best = { frame, size: w * h }
  }
  return best?.frame ?? ({ id: 'none', typeName: 'none' } as AnyRecord)
}

/** Whether the frame with this heading is on screen. */
async function shows(page: Page, heading: string): Promise<boolean> {
  const box = await page.locator('.tl-frame-heading').filter({ hasText: heading }).first().boundingBox()
  const viewport = page.viewportSize()!
  return !!box && box.x >= 0 && box.y >= 0 && box.x < viewport.width && box.y < viewport.height
}

/** Whether the card with this text lies wholly on screen. */
async function onScreen(page: Page, text: string): Promise<boolean> {
  const box = await page.locator('.tl-shape').filter({ hasText: text }).first().boundingBox()
  const viewport = page.viewportSize()!
  return !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height
}

async function addCard(page: Page, text: string) {
  await page.getByTestId('add-contribution').click()
  await page.locator('[data-field="text"]').fill(text)
  await page.keyboard.press('Escape')
}

async function toPhase(fien: Page, others: Page[], title: RegExp) {
  await fien.getByTestId('next-phase').click()
  for (const p of [fien, ...others]) await expect.poll(() => p.getByTestId('agenda-phase').textContent(), { timeout: 10_000 }).toMatch(title)
}

describe('where a new card goes', () => {
  it("after the phase moves on, a card goes to the new phase and the view stays there, not to the previous phase's group", async () => {
    const { server, fien, piet, pam } = await startSession()
    const watcher = makeClient(server.wsUrl, new URL(fien.url()).pathname.split('/').pop()!)
    await watcher.synced()
    for (const title of [/ontwikkelingen/, /trots & sorry/, /Toekomst/]) await toPhase(fien, [piet, pam], title)

    // Phase 4 in mixed groups: Piet writes in his group's frame, chosen from the list.
    await fien.getByRole('button', { name: 'Groepen vormen' }).click()
    await fien.getByLabel('Aantal groepen').fill('1')
    await fien.getByRole('button', { name: 'Maak gemengde groepen' }).click()
    await piet.getByTestId('my-group').click()
    await piet.getByTestId('destination').selectOption({ label: 'Groep 1' })
    await addCard(piet, 'Samen in de groep')
    await expect.poll(() => (frameOfCard(watcher, 'Samen in de groep')?.props as { name?: string } | undefined)?.name, { timeout: 10_000 }).toBe('Groep 1')

    // Phase 5: Piet adds a card without touching "Waar komt het?".
    await toPhase(fien, [piet, pam], /Common Ground/)
    await expect.poll(() => shows(piet, 'The Common Ground'), { timeout: 5_000 }).toBe(true)
    await addCard(piet, 'Iets voor iedereen')
    await expect.poll(() => frameOfCard(watcher, 'Iets voor iedereen')?.id, { timeout: 10_000 }).not.toBeUndefined()
    const frame = frameOfCard(watcher, 'Iets voor iedereen')!
    expect(frame.meta?.groupFrame, 'the card went to a group frame of phase 4').toBeUndefined()
    expect(frame.meta?.phase).toBe('common-ground')
    // The view settles where the card is (on screen), which is phase 5's frame, not the group's.
    const settled = async () => (await onScreen(piet, 'Iets voor iedereen')) && (await shows(piet, 'The Common Ground')) && !(await shows(piet, 'Groep 1'))
    await expect.poll(settled, { timeout: 5_000 }).toBe(true)
    await screenshot(piet, 'e2e-destination-next-phase')

    // Phase 4's group is not phase 5's: the agenda bar no longer offers it (its frame stays on the board).
    expect(await piet.getByTestId('my-group').count(), "phase 5 still shows phase 4's group").toBe(0)
    expect(await piet.getByTestId('my-group-members').count()).toBe(0)
    // Back in phase 4, the group is there again.
    await fien.getByRole('button', { name: 'Vorige fase' }).click()
    await expect.poll(() => piet.getByTestId('agenda-phase').textContent(), { timeout: 10_000 }).toMatch(/Toekomst/)
    await expect.poll(() => piet.getByTestId('my-group').textContent(), { timeout: 5_000 }).toMatch(/Jouw groep: Groep 1/)
  }, 90_000)

  it("in trots & sorry a card goes to the writer's own group's row", async () => {
    const { server, fien, piet } = await startSession()
    const link = new URL(piet.url())
    const browser = await launchBrowser()
    const zorg = await (await browser.newContext({ viewport: { width: 1400, height: 850 } })).newPage()
    onCleanup(() => zorg.close())
    await zorg.goto(link.href)
    await zorg.getByLabel('Je naam').fill('Zara')
    await zorg.locator('#join-group').selectOption({ label: 'Zorg' })
    await zorg.getByRole('button', { name: 'Naar het bord' }).click()
    await zorg.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 15_000 })
    const watcher = makeClient(server.wsUrl, link.pathname.split('/').pop()!)
    await watcher.synced()
    for (const title of [/ontwikkelingen/, /trots & sorry/]) await toPhase(fien, [zorg], title)

    await expect.poll(() => zorg.getByTestId('destination').locator('option').first().textContent(), { timeout: 5_000 }).toBe('Hier: Zorg — Trots op')
    await addCard(zorg, 'We zijn trots op de wijkverpleging')
    await expect.poll(() => frameOfCard(watcher, 'We zijn trots op de wijkverpleging')?.id, { timeout: 10_000 }).not.toBeUndefined()
    const frame = frameOfCard(watcher, 'We zijn trots op de wijkverpleging')!
    expect((frame.props as { name?: string }).name).toBe('Zorg — Trots op')
    expect(frame.meta).toMatchObject({ groupId: 'zorg', sentiment: 'proud' })
    await screenshot(zorg, 'e2e-destination-own-row')
  }, 90_000)
})
