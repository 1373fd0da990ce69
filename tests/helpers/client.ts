/** Stock y-websocket clients and raw sockets against a test server; closed after each test. */
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { recordsOf } from '../../shared/doc-layout.ts'
import { MEMBER_KEY_PARAM } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import { onCleanup, tokenFor } from './server.ts'
import { waitFor } from './wait.ts'

export interface TestClient {
  doc: Y.Doc
  provider: WebsocketProvider
  records: Y.Map<unknown>
  synced(): Promise<void>
  destroy(): void
}

/**
 * A stock client with a token for `role` (facilitator by default; null: no token at all).
 * `clientID` fixes the doc's Yjs client id (and so its presence id): of two concurrent sets of
 * one map key the higher id wins, so a test can choose which write Yjs keeps. `memberKey` goes
 * beside the token, as the app sends its browser's key: the server's hash of it is whose cards
 * the client may change (its presence shows that hash, whatever it publishes).
 */
export function makeClient(
  wsUrl: string,
  boardId: string,
  opts: { connect?: boolean; role?: Role | null; clientID?: number; memberKey?: string } = {},
): TestClient {
  const doc = new Y.Doc()
  if (opts.clientID !== undefined) doc.clientID = opts.clientID
  const provider = new WebsocketProvider(wsUrl, boardId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    connect: opts.connect ?? true,
    params: {
      ...(opts.role === null ? {} : { token: tokenFor(boardId, opts.role ?? 'facilitator') }),
      ...(opts.memberKey === undefined ? {} : { [MEMBER_KEY_PARAM]: opts.memberKey }),
    },
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

/** A raw socket; a `/sync/<board>` URL without a token gets a facilitator's. */
export async function openRaw(url: string, role: Role = 'facilitator'): Promise<RawSocket> {
  const board = /\/sync\/([^/?]+)$/.exec(url)?.[1]
  const ws = new WebSocket(board ? `${url}?token=${encodeURIComponent(tokenFor(decodeURIComponent(board), role))}` : url)
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
