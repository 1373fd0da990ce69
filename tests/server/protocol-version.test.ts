/**
 * A page left open across a deploy that changed the protocol: the sync URL carries the page's
 * PROTOCOL_VERSION, and a page of another version is closed with its own permanent close code
 * and a reason that says to reload — the stock provider reports it and stops, instead of being
 * refused change by change. A client that sends no version (the stock one, scripts) syncs.
 */
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { CloseCode, CloseReason, PROTOCOL_VERSION, PROTOCOL_VERSION_PARAM } from '../../shared/protocol.ts'
import { makeClient } from '../helpers/client.ts'
import { onCleanup, startServer, tokenFor } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

function pageOfVersion(wsUrl: string, board: string, version: string) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(wsUrl, board, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token: tokenFor(board, 'participant'), [PROTOCOL_VERSION_PARAM]: version },
    maxBackoffTime: 200,
    disableBc: true,
  })
  const closes: { code: number; reason: string }[] = []
  provider.on('connection-close', (event: { code: number; reason: string } | null) => event && closes.push({ code: event.code, reason: event.reason }))
  let closed: { code: number; reason: string } | null = null
  provider.on('closed', (event: { code: number; reason: string }) => (closed = event))
  onCleanup(() => {
    provider.destroy()
    doc.destroy()
  })
  return { provider, closes, closed: () => closed }
}

describe('the protocol version on the sync URL', () => {
  it('a page of another version is closed once with protocolMismatch and told to reload; its provider stops', async () => {
    const server = await startServer()
    const old = pageOfVersion(server.wsUrl, 'versions', String(PROTOCOL_VERSION - 1))
    await waitFor(() => old.closed() !== null, { what: 'the old page to be closed for good' })
    expect(old.closed()).toEqual({ code: CloseCode.protocolMismatch, reason: CloseReason[CloseCode.protocolMismatch] })
    expect(old.closes.map((c) => c.code)).toEqual([CloseCode.protocolMismatch])
    expect(old.provider.synced).toBe(false)
    expect(old.provider.shouldConnect).toBe(false)
  })

  it('a page of this version syncs, and so does a client that sends none', async () => {
    const server = await startServer()
    const current = pageOfVersion(server.wsUrl, 'versions', String(PROTOCOL_VERSION))
    const stock = makeClient(server.wsUrl, 'versions')
    await waitFor(() => current.provider.synced, { what: 'the current page to sync' })
    await stock.synced()
    expect(current.closes).toEqual([])
  })
})
