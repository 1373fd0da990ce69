/**
 * The wire: y-websocket's message framing (y-protocols sync + awareness), the close codes
 * this server uses and their reasons, and the limits it enforces on untrusted clients.
 * Nothing else in the codebase spells these numbers.
 */

/** Bumped when the server's expectations of a client change incompatibly. */
export const PROTOCOL_VERSION = 1

/** Top-level message types of the y-websocket protocol (first varUint of each frame). */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const
export type MessageType = (typeof MessageType)[keyof typeof MessageType]

/** Sub-types of a sync message (y-protocols/sync). */
export const SyncMessageType = {
  step1: 0,
  step2: 1,
  update: 2,
} as const
export type SyncMessageType = (typeof SyncMessageType)[keyof typeof SyncMessageType]

/**
 * Close codes sent to a client. 1xxx are the standard ones; 4xxx are ours.
 * Stock y-websocket 3.x treats 4400–4499 as permanent (it stops reconnecting and emits
 * `closed`): used for a client that sent something wrong and would only send it again.
 * 4500–4599 are transient: the client reconnects and syncs from the server's state.
 */
export const CloseCode = {
  goingAway: 1001,
  unsupportedData: 1003,
  messageTooBig: 1009,
  internalError: 1011,
  malformedMessage: 4400,
  unknownMessageType: 4401,
  forbidden: 4403,
  boardDeleted: 4410,
  tooManyPending: 4529,
  slowConsumer: 4508,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

export const CloseReason: Record<CloseCode, string> = {
  [CloseCode.goingAway]: 'server shutting down',
  [CloseCode.unsupportedData]: 'text frames are not supported; send binary y-websocket messages',
  [CloseCode.messageTooBig]: 'frame larger than the server accepts',
  [CloseCode.internalError]: 'internal server error',
  [CloseCode.malformedMessage]: 'malformed message',
  [CloseCode.unknownMessageType]: 'unknown message type',
  [CloseCode.forbidden]: 'change not allowed for your role; reload to get the board as it is',
  [CloseCode.boardDeleted]: 'this board was deleted by a facilitator',
  [CloseCode.tooManyPending]: 'too many messages while the board was loading',
  [CloseCode.slowConsumer]: 'connection too slow to keep up with the board',
}

/** What one untrusted client may make the server hold. */
export const Limits = {
  /** Largest WebSocket frame accepted; larger frames close the connection with 1009. */
  maxFrameBytes: 16 * 1024 * 1024,
  /** Largest awareness update (one client's presence) accepted. */
  maxAwarenessBytes: 64 * 1024,
  /** Messages a connection may send before its board has finished loading. */
  maxQueuedWhileLoading: 512,
  /** Bytes a slow reader may have waiting in its send buffer before it is dropped. */
  maxBufferedBytes: 64 * 1024 * 1024,
  /** Interval of the ping/pong keepalive; a connection silent for two intervals is dropped. */
  keepaliveMs: 30_000,
} as const

/** The path prefix of the WebSocket endpoint: `/sync/<boardId>`. */
export const SYNC_PATH = '/sync'
