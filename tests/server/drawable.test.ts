/**
 * What the server accepts, every browser can draw (issue 19, finding 2): a record that passes
 * tldraw's schema but that tldraw's renderer cannot draw — a stroke without points — is refused
 * live (with a close reason that names it) and in a `.tldr` import (400, nothing made).
 */
import { describe, expect, it } from 'vitest'
import type { CreatedBoard } from '../../shared/api.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { createBoardSchema } from '../../shared/shapes/board-schema.ts'
import { pageRecord } from '../../shared/format/records.ts'
import { toTldr } from '../../shared/tldr-file.ts'
import { makeClient, recordsJson } from '../helpers/client.ts'
import { card, drawing } from '../helpers/records.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

async function blankBoard(server: TestServer): Promise<string> {
  const res = await fetch(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Tekenen' }),
  })
  expect(res.status).toBe(201)
  return ((await res.json()) as CreatedBoard).id
}

/** The board as a facilitator who connects now sees it. */
async function boardNow(server: TestServer, board: string): Promise<Record<string, unknown>> {
  const reader = makeClient(server.wsUrl, board)
  await reader.synced()
  const records = recordsJson(reader.doc)
  reader.destroy()
  return records
}

describe('records tldraw cannot draw', () => {
  it("a participant's draw shape without points is refused, the close reason names it, and the board is unchanged", async () => {
    const server = await startServer()
    const board = await blankBoard(server)
    const participant = makeClient(server.wsUrl, board, { role: 'participant' })
    await participant.synced()
    participant.records.set('shape:kaart', card('shape:kaart', 'Een gewone kaart'))
    await waitFor(async () => 'shape:kaart' in (await boardNow(server, board)), { what: 'the card to be stored' })
    const before = await boardNow(server, board)

    let closed: { code: number; reason: string } | null = null
    participant.provider.on('closed', (event) => {
      closed = event
    })
    participant.records.set('shape:leeg', drawing('shape:leeg', []))
    // Either outcome is seen for sure: the connection refused, or the record stored.
    let stored = false
    await waitFor(async () => closed !== null || (stored = 'shape:leeg' in (await boardNow(server, board))), { what: 'a refusal or the record stored' })
    participant.destroy()
    expect(stored, 'the server stored the draw shape without points').toBe(false)
    const { code, reason } = closed!

    expect(code).toBe(CloseCode.malformedMessage)
    expect(reason).toMatch(/shape:leeg/)
    expect(reason).toMatch(/point/)
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123)
    expect(await boardNow(server, board)).toEqual(before)
  })

  it('a .tldr file with a draw shape without points is refused with a message naming it, and no board is made', async () => {
    const server = await startServer()
    const file = toTldr(
      [
        pageRecord('Pagina') as never,
        drawing('shape:goed', [
          [
            { x: 0, y: 0 },
            { x: 40, y: 20 },
          ],
        ]) as never,
        drawing('shape:leeg', [], { index: 'a2' }) as never,
      ],
      createBoardSchema().serialize(),
    )
    const boardsBefore = (await server.storage.catalogue.list()).length

    const res = await fetch(`${server.url}/api/boards/import`, { method: 'POST', body: JSON.stringify(file) })
    expect(res.status).toBe(400)
    const { error } = (await res.json()) as { error: string }
    expect(error).toMatch(/shape:leeg/)
    expect(error).toMatch(/point/)
    expect((await server.storage.catalogue.list()).length).toBe(boardsBefore)

    // The same file without it imports.
    const good = { ...file, records: file.records.filter((r) => r.id !== 'shape:leeg') }
    expect((await fetch(`${server.url}/api/boards/import`, { method: 'POST', body: JSON.stringify(good) })).status).toBe(201)
  })
})
