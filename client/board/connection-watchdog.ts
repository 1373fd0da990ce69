/**
 * Notices a dead socket within ~10 s. y-websocket gives up on a silent socket only after 30 s (its
 * `messageReconnectTimeout`, not configurable), and a browser never sees the server's pings; the
 * server sends a tiny heartbeat with each ping (server/room/keepalive.ts), so a socket that brought
 * nothing for Limits.clientSilenceMs is half-open (the phone's Wi-Fi changed under it): the
 * provider opens a new one, which takes over from the old at the server (issue 19).
 */
import type { WebsocketProvider } from 'y-websocket'
import { Limits } from '../../shared/protocol.ts'

const CHECK_MS = 1_000

/** Watches `provider` until the returned function is called. */
export function watchConnection(provider: WebsocketProvider): () => void {
  const silentFor = () => Date.now() - provider.wsLastMessageReceived
  const reconnect = () => {
    provider.disconnect()
    provider.connect()
  }
  const timer = setInterval(() => {
    if (provider.wsconnected && silentFor() > Limits.clientSilenceMs) reconnect()
  }, CHECK_MS)
  // Back on the network (another Wi-Fi, or the same after a blip): a socket that missed a heartbeat is not trusted.
  const onOnline = () => {
    if (provider.wsconnected && silentFor() > Limits.keepaliveMs + CHECK_MS) reconnect()
  }
  window.addEventListener('online', onOnline)
  return () => {
    clearInterval(timer)
    window.removeEventListener('online', onOnline)
  }
}
