/**
 * A browser's panel that failed tells the server (POST /api/client-errors): the operator finds a
 * warning with the board and connection; oversized or malformed reports are refused, a flood is
 * cut off per address.
 */
import { describe, expect, it } from 'vitest'
import { CLIENT_ERRORS_PATH, CLIENT_ERRORS_PER_MINUTE } from '../../../shared/client-error.ts'
import { startServer } from '../../helpers/server.ts'
import { waitFor } from '../../helpers/wait.ts'

const report = (body: unknown, url: string) =>
  fetch(url + CLIENT_ERRORS_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

const valid = {
  where: 'trash',
  message: "TypeError: Cannot read properties of undefined (reading 'replace')",
  stack: 'at TrashMenu (/assets/board-page.js:1:2)',
  board: 'oefensessie',
  connection: '1234567',
}

describe('client error reports', () => {
  it('are answered 204 and logged as a warning with board, connection and panel', async () => {
    const server = await startServer()
    expect((await report(valid, server.url)).status).toBe(204)
    await waitFor(() => server.log.records.some((r) => r.msg === 'client error'), { what: 'the client error line' })
    const line = server.log.records.find((r) => r.msg === 'client error')!
    expect(line).toMatchObject({ level: 40, board: 'oefensessie', conn: '1234567', where: 'trash', message: valid.message, stack: valid.stack })
    // A report from a page that is not a board (the lobby) has no board or connection.
    expect((await report({ where: 'lobby', message: 'x' }, server.url)).status).toBe(204)
  })

  it('refuses what is too big or malformed with 400', async () => {
    const server = await startServer()
    const refused = async (body: unknown) => {
      const res = await report(body, server.url)
      return { status: res.status, error: ((await res.json()) as { error: string }).error }
    }
    expect(await refused({ ...valid, stack: 'x'.repeat(2001) })).toMatchObject({ status: 400, error: expect.stringContaining('stack') })
    expect(await refused({ ...valid, message: 'x'.repeat(301) })).toMatchObject({ status: 400, error: expect.stringContaining('message') })
    expect(await refused({ ...valid, where: 'Piet de Vries' })).toMatchObject({ status: 400, error: expect.stringContaining('where') })
    expect(await refused({ ...valid, board: '../etc' })).toMatchObject({ status: 400, error: expect.stringContaining('board') })
    // Nothing else rides along (a name, a card's text).
    expect(await refused({ ...valid, name: 'Piet' })).toMatchObject({ status: 400 })
    expect(await refused('just a string')).toMatchObject({ status: 400 })
    expect(server.log.records.filter((r) => r.msg === 'client error')).toEqual([])
  })

  it(`lets one address send ${CLIENT_ERRORS_PER_MINUTE} a minute, then answers 429`, async () => {
    const server = await startServer()
    const statuses: number[] = []
    for (let i = 0; i <= CLIENT_ERRORS_PER_MINUTE; i++) statuses.push((await report({ ...valid, message: `error ${i}` }, server.url)).status)
    expect(statuses.slice(0, CLIENT_ERRORS_PER_MINUTE).every((s) => s === 204)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
    expect(server.log.records.filter((r) => r.msg === 'client error')).toHaveLength(CLIENT_ERRORS_PER_MINUTE)
  })
})
