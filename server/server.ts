/**
 * One server: the HTTP side (server/http/app.ts, on Fastify) and the y-websocket endpoint
 * `/sync/<boardId>` on the same port (`ws`, attached to Fastify's HTTP server). No module-level
 * state: every call makes an independent server.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Redis } from 'ioredis'
import { WebSocketServer } from 'ws'
import { MemberKey } from '../shared/api.ts'
import { parseBoardId } from '../shared/board-id.ts'
import { CloseCode, CloseReason, Limits, MEMBER_KEY_PARAM, PROTOCOL_VERSION, PROTOCOL_VERSION_PARAM, SYNC_PATH } from '../shared/protocol.ts'
import { sha256Hex } from '../shared/sha256.ts'
import { pooledBoardWork, type BoardWork } from './room/board-work.ts'
import { AddressBudgets } from './policy/address-budget.ts'
import { acceptConnection } from './room/connection.ts'
import { startKeepalive } from './room/keepalive.ts'
import { createHttpApp, DEFAULT_HTTP_LIMITS, type HttpLimits } from './http/app.ts'
import { clientAddress, trustOf, type TrustProxy } from './http/client-address.ts'
import { originCheck } from './http/origins.ts'
import { createCreationPolicy } from './http/context.ts'
import type { Logger } from './log.ts'
import { createMetrics, type ServerMetrics } from './metrics.ts'
import type { RoomOptions } from './room/room.ts'
import { RoomRegistry } from './room/rooms.ts'
import { participantPolicy } from './policy/participant-policy.ts'
import { persistence, type PersistenceOptions } from './room/persistence.ts'
import { localLeases } from './cluster/lease.ts'
import { DEFAULTS } from './config.ts'
import type { RedisCluster } from './cluster/cluster.ts'
import { ProgrammeService } from './programmes/programmes.ts'
import { VoteRegistry } from './session/votes.ts'
import { LocalRecentVoters } from './session/recent-voters.ts'
import { DEFAULT_SNAPSHOT_OPTIONS, SnapshotService, type SnapshotOptions } from './session/snapshots.ts'
import type { Storage } from './storage/storage.ts'
import type { Tokens } from './policy/tokens.ts'
import { DEFAULT_SOCKET_LIMITS, SocketCounts, type SocketLimits } from './policy/socket-limits.ts'

export interface ServerOptions {
  port: number
  host?: string
  storage: Storage
  log: Logger
  /** Folder of the built client; omitted in tests that need no pages. */
  staticDir?: string
  /** Signs and checks the role tokens of links (server/policy/tokens.ts). */
  tokens: Tokens
  room?: Partial<BoardOptions>
  snapshots?: Partial<SnapshotOptions>
  keepaliveMs?: number
  limits?: Partial<HttpLimits>
  /** Shares rate limits between processes (REDIS_URL). */
  redis?: Redis
  redisPrefix?: string
  metricsToken?: string
  /** Whose X-Forwarded-For entries give client addresses (TRUST_PROXY; server/http/client-address.ts). */
  trustProxy?: TrustProxy
  /** The origin people open the board at (PUBLIC_ORIGIN): pages of it may connect and change things. */
  publicOrigin?: string
  /** Origins besides the public one whose pages may connect and change things. */
  allowedOrigins?: readonly string[]
  /** WebSockets per client address and per board (WS_PER_ADDRESS, WS_PER_BOARD; server/policy/socket-limits.ts). */
  sockets?: Partial<SocketLimits>
  /** When set, making boards (create, import) needs this key. */
  createKey?: string
  /** The storage quota in bytes (0: none): beyond it no new boards are made. */
  maxDataBytes?: number
  /** Where whole-board work runs; by default the server's own worker threads, stopped at close. */
  work?: BoardWork
  /** Shares boards with other server processes (REDIS_URL; server/cluster/cluster.ts); stopped at close. */
  cluster?: RedisCluster
  /** The clock programmes date their records by, and voters' grace after their connection closed goes by (tests set it). */
  now?: () => number
}

/** A board's life: the room's options and persistence's. */
export type BoardOptions = RoomOptions & PersistenceOptions

export const DEFAULT_ROOM_OPTIONS: BoardOptions = {
  flushMs: DEFAULTS.flushMs,
  idleUnloadMs: DEFAULTS.idleUnloadMs,
  compactEvery: DEFAULTS.compactEvery,
  maxBoardBytes: DEFAULTS.maxBoardMb * 1024 * 1024,
}

