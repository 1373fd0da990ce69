/**
 * The wire: y-websocket's message framing (y-protocols sync + awareness), the close codes
 * this server uses and their reasons, and the limits it enforces on untrusted clients.
 * Nothing else in the codebase spells these numbers.
 */

/**
 * Bumped when the server's expectations of a client change incompatibly. The page sends it on
 * the sync URL (PROTOCOL_VERSION_PARAM): a page left open across a deploy that changed it is
 * closed with CloseCode.protocolMismatch and told to reload, instead of being refused change by
 * change. A client that sends none (the stock y-websocket client, scripts) is taken as current.
 */
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
  /**
   * The same browser came back on a new connection (the old one half-open on venue Wi-Fi): the
   * old one is closed. Transient, below the permanent 44xx: a client still on it reconnects.
   */
  replaced: 4001,
  unsupportedData: 1003,
  messageTooBig: 1009,
  internalError: 1011,
  malformedMessage: 4400,
  unknownMessageType: 4401,
  forbidden: 4403,
  boardFull: 4413,
  boardDeleted: 4410,
  /**
   * More changes than a person's browser sends, for longer than the budget's slack
   * (Limits.changesPerSecond): a flood. Permanent, so a stock client stops instead of coming back for more.
   */
  tooManyChanges: 4429,
  /** The page speaks another PROTOCOL_VERSION than the server (a deploy since it was loaded). Permanent: reloading is the fix. */
  protocolMismatch: 4426,
  tooManyPending: 4529,
  slowConsumer: 4508,
  resync: 4509,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

