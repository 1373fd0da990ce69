/**
 * The session fuzzer checks that a contribution lands where the list of places showed when she
 * sent it (tests/fuzz/session/ui.ts watchPlaceAtSend). The list can change while the fuzzer's tap
 * is on its way — a phase change or a reconnect's sync arriving over the board re-renders the
 * panel — and the panel then sends to the place the list shows now, as it says in its status. A
 * reading of the list before the tap named the place before (seed 20261203, step 88, under load:
 * read "Onderwijs — Sorry voor", sent and shown "Toekomst"); the reading at the send names this one.
 */
import { describe, expect, it } from 'vitest'
import type { Editor } from 'tldraw'
import { watchPlaceAtSend } from '../fuzz/session/ui.ts'
import { createConferenceBoard, joinBoard, launchBrowser } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'

type TestWindow = { __boardTest?: { editor?: Editor } }

describe("the session fuzzer's place at sending", () => {
  it('is the place the list shows when the send reaches the panel, after a change during the tap', async () => {
    const server = await startServer({ staticDir: 'dist' })
    const links = await createConferenceBoard(server.url)
    const browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
    await context.addInitScript(() => {
      ;(window as unknown as TestWindow).__boardTest = {}
    })
    const noor = await context.newPage()
    await joinBoard(noor, server.url + links.participant, 'Noor')
    const where = noor.getByTestId('contribute-where')
    const options = await where.locator('option').evaluateAll((els) => els.map((e) => ({ id: (e as HTMLOptionElement).value, label: e.textContent ?? '' })))
    expect(options.length).toBeGreaterThanOrEqual(3)
    const [, before, after] = options as [unknown, { id: string; label: string }, { id: string; label: string }]
    await where.selectOption(before.id)
    await noor.getByTestId('contribute-text').fill('jongeren groen 300')
    // The list as the fuzzer read it before tapping.
    expect(await where.inputValue()).toBe(before.id)

    // The list changes while the tap is on its way: at its touchend, before the click and the
    // form's submit (the panel re-renders in between, as for a change from the board).
    await noor.getByTestId('contribute-submit').evaluate((button, id) => {
      button.addEventListener(
        'touchend',
        () => {
          const select = document.querySelector('[data-testid="contribute-where"]') as HTMLSelectElement
          select.value = id
          select.dispatchEvent(new Event('change', { bubbles: true }))
        },
        { once: true },
      )
    }, after.id)
    const placeAtSend = await watchPlaceAtSend(noor, 'contribute-where', 'submit', 'contribute')
    await noor.getByTestId('contribute-submit').tap()
    await expect.poll(() => noor.getByTestId('contribute-status').textContent(), { timeout: 5_000 }).toContain(after.label)

    expect(await placeAtSend()).toEqual(after)
    // The card lies there: its centre in that place and in no smaller frame.
    const landed = await noor.evaluate((text) => {
      const editor = (window as unknown as TestWindow).__boardTest!.editor!
      const card = editor.getCurrentPageShapes().find((s) => (s.props as { text?: unknown }).text === text)
      const centre = card && editor.getShapePageBounds(card)!.center
      if (!centre) return null
      const around = editor
        .getCurrentPageShapes()
        .filter((s) => (s.type === 'frame' || s.type === 'era') && s.id !== card.id && editor.getShapePageBounds(s)!.containsPoint(centre))
        .sort((a, b) => editor.getShapePageBounds(a)!.w * editor.getShapePageBounds(a)!.h - editor.getShapePageBounds(b)!.w * editor.getShapePageBounds(b)!.h)
      return around[0]?.id ?? null
    }, 'jongeren groen 300')
    expect(landed).toBe(after.id)
  })
})
