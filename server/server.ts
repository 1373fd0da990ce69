/**
 * The HTTP server: built client, JSON API, /healthz, and the y-websocket endpoint
 * `/sync/<boardId>`. No module-level state: every call makes an independent server.
 */
import { randomUUID } from 'node:crypto'
import { createServer as createHttpServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { parseBoardId } from '../shared/board-id.ts'
import { CloseCode, Limits, SYNC_PATH } from '../shared/protocol.ts'
import { acceptConnection } from './connection.ts'
import { createApiHandler } from './http-api.ts'
import { sendJson } from './http-util.ts'
import type { Logger } from './log.ts'
import type { RoomOptions } from './room.ts'
import { RoomRegistry } from './rooms.ts'
import { VoteRegistry } from './votes.ts'
import { DEFAULT_SNAPSHOT_OPTIONS, SnapshotService, type SnapshotOptions } from './snapshots.ts'
import { createStaticHandler } from './static-files.ts'
import type { BoardStorage } from './storage.ts'
import type { Tokens } from './tokens.ts'

export interface ServerOptions {
  port: number
  host?: string
  storage: BoardStorage
  log: Logger
  /** Folder of the built client; omitted in tests that need no pages. */
  staticDir?: string
  /** Signs and checks the role tokens of links (server/tokens.ts). */
  tokens: Tokens
  room?: Partial<RoomOptions>
  snapshots?: Partial<SnapshotOptions>
  keepaliveMs?: number
}

export const DEFAULT_ROOM_OPTIONS: RoomOptions = { flushMs: 50, idleUnloadMs: 30_000, compactEvery: 500 }

export interface RunningServer {
  listen(): Promise<{ port: number; url: string }>
  close(): Promise<void>
  readonly rooms: RoomRegistry
  readonly snapshots: SnapshotService
}

export function createServer(options: ServerOptions): RunningServer {
  const { storage, log } = options
  const rooms = new RoomRegistry(storage, log, { ...DEFAULT_ROOM_OPTIONS, ...options.room })
  const votes = new VoteRegistry(rooms, log)
  const snapshots = new SnapshotService(storage, rooms, log, { ...DEFAULT_SNAPSHOT_OPTIONS, ...options.snapshots })
  const api = createApiHandler(storage, rooms, votes, snapshots, options.tokens, log)
  const serveStatic = options.staticDir ? createStaticHandler(options.staticDir) : undefined
  const alive = new WeakSet<WebSocket>()

  const http: Server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true, ...rooms.stats() })
    if (url.pathname.startsWith('/api/')) return void api(req, res, url)
    if (serveStatic && (req.method === 'GET' || req.method === 'HEAD')) return void serveStatic(res, url.pathname)
    sendJson(res, 404, { error: 'not found' })
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: Limits.maxFrameBytes })
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const rawId = url.pathname.startsWith(SYNC_PATH + '/') ? decodeURIComponent(url.pathname.slice(SYNC_PATH.length + 1)) : ''
    const boardId = parseBoardId(rawId)
    if (!boardId) {
      log.warn('refused upgrade', { path: url.pathname })
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nExpected /sync/<boardId> with a valid board id\n')
      return
    }
    const access = options.tokens.verify(url.searchParams.get('token'), boardId)
    if (!access.ok) {
      log.warn('refused upgrade', { board: boardId, reason: access.reason })
      const status = access.reason === 'missing' ? '401 Unauthorized' : '403 Forbidden'
      socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nAccess token ${access.reason}: open the board with the link you were given\n`)
      return
    }
    const upgrade = () => wss.handleUpgrade(req, socket, head, (ws) => {
      const connId = randomUUID().slice(0, 8)
      alive.add(ws)
      ws.on('pong', () => alive.add(ws))
      log.debug('connection opened', { board: boardId, conn: connId, role: access.claims.role })
      acceptConnection(ws, boardId, connId, access.claims.role, rooms, log)
    })
    // A deleted board's links stay valid, but the board must not come back from someone's copy.
    void options.storage.isDeleted(boardId).then((deleted) => {
      if (deleted) {
        socket.end('HTTP/1.1 410 Gone\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nThis board was deleted\n')
        return
      }
      upgrade()
    }, (error: unknown) => {
      log.error('upgrade failed', { board: boardId, error })
      socket.destroy()
    })
  })

  const keepalive = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate()
        continue
      }
      alive.delete(ws)
      ws.ping()
    }
  }, options.keepaliveMs ?? Limits.keepaliveMs)
  keepalive.unref()

  let closing: Promise<void> | undefined

  return {
    rooms,
    snapshots,
    listen() {
      return new Promise((resolve, reject) => {
        http.once('error', reject)
        http.listen(options.port, options.host ?? '127.0.0.1', () => {
          const { port } = http.address() as AddressInfo
          const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : 'localhost'
          resolve({ port, url: `http://${host}:${port}` })
        })
      })
    },
    close() {
      closing ??= (async () => {
        clearInterval(keepalive)
        votes.stop()
        http.close()
        await snapshots.stop()
        await rooms.unloadAll()
        for (const ws of wss.clients) ws.close(CloseCode.goingAway, 'server shutting down')
        wss.close()
        http.closeAllConnections()
        await storage.close()
      })()
      return closing
    },
  }
}
