/**
 * CREATE_KEY covers every way a board is made (issue 20, finding 10): with the key set, a
 * facilitator's fork and the programme's boards (new board, werkplaats, terugkomdag) are refused
 * without it, with the same answer as POST /api/boards; with the key they are made.
 */
import { describe, expect, it } from 'vitest'
import type { CreatedBoard } from '../../../shared/api.ts'
import type { CreatedProgramme, ProgrammeView } from '../../../shared/programme.ts'
import { startServer } from '../../helpers/server.ts'

const KEY = 'sleutel-voor-borden'
const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('token')!

describe('the creation key (CREATE_KEY)', () => {
  it('is asked for a fork and for every board a programme makes, as for a new board', async () => {
    const { url } = await startServer({ createKey: KEY })
    const call = async <T = unknown>(method: string, path: string, token: string | null, body?: unknown, key?: string) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(key ? { 'x-create-key': key } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: response.status, body: (await response.json().catch(() => ({}))) as T & { error?: string } }
    }
    const refusal = await call('POST', '/api/boards', null, {})
    expect(refusal.status).toBe(401)

    // The deployer (with the key) makes a conference board and a programme, and hands them over.
    const board = (await call<CreatedBoard>('POST', '/api/boards', null, { example: 'samen-aan-de-slag-2018' }, KEY)).body
    const facilitator = tokenOf(board.links.facilitator)
    const programme = (await call<CreatedProgramme>('POST', '/api/programmes', null, { name: 'Vliegwiel Weert' }, KEY)).body
    const aanjager = tokenOf(programme.links.aanjager)
    const p = `/api/programmes/${programme.programme.id}`
    expect((await call('POST', `${p}/boards`, aanjager, { boardLink: board.links.facilitator })).status).toBe(201)
    expect((await call('POST', `${p}/boards/${board.id}/action-lines`, aanjager, {})).status).toBe(200)
    const line = (await call<ProgrammeView>('GET', p, aanjager)).body.lines[0]!
    const snapshot = (await call<{ id: string }>('POST', `/api/boards/${board.id}/snapshots`, facilitator, { name: 'voor de pauze' })).body

    const ways: [string, string, string | null, unknown][] = [
      ['fork', `/api/boards/${board.id}/snapshots/${snapshot.id}/fork`, facilitator, {}],
      ['programme board', `${p}/boards/new`, aanjager, {}],
      ['werkplaats', `${p}/lines/${line.id}/werkplaats`, aanjager, {}],
      ['terugkomdag', `${p}/terugkomdag`, aanjager, {}],
    ]
    for (const [what, path, token, body] of ways) {
      const none = await call('POST', path, token, body)
      expect({ what, status: none.status, error: none.body.error }).toEqual({ what, status: refusal.status, error: refusal.body.error })
      expect({ what, status: (await call('POST', path, token, body, 'fout-fout-fout')).status }).toEqual({ what, status: 403 })
      expect({ what, status: (await call('POST', path, token, body, KEY)).status }).toEqual({ what, status: 201 })
    }
  })
})
