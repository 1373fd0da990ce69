/**
 * A private round in real browsers: what a participant writes in the round's frame stays in
 * their browser (also across a reload) and shows as private; the facilitator's reveal brings it
 * to everyone at once. A round on a phase covers the max-mix group frames of that phase too,
 * though they lie beside the board, outside the phase's frame.
 */
import { describe, expect, it } from 'vitest'
import { screenshot, startSession } from '../helpers/browser.ts'
import { makeClient } from '../helpers/client.ts'
import { waitFor } from '../helpers/wait.ts'
const SECRET = 'Wat ik eigenlijk vind van de buurt'

describe('a private round', () => {
  it('keeps notes private until the facilitator reveals them', async () => {
    const session = await startSession()
    const { fien, piet, pam } = session

    await fien.getByTestId('private-start').click()
    for (const p of [piet, pam]) await p.getByTestId('private-round').waitFor({ timeout: 5_000 })
    expect(await piet.getByTestId('private-round').textContent()).toContain('Verleden — tijdlijn')

    await piet.getByTestId('add-contribution').click()
    await piet.locator('[data-field="text"]').fill(SECRET)
    await piet.getByTestId('private-label').waitFor({ timeout: 5_000 })
    await piet.getByText(SECRET).first().waitFor()

    // A reload keeps it (in this browser only); the others still do not have it.
    await piet.reload()
    await piet.getByTestId('private-label').waitFor({ timeout: 15_000 })
    await piet.getByText(SECRET).first().waitFor()
    // Piet's cursor, moved now, reaches a stock client behind anything his page wrote to the
    // shared document before (one socket, and the server relays edits before presence): had the
    // note leaked, it would be there by then.
    const { server } = session
    const watcher = makeClient(server.wsUrl, new URL(fien.url()).pathname.split('/').pop()!)
    await watcher.synced()
    const pietsCursor = () => {
      for (const state of watcher.provider.awareness.getStates().values()) {
        const { member, presence } = state as { member?: { name?: string }; presence?: { cursor?: unknown } }
        if (member?.name === 'Piet' && presence?.cursor) return JSON.stringify(presence.cursor)
      }
      return undefined
    }
    const before = pietsCursor()
    await piet.mouse.move(300, 300)
    await piet.mouse.move(340, 360)
    await waitFor(() => pietsCursor() !== undefined && pietsCursor() !== before, { what: "Piet's cursor after his reload at a stock client" })
    expect([...watcher.records.values()].map((r) => (r as { props?: { text?: string } }).props?.text)).not.toContain(SECRET)
    expect(await pam.getByText(SECRET).count()).toBe(0)
    expect(await fien.getByText(SECRET).count()).toBe(0)
    await screenshot(piet!, 'e2e-private-round-author')
    await screenshot(pam!, 'e2e-private-round-other')

    await fien.getByTestId('reveal').click()
    await pam.getByText(SECRET).first().waitFor({ timeout: 5_000 })
    await fien.getByText(SECRET).first().waitFor({ timeout: 5_000 })
    await expect.poll(() => piet.getByTestId('private-label').count(), { timeout: 5_000 }).toBe(0)
    expect(await pam.getByTestId('private-round').count()).toBe(0)
    await screenshot(pam!, 'e2e-private-round-revealed')
  })

  it('covers the group frames of its phase: a note written in a group frame is private until the reveal', async () => {
    const { server, fien, piet, pam } = await startSession()
    const GROUP_SECRET = 'Wat onze groep echt wil'
    const PUBLIC = 'Vraag voor de parkeerplaats'
    await fien.getByRole('button', { name: 'Groepen vormen' }).click()
    await fien.getByLabel('Aantal groepen').fill('1')
    await fien.getByRole('button', { name: 'Maak gemengde groepen' }).click()
    await fien.getByTestId('parking-lot').click()
    await piet.getByTestId('my-group').waitFor({ timeout: 5_000 })
    await fien.getByTestId('private-start').click()
    for (const p of [piet, pam]) await p.getByTestId('private-round').waitFor({ timeout: 5_000 })
    // A stock client sees everything that reaches the shared document.
    const watcher = makeClient(server.wsUrl, new URL(fien.url()).pathname.split('/').pop()!)
    await watcher.synced()
    const texts = () => [...watcher.records.values()].map((r) => (r as { props?: { text?: string } }).props?.text)

    await piet.getByTestId('my-group').click()
    await piet.getByTestId('destination').selectOption({ label: 'Groep 1' })
    await piet.getByTestId('add-contribution').click()
    await piet.locator('[data-field="text"]').fill(GROUP_SECRET)
    await piet.keyboard.press('Escape')
    // Then a public note (the parkeerplaats is no part of the round): once it has arrived, so
    // would the group note have, had it left Piet's browser.
    await piet.getByTestId('destination').selectOption({ label: 'Parkeerplaats' })
    await piet.getByTestId('add-contribution').click()
    await piet.locator('[data-field="text"]').fill(PUBLIC)
    await piet.keyboard.press('Escape')
    await expect.poll(() => texts().includes(PUBLIC), { timeout: 10_000 }).toBe(true)
    await pam.locator('.tl-shape').filter({ hasText: PUBLIC }).waitFor({ state: 'attached', timeout: 10_000 })
    expect(texts()).not.toContain(GROUP_SECRET)
    expect(await pam.getByText(GROUP_SECRET).count()).toBe(0)
    expect(await fien.getByText(GROUP_SECRET).count()).toBe(0)
    await piet.getByTestId('private-label').waitFor({ timeout: 5_000 })
    await screenshot(piet, 'e2e-private-round-group-author')

    await fien.getByTestId('reveal').click()
    await expect.poll(() => texts().includes(GROUP_SECRET), { timeout: 10_000 }).toBe(true)
    await pam.locator('.tl-shape').filter({ hasText: GROUP_SECRET }).waitFor({ state: 'attached', timeout: 10_000 })
    await expect.poll(() => piet.getByTestId('private-label').count(), { timeout: 5_000 }).toBe(0)
  })
})
