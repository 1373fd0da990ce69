/**
 * The ping/pong keepalive of every board connection. A phone that left the venue Wi-Fi leaves a
 * half-open TCP connection that nothing else reveals; with a 30 s round it held the person's
 * presence for 36–41 s (issue 19). Now a connection not heard from (pong or message) for
 * SILENT_ROUNDS rounds is dropped: 6–9 s after its last word with 3 s rounds.
 *
 * A client busy downloading (a big board on slow Wi-Fi) reads our ping only after what was queued
 * before it: while our side still has bytes waiting and the kernel keeps taking more (the client
 * acknowledges them), it is alive. A client that stopped reading altogether is dropped like a dead one.
 *
 * A socket the server itself stopped reading (server/room/connection.ts: beyond its own or its
 * address's budget) is not judged while paused: its pong waits unread behind the messages we hold
 * back. Every such pause ends (the budget refills, or the connection is closed), and from then on
 * it is judged again (issue 20: 40 sockets from one address, each waiting ~12 s for its turns to
 * work through what it had sent, were dropped with 1006).
 *
 * With each ping goes a heartbeat the page can see (browsers answer pings without telling
 * scripts): an awareness update of no states, a no-op for any y-websocket client, whose arrival
 * tells the client its socket still works (client/board/use-board-connection.ts).
 */
import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'
import * as encoding from 'lib0/encoding'
import { MessageType } from '../../shared/protocol.ts'

/** Rounds without a word after which a connection is taken for dead. */
const SILENT_ROUNDS = 2

/** An awareness message with an empty update (count 0). */
const HEARTBEAT = (() => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.awareness)
  encoding.writeVarUint8Array(e, Uint8Array.of(0))
  return encoding.toUint8Array(e)
})()

export interface Keepalive {
  /** Starts watching a connection. */
  watch(ws: WebSocket): void
  stop(): void
}

interface Watched {
  heard: boolean
  silentRounds: number
  /** Bytes the kernel had taken by the last round. */
  dispatched: number
}

/** Bytes handed to the kernel so far, and bytes still waiting on our side (ws keeps its socket in `_socket`). */
function sent(ws: WebSocket): { dispatched: number; waiting: number } {
  const socket = (ws as unknown as { _socket?: Socket })._socket
  if (!socket) return { dispatched: 0, waiting: 0 }
  return { dispatched: socket.bytesWritten - socket.writableLength, waiting: socket.writableLength }
}

export function startKeepalive(clients: () => Iterable<WebSocket>, intervalMs: number): Keepalive {
  const watched = new WeakMap<WebSocket, Watched>()
  let lastRound = Date.now()
  const timer = setInterval(() => {
    const now = Date.now()
    // A round that comes late (the event loop was blocked) judges nobody: their pongs may be
    // waiting unread behind this timer.
    const late = now - lastRound > intervalMs * 1.5
    lastRound = now
    for (const ws of clients()) {
      const w = watched.get(ws)
      if (!w) continue
      const { dispatched, waiting } = sent(ws)
      const downloading = waiting > 0 && dispatched > w.dispatched
      w.dispatched = dispatched
      if (w.heard || downloading || ws.isPaused) w.silentRounds = 0
      else if (!late) w.silentRounds++
      w.heard = false
      if (w.silentRounds >= SILENT_ROUNDS) {
        ws.terminate()
        continue
      }
      ws.ping()
      if (ws.readyState === ws.OPEN) ws.send(HEARTBEAT)
    }
  }, intervalMs)
  timer.unref()
  return {
    watch(ws) {
      const w: Watched = { heard: true, silentRounds: 0, dispatched: 0 }
      watched.set(ws, w)
      const heard = () => (w.heard = true)
      ws.on('pong', heard)
      ws.on('message', heard)
    },
    stop: () => clearInterval(timer),
  }
}
