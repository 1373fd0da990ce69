/**
 * *Pagina herladen* after a crash loses nothing: changesDelivered resolves only once the server
 * holds every change of the page — at once when connected, after the reconnect when offline.
 */
import { describe, expect, it } from 'vitest'
import type { BoardId } from '../../shared/board-id.ts'
import { recordsOf } from '../../shared/doc-layout.ts'
import { changesDelivered } from '../../client/board/deliver-changes.ts'
import { makeClient } from '../helpers/client.ts'
import { card } from '../helpers/records.ts'
import { startServer } from '../helpers/server.ts'

describe('changesDelivered', () => {
  it('resolves once the server has the change just made', async () => {
    const server = await startServer()
    const client = makeClient(server.wsUrl, 'deliver')
    await client.synced()
    const stored = () => recordsOf(server.server.rooms.get('deliver' as BoardId)!.doc)
    for (let i = 0; i < 20; i++) {
      client.records.set(`shape:n${i}`, card(`shape:n${i}`, `kaart ${i}`))
      await changesDelivered(client.provider)
      expect(stored().has(`shape:n${i}`), `card ${i} on the server`).toBe(true)
    }
  })

  it('offline, resolves after the connection is back and the change has arrived', async () => {
    const server = await startServer()
    const client = makeClient(server.wsUrl, 'deliver-offline')
    await client.synced()
    client.provider.disconnect()
    client.records.set('shape:offline', card('shape:offline', 'zonder verbinding geschreven'))
    const delivered = changesDelivered(client.provider)
    client.provider.connect()
    await delivered
    expect(recordsOf(server.server.rooms.get('deliver-offline' as BoardId)!.doc).has('shape:offline')).toBe(true)
  })
})