export const CloseReason: Record<CloseCode, string> = {
  [CloseCode.goingAway]: 'server shutting down',
  [CloseCode.replaced]: 'replaced by a newer connection of the same browser',
  [CloseCode.unsupportedData]: 'text frames are not supported; send binary y-websocket messages',
  [CloseCode.messageTooBig]: 'frame larger than the server accepts',
  [CloseCode.internalError]: 'internal server error',
  [CloseCode.malformedMessage]: 'malformed message',
  [CloseCode.unknownMessageType]: 'unknown message type',
  [CloseCode.forbidden]: 'change not allowed for your role; reload to get the board as it is',
  [CloseCode.boardFull]: 'the board has reached its size limit; ask the facilitator to start a new board',
  [CloseCode.boardDeleted]: 'this board was deleted by a facilitator',
  [CloseCode.tooManyChanges]: 'too many changes in a short time; reload the page',
  [CloseCode.protocolMismatch]: 'this page is from another version of the board; reload the page',
  [CloseCode.tooManyPending]: 'too many messages while the board was loading',
  [CloseCode.slowConsumer]: 'connection too slow to keep up with the board',
  [CloseCode.resync]: 'out of step with the board; reconnecting to catch up',
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
  /**
   * Round of the ping/pong keepalive (server/room/keepalive.ts): a connection not heard from for two
   * rounds is dropped, so a half-open one (a phone gone from the Wi-Fi) goes 6–9 s after its last
   * word. With each ping goes a 3-byte heartbeat frame the page can see.
   */
  keepaliveMs: 3_000,
  /** A client that heard nothing from the server (not even a heartbeat) this long takes its connection for dead. */
  clientSilenceMs: 9_000,
  /**
   * One Yjs update. A real edit is a few hundred bytes and 1–50 items; reconnecting after an hour
   * offline with hundreds of cards, or pasting 500 shapes, stays far under 10,000 items; bytes
   * leave room for an inline image. Judging 10,000 chained items took 56 ms here (decoding them at
   * the edge, as any Yjs server must, ~100 ms): tests/server/hostile/updates.test.ts.
   */
  maxUpdateBytes: 8 * 1024 * 1024,
  maxUpdateItems: 10_000,
  /** Items one update may delete (a facilitator clearing a 2,000-card board stays under it). */
  maxDeletedItems: 20_000,
  /**
   * Awareness states one connection may hold: its own (a tab has one). The stock client relays
   * other tabs' states over BroadcastChannel, and echoes everyone's: those are dropped, not held.
   */
  maxAwarenessStatesPerConnection: 1,
  /**
   * Ids nobody on the board holds whose presences one connection may relay (dropped): a tab whose
   * own socket is not up yet, relayed by another tab. More is a flood, closed.
   */
  maxStrangerPresences: 32,
  /** An awareness clock may move ahead by at most this much in one message. */
  maxAwarenessClockStep: 1_000,
  /**
   * Changes that arrive after a session closed are kept aside (the archive holds them): at most
   * this many per board, and bytes. One reconnecting client replayed 296 MB into them in 6.5 s.
   */
  maxLateUpdates: 1_000,
  maxLateBytes: 16 * 1024 * 1024,
  /**
   * People counted per board (archive: "how many took part"). Each connection with a fresh member
   * key added a row; someone holding a participant link could grow the table without end.
   */
  maxMembersPerBoard: 10_000,
  /**
   * The budget of one connection (server/room/connection.ts; issue 20, finding 2: 30,000 small valid
   * updates in 6 s from one participant made a card on another board wait p50 2.2–3.5 s, max 9.8 s,
   * and /healthz 5.1–8.6 s). Every message counts, sync and awareness. Measured in Chromium with
   * our client (tests/bench/honest-traffic.bench.ts): typing as fast as a keyboard can, 50
   * messages in a second; dragging a card, one per animation frame (60, or 120 on a fast screen)
   * and presence; the server's awareness batches (20 a second) come back as echoes from the stock
   * client; pasting or making 200 cards is 1 update of 105–113 KB. So 300 a second with a burst of
   * 600 is twice the heaviest honest pace. Beyond it the connection is slowed (the server stops
   * reading it); one held back for `maxHeldBackMs` without a break (1,500 changes past its burst)
   * or with `maxQueuedChanges` read and waiting (2 s of budget) is closed with 4429.
   */
  changesPerSecond: 300,
  changesBurst: 600,
  maxHeldBackMs: 5_000,
  maxQueuedChanges: 600,
  /**
   * Bytes: dragging 400 selected cards sends their 110 KB every frame (6.6 MB/s at 60 frames);
   * one frame may be 16 MiB. A connection beyond it is only slowed: its data waits in the kernel.
   */
  changeBytesPerSecond: 8 * 1024 * 1024,
  changeBytesBurst: 32 * 1024 * 1024,
  /**
   * The budget of document updates (sync messages; not presence) one client address shares over
   * all its connections (server/policy/address-budget.ts; issue 20, re-test of finding 2: 40 connections
   * × 280 updates/s from one address left 47 of 50 cards on another board undelivered, /healthz
   * max 7.2 s). Sized for a venue where ~80 people share one NAT address: not all type at once —
   * a quarter typing flat out (20 × 50 a second) and eight dragging (8 × 60) is ~1,500 a second;
   * the burst of 3,000 lets all 80, each with a second tab, resync after a Wi-Fi drop (step 1 and
   * step 2 each, 320) on top of two seconds of that. Bytes: what one connection may send, shared:
   * one person dragging 400 cards (6.6 MB/s) and pastes (113 KB each) fit; two such drags at once
   * go at ~40 frames a second instead of 60. Not more: 10 connections × 60 updates/s of 100 KB
   * each (each change goes to everyone on the board) left 14 of 50 cards on another board
   * undelivered and /healthz at 1.1 s with 16 MiB/s here, 4 of 50 and 0.6 s with 8 MiB/s (2
   * cores; before: 38 of 45, 2.4 s). The burst of 32 MiB is two 16-MiB frames. Beyond it that
   * address's sockets are read in turn as the budget refills (slowed, never closed): other
   * addresses are not touched.
   */
  addressChangesPerSecond: 1_500,
  addressChangesBurst: 3_000,
  addressChangeBytesPerSecond: 8 * 1024 * 1024,
  addressChangeBytesBurst: 32 * 1024 * 1024,
} as const

/** What one record of a board may be (server/policy/record-rules.ts). */
export const ContentLimits = {
  /** A card's JSON: ~30 pages of text; a 10 MB card made every board open take 79 s. */
  maxRecordBytes: 128 * 1024,
  /** An asset record holds its image inline (data: URL). */
  maxAssetRecordBytes: 4 * 1024 * 1024,
  /** Nesting of objects and arrays in one record (rich text needs about 8). */
  maxRecordDepth: 32,
} as const

/** The path prefix of the WebSocket endpoint: `/sync/<boardId>`. */
export const SYNC_PATH = '/sync'

/**
 * The query parameter of the sync URL, beside `token`, that carries the browser's member key
 * (client/identity.ts): the server hashes it, and that hash — never one a presence shows — is
 * whose cards the connection may change and whose dots it may place (issue 20, finding 1).
 */
export const MEMBER_KEY_PARAM = 'memberKey'

/** The query parameter of the sync URL that carries the page's PROTOCOL_VERSION. */
export const PROTOCOL_VERSION_PARAM = 'protocol'

/**
 * The close reason of a change written after the session closed (server/room/room.ts): the page tells
 * the person so instead of a role refusal (client/board/connection-badge.tsx).
 */
export const SESSION_CLOSED_REASON = 'the session is closed: the board is read-only'
