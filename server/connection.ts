/**
 * One WebSocket to one board: decodes each frame at the edge, queues (boundedly) while the
 * board loads, hands typed messages to the room, and turns refusals into close codes.
 */
import type { RawData, WebSocket } from 'ws'
import type { BoardId } from '../shared/board-id.ts'
import type { Role } from '../shared/roles.ts'
import { CloseCode, CloseReason, Limits } from '../shared/protocol.ts'
import type { Logger } from './log.ts'
import type { ServerMetrics } from './metrics.ts'
import type { Peer, Room } from './room.ts'
import type { RoomRegistry } from './rooms.ts'
import { decodeClientMessage, ProtocolError, type ClientMessage } from './wire.ts'

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

export function acceptConnection(ws: WebSocket, boardId: BoardId, connId: string, role: Role, rooms: RoomRegistry, log: Logger, metrics?: Pick<ServerMetrics, 'frame' | 'refused'>): void {
  let room: Room | undefined
  const queue: ClientMessage[] = []
  let closed = false

  const peer: Peer = {
    id: connId,
    role,
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

  ws.on('message', (data, isBinary) => {
    if (closed) return
    const bytes = toBytes(data)
    metrics?.frame('in', bytes.byteLength)
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
    if (room) {
      handle(message)
    } else if (queue.length >= Limits.maxQueuedWhileLoading) {
      peer.close(CloseCode.tooManyPending, `${queue.length} messages queued`)
    } else {
      queue.push(message)
    }
  })

  ws.on('close', (code) => {
    if (!closed) log.debug('connection closed by client', { board: boardId, conn: connId, code })
    closed = true
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
      for (const message of queue.splice(0)) if (!closed) handle(message)
    },
    (error: unknown) => refuse(error),
  )
}
