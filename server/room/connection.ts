/**
 * One WebSocket to one board: decodes each frame at the edge, queues (boundedly) while the
 * board loads, hands typed messages to the room within the connection's budget (Limits.changes…:
 * beyond it the socket is not read until the budget has refilled, and a sender still far ahead is
 * closed), and within its address's shared budget of document updates (server/policy/address-budget.ts:
 * beyond it the socket is not read until its turn comes; never closed for it), and turns refusals
 * into close codes.
 */
import type { RawData } from 'ws'
import type { BoardId } from '../../shared/board-id.ts'
import type { Role } from '../../shared/roles.ts'
import { CloseCode, CloseReason, Limits } from '../../shared/protocol.ts'
import type { AddressShare } from '../policy/address-budget.ts'
import type { Logger } from '../log.ts'
import type { ServerMetrics } from '../metrics.ts'
import type { Peer, Room } from './room.ts'
import type { RoomRegistry } from './rooms.ts'
import { TokenBucket } from '../policy/token-bucket.ts'
import { decodeClientMessage, ProtocolError, type ClientMessage } from './wire.ts'

/**
 * What a connection uses of its socket: a `ws` WebSocket in the server, an in-memory socket in
 * the tests that run the sync deterministically (tests/helpers/memory-socket.ts), the way
 * tldraw's sync-core runs its room over a TestSocketPair beside the real server.
 */
