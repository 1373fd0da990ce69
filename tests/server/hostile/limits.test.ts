/** Quotas, keys and origins (findings 5 and 9): nobody fills the disk or acts from another site. */
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import type { BoardId } from '../../../shared/board-id.ts'
import { CloseCode, Limits } from '../../../shared/protocol.ts'
import { makeClient, openRaw } from '../../helpers/client.ts'
import { syncUpdateFrame } from '../../helpers/frames.ts'
import { card } from '../../helpers/records.ts'
import { startServer, tokenFor } from '../../helpers/server.ts'
import { waitFor } from '../../helpers/wait.ts'

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })

/** A `.tldr` file of a page with one image asset at `src`. */
function tldrWithImage(src: string): string {
  return JSON.stringify({
    tldrawFileFormatVersion: 1,
    schema: { schemaVersion: 2, sequences: { 'com.tldraw.store': 5, 'com.tldraw.asset': 1, 'com.tldraw.page': 1, 'com.tldraw.asset.image': 5 } },
    records: [
      { id: 'page:page', typeName: 'page', name: 'Pagina', index: 'a1', meta: {} },
      {
        id: 'asset:foto',
        typeName: 'asset',
        type: 'image',
        props: { name: 'foto.png', src, w: 10, h: 10, mimeType: 'image/png', isAnimated: false, fileSize: 100 },
        meta: {},
      },
    ],
  })
}

describe('limits', () => {
  it('keeps a bounded amount of changes that arrive after a session closed (one client replayed 296 MB)', async () => {
    const server = await startServer()
    const created = (await (await post(`${server.url}/api/boards`, '{}')).json()) as { id: string }
    const board = created.id
    const writer = makeClient(server.wsUrl, board, { role: 'participant' })
    await writer.synced()
    expect((await post(`${server.url}/api/boards/${board}/close`, '{}', { authorization: `Bearer ${tokenFor(board)}` })).status).toBe(200)
    // Updates of ~6 MB each (cards of 120 KB) from someone who was offline: the third passes the byte cap.
    for (let round = 0; round < 3; round++) {
      const base = new Y.Doc() // three people, each with their own offline work
      Y.applyUpdate(base, Y.encodeStateAsUpdate(writer.doc))
      const before = Y.encodeStateVector(base)
      base.transact(() => {
        for (let i = 0; i < 50; i++) base.getMap('records').set(`shape:r${round}-${i}`, card(`shape:r${round}-${i}`, 'x'.repeat(120_000)))
      })
      const raw = await openRaw(`${server.wsUrl}/${board}`, 'participant')
      raw.ws.send(syncUpdateFrame(Y.encodeStateAsUpdate(base, before)))
      expect((await raw.closed).code).toBe(CloseCode.forbidden)
    }
    await waitFor(() => server.log.lines.some((l) => l.includes('change after closing dropped')), { what: 'the third late change to be dropped' })
    const stats = await server.storage.log.lateUpdateStats(board as BoardId)
    expect(stats.count).toBe(2)
    expect(stats.bytes).toBeLessThanOrEqual(Limits.maxLateBytes)
  })

  it('refuses changes that would grow a board past its size limit, with 4413', async () => {
    const server = await startServer({ room: { maxBoardBytes: 1024 * 1024 } })
    const writer = makeClient(server.wsUrl, 'groot-bord')
    await writer.synced()
    for (let i = 0; i < 7; i++) writer.records.set(`shape:b${i}`, card(`shape:b${i}`, 'x'.repeat(100_000)))
    await waitFor(() => server.server.rooms.get('groot-bord' as BoardId)?.doc.getMap('records').size === 7, { what: 'the first 700 KB' })
    const raw = await openRaw(`${server.wsUrl}/groot-bord`)
    const more = new Y.Doc()
    Y.applyUpdate(more, Y.encodeStateAsUpdate(writer.doc))
    const before = Y.encodeStateVector(more)
    for (let i = 0; i < 4; i++) more.getMap('records').set(`shape:m${i}`, card(`shape:m${i}`, 'y'.repeat(100_000)))
    raw.ws.send(syncUpdateFrame(Y.encodeStateAsUpdate(more, before)))
    const closed = await raw.closed
    expect(closed.code).toBe(CloseCode.boardFull)
    expect(server.server.rooms.get('groot-bord' as BoardId)!.doc.getMap('records').size).toBe(7)
  })

  it('asks for the creation key when CREATE_KEY is set, for creating and importing', async () => {
    const { url } = await startServer({ createKey: 'sleutel-voor-borden' })
    const none = await post(`${url}/api/boards`, '{}')
    expect(none.status).toBe(401)
    expect(((await none.json()) as { error: string }).error).toMatch(/creation key/)
    expect((await post(`${url}/api/boards`, '{}', { 'x-create-key': 'fout' })).status).toBe(403)
    expect((await post(`${url}/api/boards`, '{}', { 'x-create-key': 'sleutel-voor-borden' })).status).toBe(201)
    expect((await post(`${url}/api/boards/import`, tldrWithImage('data:image/png;base64,AAAA'))).status).toBe(401)
    expect((await post(`${url}/api/boards/import`, tldrWithImage('data:image/png;base64,AAAA'), { 'x-create-key': 'sleutel-voor-borden' })).status).toBe(201)
  })

  it('makes no new boards once the storage quota is used up (507), and says so', async () => {
    const { url } = await startServer({ maxDataBytes: 1 })
    const res = await post(`${url}/api/boards`, '{}')
    expect(res.status).toBe(507)
    expect(((await res.json()) as { error: string }).error).toMatch(/quota/)
    expect((await post(`${url}/api/boards/import`, tldrWithImage('data:image/png;base64,AAAA'))).status).toBe(507)
  })

  it('drops images that point at other sites from an imported file', async () => {
    const { url, server } = await startServer()
    const res = await post(`${url}/api/boards/import`, tldrWithImage('http://tracker.example/pixel.png'))
    expect(res.status).toBe(201)
    const { id } = (await res.json()) as { id: string }
    const doc = await server.rooms.readCopy(id as BoardId)
    expect((doc!.getMap('records').get('asset:foto') as { props: { src: unknown } }).props.src).toBeNull()
  })

  it('refuses changes and connections from pages on other sites, unless ALLOWED_ORIGINS lists them', async () => {
    const server = await startServer({ allowedOrigins: ['https://partner.example'] })
    const evil = { origin: 'https://evil.example' }
    const refused = await post(`${server.url}/api/boards`, '{}', evil)
    expect(refused.status).toBe(403)
    expect(((await refused.json()) as { error: string }).error).toMatch(/ALLOWED_ORIGINS/)
    expect((await post(`${server.url}/api/boards`, '{}', { origin: server.url })).status).toBe(201)
    expect((await post(`${server.url}/api/boards`, '{}', { origin: 'https://partner.example' })).status).toBe(201)
    expect((await fetch(`${server.url}/api/templates`, { headers: evil })).status).toBe(200) // reading is not acting
    const token = tokenFor('origins', 'facilitator')
    const open = (origin: string) =>
      new Promise<number | 'open'>((resolve) => {
        const ws = new WebSocket(`${server.wsUrl}/origins?token=${token}`, { origin })
        ws.on('open', () => {
          ws.close()
          resolve('open')
        })
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        ws.on('error', () => {})
      })
    expect(await open('https://evil.example')).toBe(403)
    expect(await open(server.url)).toBe('open')
    expect(await open('https://partner.example')).toBe('open')
  })
})
