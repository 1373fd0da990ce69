/** Stock y-websocket clients and raw sockets against a test server; closed after each test. */
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { recordsOf } from '../../shared/doc-layout.ts'
import { onCleanup } from './server.ts'
import { waitFor } from './wait.ts'

export interface TestClient {
  doc: Y.Doc
  provider: WebsocketProvider
  records: Y.Map<unknown>
  synced(): Promise<void>
  destroy(): void
}

export function makeClient(wsUrl: string, boardId: string, opts: { connect?: boolean } = {}): TestClient {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(wsUrl, boardId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    connect: opts.connect ?? true,
    maxBackoffTime: 200,
    // Clients in one process would otherwise talk over BroadcastChannel, bypassing the server.
    disableBc: true,
  })
  const client: TestClient = {
    doc,
    provider,
    records: recordsOf(doc),
    synced: () => waitFor(() => provider.synced, { what: `client of ${boardId} to sync` }),
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
  onCleanup(client.destroy)
  return client
}

export interface RawSocket {
  ws: WebSocket
  messages: Buffer[]
  closed: Promise<{ code: number; reason: string }>
}

export async function openRaw(url: string): Promise<RawSocket> {
  const ws = new WebSocket(url)
  const messages: Buffer[] = []
  ws.on('message', (data: Buffer) => messages.push(data))
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  ws.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  onCleanup(() => ws.terminate())
  return { ws, messages, closed }
}

/** Plain JSON of a doc's records, for comparing clients. */
export function recordsJson(doc: Y.Doc): Record<string, unknown> {
  return recordsOf(doc).toJSON()
}
