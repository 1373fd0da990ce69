/**
 * Notes find their place: a private round's reveal (two people in browsers plus a pile of 23
 * notes arriving at once on one spot, as 23 more browsers would send them) ends with no two notes
 * overlapping; notes written in a max-mix group frame land there and appear in the report under
 * their phase, with the group's members.
 */
import { describe, expect, it } from 'vitest'
import { screenshot, startSession } from '../helpers/browser.ts'
import { makeClient } from '../helpers/client.ts'
import { card } from '../helpers/records.ts'

interface Rec {
  id: string
  type?: string
  typeName: string
  x: number
  y: number
  parentId: string
  props: { w?: number; h?: number; text?: string }
  meta: Record<string, unknown>
}

/** Page boxes of a board's records, as a stock client sees them. */
function pageBoxes(records: Map<string, Rec>, type: string) {
  const abs = (r: Rec): { x: number; y: number } => {
    const parent = records.get(r.parentId)
    if (!parent || parent.typeName !== 'shape') return { x: r.x, y: r.y }
    const p = abs(parent)
    return { x: p.x + r.x, y: p.y + r.y }
  }
  return [...records.values()]
    .filter((r) => r.type === type)
    .map((r) => ({ id: r.id, text: r.props.text, phase: r.meta.phase, ...abs(r), w: r.props.w ?? 0, h: r.props.h ?? 0 }))
}
const overlap = (a: { x: number; y: number; w: number; h: number }, b: typeof a) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
const INDICES = '123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'

describe('notes find their place', () => {
  it('a 25-note reveal ends with no two notes overlapping', async () => {
    const { server, fien, piet, pam } = await startSession()
    const board = new URL(fien.url()).pathname.split('/').pop()!
    await fien.getByTestId('private-start').click()
    for (const p of [piet, pam]) await p.getByTestId('private-round').waitFor({ timeout: 5_000 })
    for (const [p, who] of [
      [piet, 'Piet'],
      [pam, 'Pam'],
    ] as const) {
      for (let i = 1; i <= 1; i++) {
        await p.getByTestId('add-contribution').click()
        await p.locator('[data-field="text"]').fill(`${who} privé ${i}`)
        await p.keyboard.press('Escape')
      }
      await p.getByTestId('private-label').first().waitFor({ timeout: 5_000 })
    }

    const pile = makeClient(server.wsUrl, board)
    await pile.synced()
    const records = pile.records as unknown as Map<string, Rec>
    const era = pageBoxes(records, 'era')[0]!
    await fien.getByTestId('reveal').click()
    // 23 more people's notes, all written on the same free spot of the first era column.
    pile.doc.transact(() => {
      for (let i = 0; i < 23; i++) {
        pile.records.set(`shape:pile-${i}`, card(`shape:pile-${i}`, `Stapel ${i}`, { x: era.x + 20, y: era.y + 80, index: `a${INDICES[i]}` }))
      }
    })
    await fien.getByText('Piet privé 1').first().waitFor({ timeout: 10_000 })
    await fien.getByText('Pam privé 1').first().waitFor({ timeout: 10_000 })
    let notes: ReturnType<typeof pageBoxes> = []
    await expect
      .poll(
        () => {
          notes = pageBoxes(records, 'contribution')
          return notes.length === 25 && notes.every((a) => notes.every((b) => a === b || !overlap(a, b)))
        },
        { timeout: 15_000, interval: 250 },
      )
      .toBe(true)
    expect(notes.map((n) => n.text).sort()).toContain('Piet privé 1')
    // Still in the timeline (the report reads where a note lies): its column grew to hold them.
    const timeline = pageBoxes(records, 'frame').find((f) => f.phase === 'timeline')!
    for (const n of notes) expect(overlap({ x: n.x + n.w / 2, y: n.y + n.h / 2, w: 1, h: 1 }, timeline), n.text).toBe(true)
    await fien.getByTestId('agenda-phase').click() // out of any text field
    await screenshot(fien, 'e2e-reveal-laid-out')

    // Opruimen: the phase's notes in a grid per era column, in reading order, still apart and in the timeline.
    await fien.getByTestId('tidy').click()
    await expect
      .poll(() => fien.getByTestId('tidy-status').textContent(), { timeout: 5_000 })
      .toMatch(/^\d+ kaart(en)? in Verleden — tijdlijn op (zijn|hun) plek gezet\.$/)
    await expect
      .poll(
        () => {
          notes = pageBoxes(records, 'contribution')
          return notes.every((a) => notes.every((b) => a === b || !overlap(a, b)))
        },
        { timeout: 5_000 },
      )
      .toBe(true)
    const frame = pageBoxes(records, 'frame').find((f) => f.phase === 'timeline')!
    for (const n of notes) expect(overlap({ x: n.x + n.w / 2, y: n.y + n.h / 2, w: 1, h: 1 }, frame), n.text).toBe(true)
    await fien.getByTestId('cluster').click()
    await expect.poll(() => fien.getByTestId('tidy-status').textContent(), { timeout: 5_000 }).toMatch(/\d+ clusters? in Verleden — tijdlijn/)
    await screenshot(fien, 'e2e-tidied')

    // Zoomed out over the whole board the cards are drawn as coloured blocks; back at the phase, as cards.
    await fien.locator('.tl-canvas').click({ position: { x: 700, y: 700 } })
    await fien.keyboard.press('Shift+1')
    await expect.poll(() => fien.getByTestId('card-simple').count(), { timeout: 5_000 }).toBeGreaterThanOrEqual(20)
    expect(await fien.getByTestId('contribution-card').count()).toBe(0)
    await screenshot(fien, 'e2e-zoomed-out-simple-cards')
    await fien.getByTestId('go-to-phase').click()
    await expect.poll(() => fien.getByTestId('contribution-card').count(), { timeout: 5_000 }).toBeGreaterThan(0)
  })

  it('notes written in a group frame land in it and appear in the report under their phase, with the members', async () => {
    const { fien, piet } = await startSession()
    await fien.getByRole('button', { name: 'Groepen vormen' }).click()
    await fien.getByLabel('Aantal groepen').fill('1')
    await fien.getByRole('button', { name: 'Maak gemengde groepen' }).click()
    await piet.getByTestId('my-group').waitFor({ timeout: 5_000 })
    await expect.poll(() => piet.getByTestId('my-group-members').textContent(), { timeout: 5_000 }).toMatch(/Pam.*Piet|Piet.*Pam/)
    await piet.getByTestId('my-group').click()
    await piet.getByTestId('destination').selectOption({ label: 'Groep 1' })
    await piet.getByTestId('add-contribution').click()
    await piet.locator('[data-field="text"]').fill('Samen koken in de wijk')
    await piet.keyboard.press('Escape')
    await fien.locator('.tl-shape').filter({ hasText: 'Samen koken in de wijk' }).waitFor({ state: 'attached', timeout: 5_000 })
    await screenshot(piet, 'e2e-group-note')

    const href = await fien.getByTestId('report-md').getAttribute('href')
    let report = ''
    await expect
      .poll(
        async () => {
          report = await (await fetch(new URL(href!, fien.url()))).text()
          return report.includes('Samen koken in de wijk')
        },
        { timeout: 5_000 },
      )
      .toBe(true)
    const section = report.slice(report.indexOf('### Werk in groepen — Historische ontwikkeling'))
    expect(section).toMatch(/\*\*Groep 1 \(2 deelnemers: (Piet, Pam|Pam, Piet)\)\*\*/)
    expect(section).toContain('- Samen koken in de wijk (Piet')
  })
})
