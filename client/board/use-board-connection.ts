/** One board's Y.Doc and stock y-websocket provider, with a connection state the UI can show. */
import { useEffect, useMemo, useState } from 'react'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { MEMBER_KEY_PARAM, PROTOCOL_VERSION, PROTOCOL_VERSION_PARAM, SYNC_PATH } from '../../shared/protocol.ts'
import { memberKey } from '../identity.ts'
import { watchConnection } from './connection-watchdog.ts'

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'reconnecting' }
  | { kind: 'offline' }
  | { kind: 'refused'; code: number; reason: string }

export interface BoardSession {
  doc: Y.Doc
  provider: WebsocketProvider
}

export function syncUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SYNC_PATH}`
}

export function useBoardConnection(boardId: string, token: string | null): { session: BoardSession | null; connection: ConnectionState; synced: boolean } {
  const [session, setSession] = useState<BoardSession | null>(null)
  const [status, setStatus] = useState<'connecting' | 'connected' | 'disconnected'>('connecting')
  const [everConnected, setEverConnected] = useState(false)
  const [synced, setSynced] = useState(false)
  const [online, setOnline] = useState(() => navigator.onLine)
  const [refused, setRefused] = useState<{ code: number; reason: string } | null>(null)

  useEffect(() => {
    const doc = new Y.Doc()
    // No BroadcastChannel between tabs: every change goes through the server, which checks it
    // against the sender's role before anyone else sees it. The member key goes to the server alone
    // (never into the document or a presence): its hash is whose cards this page may change.
    const params: Record<string, string> = { [MEMBER_KEY_PARAM]: memberKey(), [PROTOCOL_VERSION_PARAM]: String(PROTOCOL_VERSION) }
    if (token) params.token = token
    const provider = new WebsocketProvider(syncUrl(), boardId, doc, { maxBackoffTime: 5_000, disableBc: true, params })
    provider.on('status', ({ status: next }) => {
      setStatus(next)
      if (next === 'connected') {
        setEverConnected(true)
        setRefused(null)
      }
    })
    provider.on('sync', (isSynced: boolean) => {
      if (isSynced) setSynced(true)
    })
    provider.on('closed', ({ code, reason }: { code: number; reason: string }) => setRefused({ code, reason }))
    const onOnline = () => {
      setOnline(true)
      if (!provider.wsconnected) provider.connect()
    }
    const onOffline = () => setOnline(false)
    window.addEventListener('online', onOnline)
    window.addEventListener('offline', onOffline)
    const stopWatching = watchConnection(provider)
    setSession({ doc, provider })
    return () => {
      stopWatching()
      window.removeEventListener('online', onOnline)
      window.removeEventListener('offline', onOffline)
      provider.destroy()
      doc.destroy()
      setSession(null)
      setSynced(false)
    }
  }, [boardId, token])

  // One object per state, not per render: the panels that show it render again only when it changes.
  const connection = useMemo<ConnectionState>(() => {
    if (refused) return { kind: 'refused', ...refused }
    if (!online) return { kind: 'offline' }
    if (status === 'connected') return { kind: 'connected' }
    return everConnected ? { kind: 'reconnecting' } : { kind: 'connecting' }
  }, [refused, online, status, everConnected])
  return { session, connection, synced }
}