export interface BoardSocket {
  readonly readyState: number
  readonly OPEN: number
  /** Bytes sent and not yet handed on (a slow reader's backlog). */
  readonly bufferedAmount: number
  readonly isPaused: boolean
  send(frame: Uint8Array): void
  close(code: number, reason: string): void
  /** Stops reading what the client sends until `resume`. */
  pause(): void
  resume(): void
  on(event: 'message', listener: (data: RawData, isBinary: boolean) => void): unknown
  on(event: 'close', listener: (code: number) => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

/** Bytes of reason a WebSocket close frame holds. */
const MAX_CLOSE_REASON_BYTES = 123

/**
 * The close reason a client is shown: for a malformed change, also what was wrong with it (which
 * record, and why), cut to what a close frame holds.
 */
export function closeReasonOf(code: CloseCode, detail: string): string {
  const reason = code === CloseCode.malformedMessage && detail ? `${CloseReason[code]}: ${detail}` : CloseReason[code]
  const bytes = new TextEncoder().encode(reason)
  if (bytes.length <= MAX_CLOSE_REASON_BYTES) return reason
  return new TextDecoder().decode(bytes.slice(0, MAX_CLOSE_REASON_BYTES - 3)).replace(/\uFFFD$/, '') + '…'
}

/**
 * `keyHash`: the SHA-256 of the member key the connection sent beside its token (undefined: none).
 * `address`: this connection's part in the budget its client address shares (left when it closes).
 */
export function acceptConnection(
  ws: BoardSocket,
  boardId: BoardId,
  connId: string,
  role: Role,
  keyHash: string | undefined,
  rooms: RoomRegistry,
  log: Logger,
  metrics?: Pick<ServerMetrics, 'frame' | 'refused'>,
  address?: AddressShare,
): void {
  let room: Room | undefined
  /**
   * Messages decoded and not yet handed to the room: while the board loads, or beyond the budget.
   * `admitted`: the address's budget has already been taken for it (its turn came).
   */
  const queue: { message: ClientMessage; bytes: number; admitted?: boolean }[] = []
  let closed = false
  const changes = new TokenBucket(Limits.changesBurst, Limits.changesPerSecond)
  const bytesIn = new TokenBucket(Limits.changeBytesBurst, Limits.changeBytesPerSecond)
  /** Set while the socket is not read because the budget ran out. */
  let resumeTimer: ReturnType<typeof setTimeout> | undefined
  /** Since when the change budget holds this connection back, without a break. */
  let heldSince: number | undefined
  /** Set while the socket is not read because it waits its turn in the address's budget. */
  let waitingForAddress = false

  const peer: Peer = {
    id: connId,
    role,
    keyHash,
    send(frame) {
      if (closed || ws.readyState !== ws.OPEN) return
      if (ws.bufferedAmount > Limits.maxBufferedBytes) {
        peer.close(CloseCode.slowConsumer, `${ws.bufferedAmount} bytes unsent`)
        return
      }
      ws.send(frame)
      metrics?.frame('out', frame.byteLength)
    },
    close(code, detail) {
      if (closed) return
      closed = true
      // Going away and being replaced by the same browser's new connection are no refusals.
      const routine = code === CloseCode.goingAway || code === CloseCode.replaced
      log[routine ? 'info' : 'warn']('closing connection', { board: boardId, conn: connId, role, code, reason: CloseReason[code], detail })
      if (!routine) metrics?.refused(code)
      clearTimeout(resumeTimer)
      address?.leave()
      queue.length = 0
      // A paused socket would never read the client's answer to our close frame.
      if (ws.isPaused) ws.resume()
      ws.close(code, closeReasonOf(code, detail))
      room?.leave(peer)
    },
  }

  const handle = (message: ClientMessage) => {
    try {
      room!.receive(peer, message)
    } catch (error) {
      refuse(error)
    }
  }

  const refuse = (error: unknown) => {
    if (error instanceof ProtocolError) {
      peer.close(error.code, error.detail)
    } else {
      log.error('unexpected error on connection', { board: boardId, conn: connId, error: (error as Error)?.stack ?? error })
      peer.close(CloseCode.internalError, String(error))
    }
  }

  /**
   * Hands queued messages to the room as far as the budget goes; then stops reading the socket
   * until it has refilled (the sender's further frames wait in the kernel, and then in its own
   * buffers). What was read before the pause still arrives, and queues.
   */
  const drain = () => {
    while (room && !closed && !resumeTimer && !waitingForAddress && queue.length > 0) {
      const next = queue[0]!
      const changeWait = changes.waitMs(1)
      const wait = Math.max(changeWait, bytesIn.waitMs(next.bytes))
      if (wait > 0) {
        // Only the number of changes can close a connection: honest big drags are slowed by bytes.
        if (changeWait > 0) {
          heldSince ??= Date.now()
          if (Date.now() - heldSince > Limits.maxHeldBackMs) {
            peer.close(CloseCode.tooManyChanges, `held back for ${Limits.maxHeldBackMs / 1000} s at ${Limits.changesPerSecond} changes a second`)
            return
          }
        }
        ws.pause()
        resumeTimer = setTimeout(() => {
          resumeTimer = undefined
          drain()
          if (!resumeTimer && !waitingForAddress && !closed) ws.resume()
        }, wait)
        return
      }
      // Document updates also take from the address's budget (presence does not): when it is
      // spent, this socket waits its turn; the turn's callback takes the tokens and reads on.
      if (address && !next.admitted && next.message.kind.startsWith('sync-')) {
        const granted = address.take(next.bytes, () => {
          waitingForAddress = false
          next.admitted = true
          if (closed) return
          drain()
          if (!resumeTimer && !waitingForAddress && !closed) ws.resume()
        })
        if (!granted) {
          waitingForAddress = true
          ws.pause()
          return
        }
        next.admitted = true
      }
      changes.take(1)
      bytesIn.take(next.bytes)
      if (heldSince !== undefined && changes.level() >= Limits.changesBurst / 2) heldSince = undefined
      queue.shift()
      handle(next.message)
    }
  }

  ws.on('message', (data, isBinary) => {
    if (closed) return
    const bytes = toBytes(data)
    metrics?.frame('in', bytes.byteLength)
    // Not while it waits for its address: that only slows, and what a paused socket still reads is
    // bounded (the rest of one read from the kernel, at most 64 KB).
    if (room && queue.length >= Limits.maxQueuedChanges && !waitingForAddress) {
      peer.close(CloseCode.tooManyChanges, `${queue.length} messages beyond ${Limits.changesPerSecond} a second`)
      return
    }
    if (!isBinary) {
      peer.close(CloseCode.unsupportedData, 'text frame')
      return
    }
    let message: ClientMessage
    try {
      message = decodeClientMessage(bytes)
    } catch (error) {
      refuse(error)
      return
    }
    if (!room && queue.length >= Limits.maxQueuedWhileLoading) {
      peer.close(CloseCode.tooManyPending, `${queue.length} messages queued`)
      return
    }
    queue.push({ message, bytes: bytes.byteLength })
    drain()
  })

  ws.on('close', (code) => {
    if (!closed) log.debug('connection closed by client', { board: boardId, conn: connId, code })
    closed = true
    clearTimeout(resumeTimer)
    address?.leave()
    room?.leave(peer)
  })

  ws.on('error', (error) => {
    // ws has already closed the socket (e.g. 1009 for an oversized frame).
    log.warn('connection error', { board: boardId, conn: connId, error })
    metrics?.refused((error as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? CloseCode.messageTooBig : 'ws-error')
  })

  rooms.join(boardId, peer).then(
    (joined) => {
      room = joined
      if (closed) {
        joined.leave(peer)
        return
      }
      drain()
    },
    (error: unknown) => refuse(error),
  )
}