export interface RunningServer {
  listen(): Promise<{ port: number; url: string }>
  /** Stops taking new work: /readyz answers 503 so a load balancer moves traffic away. */
  drain(): void
  close(): Promise<void>
  readonly rooms: RoomRegistry
  readonly snapshots: SnapshotService
  readonly metrics: ServerMetrics
}

/** Answers an upgrade that is refused with a plain HTTP response, then closes the socket. */
function refuseUpgrade(socket: Duplex, status: string, message: string) {
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${message}\n`)
}

/** The board id, token and member key of a `/sync/<id>` URL, or null for anything else (undecodable included). */
function boardIdOfUpgrade(rawUrl: string | undefined) {
  try {
    const url = new URL(rawUrl ?? '/', 'http://localhost')
    if (!url.pathname.startsWith(SYNC_PATH + '/')) return null
    return {
      id: parseBoardId(decodeURIComponent(url.pathname.slice(SYNC_PATH.length + 1))),
      token: url.searchParams.get('token'),
      memberKey: url.searchParams.get(MEMBER_KEY_PARAM),
      protocol: url.searchParams.get(PROTOCOL_VERSION_PARAM),
    }
  } catch {
    return null
  }
}

export function createServer(options: ServerOptions): RunningServer {
  const { log } = options
  let rooms!: RoomRegistry
  const metrics = createMetrics(() => rooms.stats())
  const storage = metrics.timeStorage(options.storage)
  const ownWork = options.work ? undefined : pooledBoardWork()
  const work = options.work ?? ownWork!
  const leases = options.cluster?.leases ?? localLeases()
  const board: BoardOptions = { ...DEFAULT_ROOM_OPTIONS, compactState: work.compactState, ...options.room }
  // The Room knows no storage and no Redis: they plug in as extensions (server/room/room.ts).
  rooms = new RoomRegistry(storage, log, { room: board, policy: participantPolicy, extensions: [persistence(storage, leases, log, board)] }, metrics)
  options.cluster?.attach(rooms)
  const recentVoters = new LocalRecentVoters(options.now ?? Date.now)
  const votes = new VoteRegistry(rooms, storage, log, options.cluster?.recentVoters(recentVoters) ?? recentVoters)
  const snapshots = new SnapshotService(storage, rooms, log, { ...DEFAULT_SNAPSHOT_OPTIONS, ...options.snapshots }, metrics, work, leases)
  let draining = false
  const originAllowed = originCheck({ publicOrigin: options.publicOrigin, allowed: options.allowedOrigins })

  const appReady = createHttpApp({
    creation: createCreationPolicy(storage, { createKey: options.createKey, maxDataBytes: options.maxDataBytes ?? 0 }),
    storage,
    rooms,
    votes,
    snapshots,
    tokens: options.tokens,
    log,
    metrics,
    work,
    programmes: new ProgrammeService(
      storage,
      (id) => rooms.boardUpdates(id),
      work,
      options.tokens,
      log,
      options.now ?? Date.now,
      (id, fn) => rooms.change(id, fn),
    ),
    limits: { ...DEFAULT_HTTP_LIMITS, ...options.limits },
    staticDir: options.staticDir,
    redis: options.redis,
    redisPrefix: options.redisPrefix,
    metricsToken: options.metricsToken,
    trustProxy: options.trustProxy,
    originAllowed,
    live: () => rooms.stats(),
    async isReady() {
      if (draining) return { ready: false, reason: 'shutting down' }
      try {
        await storage.ping()
      } catch (error) {
        return { ready: false, reason: `storage: ${(error as Error).message}` }
      }
      try {
        await options.cluster?.ping()
      } catch (error) {
        return { ready: false, reason: `redis (the other servers): ${(error as Error).message}` }
      }
      return { ready: true }
    },
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: Limits.maxFrameBytes })
  const sockets = new SocketCounts({ ...DEFAULT_SOCKET_LIMITS, ...options.sockets })
  const trust = trustOf(options.trustProxy ?? false)
  // Document updates per client address, over all its sockets (the address WS_PER_ADDRESS counts by).
  const addressBudgets = new AddressBudgets()
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => log.debug('upgrade socket error', { error }))
    const target = boardIdOfUpgrade(req.url)
    const refuse = (status: string, message: string, fields: Record<string, unknown>) => {
      metrics.refused(`http-${status.slice(0, 3)}`)
      log.warn('refused upgrade', fields)
      refuseUpgrade(socket, status, message)
    }
    if (draining) return refuse('503 Service Unavailable', 'The server is shutting down: reconnect in a moment', {})
    // The path alone: the query holds the token and the member key.
    if (!target?.id) return refuse('400 Bad Request', 'Expected /sync/<boardId> with a valid board id', { path: String(req.url).split('?')[0]!.slice(0, 200) })
    if (!originAllowed(req.headers.origin, req.headers.host)) {
      return refuse('403 Forbidden', 'This page may not connect to this server (PUBLIC_ORIGIN, ALLOWED_ORIGINS)', {
        origin: String(req.headers.origin).slice(0, 100),
      })
    }
    // A page from before a deploy that changed the protocol: told so over the socket (a close
    // code its provider reports and does not retry), which an HTTP refusal could not do.
    if (target.protocol !== null && target.protocol !== String(PROTOCOL_VERSION)) {
      metrics.refused('protocol-mismatch')
      log.info('page of another protocol version', { board: target.id, protocol: target.protocol.slice(0, 20) })
      return wss.handleUpgrade(req, socket, head, (ws) => ws.close(CloseCode.protocolMismatch, CloseReason[CloseCode.protocolMismatch]))
    }
    const boardId = target.id
    const access = options.tokens.verify(target.token, boardId)
    if (!access.ok) {
      return refuse(
        access.reason === 'missing' ? '401 Unauthorized' : '403 Forbidden',
        `Access token ${access.reason}: open the board with the link you were given`,
        { board: boardId, reason: access.reason },
      )
    }
    // The connection is whose key it sends (only the server sees it), not whose hash its presence
    // shows: that hash is on every card's meta.owner (issue 20, finding 1). Without one it owns nothing.
    if (target.memberKey !== null && !MemberKey.safeParse(target.memberKey).success) {
      return refuse('400 Bad Request', `${MEMBER_KEY_PARAM}: 64 hex characters (this browser's member key)`, { board: boardId })
    }
    const keyHash = target.memberKey === null ? undefined : sha256Hex(target.memberKey)
    // The socket holds its place from here, through the handshake, until it closes (server/policy/socket-limits.ts).
    const address = clientAddress(req, trust)
    const place = sockets.admit(address, boardId)
    if (!place.ok) return refuse(place.status, place.message, { board: boardId })
    socket.once('close', place.release)
    // A deleted board's links stay valid, but the board must not come back from someone's copy.
    storage.catalogue.isDeleted(boardId).then(
      (deleted) => {
        if (deleted) return refuse('410 Gone', 'This board was deleted', { board: boardId })
        wss.handleUpgrade(req, socket, head, (ws) => {
          const connId = randomUUID().slice(0, 8)
          keepalive.watch(ws)
          log.debug('connection opened', { board: boardId, conn: connId, role: access.claims.role })
          acceptConnection(ws, boardId, connId, access.claims.role, keyHash, rooms, log, metrics, addressBudgets.join(address))
        })
      },
      (error: unknown) => {
        log.error('upgrade failed', { board: boardId, error })
        socket.destroy()
      },
    )
  }

  const keepalive = startKeepalive(() => wss.clients, options.keepaliveMs ?? Limits.keepaliveMs)

  let closing: Promise<void> | undefined

  return {
    rooms,
    snapshots,
    metrics,
    async listen() {
      const app = await appReady
      app.server.on('upgrade', onUpgrade)
      await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' })
      const { port } = app.server.address() as { port: number }
      const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : 'localhost'
      return { port, url: `http://${host}:${port}` }
    },
    drain() {
      if (!draining) log.info('draining: /readyz answers 503 from now on')
      draining = true
    },
    close() {
      closing ??= (async () => {
        draining = true
        keepalive.stop()
        await votes.stop()
        const app = await appReady
        // Stop accepting; the close completes once the upgraded sockets below are gone.
        const httpClosed = app.close()
        await snapshots.stop()
        await rooms.unloadAll()
        for (const ws of wss.clients) ws.close(CloseCode.goingAway, 'server shutting down')
        wss.close()
        app.server.closeAllConnections()
        // Clients answer the close frame at once; one that does not is cut off after a moment.
        const cutOff = setTimeout(() => wss.clients.forEach((ws) => ws.terminate()), 2_000)
        await httpClosed
        clearTimeout(cutOff)
        await options.cluster?.stop()
        await ownWork?.close()
        await storage.close()
      })()
      return closing
    },
  }
}
