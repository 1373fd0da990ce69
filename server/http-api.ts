/** The JSON API under /api. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { HttpError, readJson, sendJson } from './http-util.ts'
import { newBoardId, parseBoardId, BOARD_ID_RULE, type BoardId } from '../shared/board-id.ts'
import { boardLink, ROLES, type Role } from '../shared/roles.ts'
import { boardPath, CastDotBody, ClaimCoFacilitatorBody, StartVoteBody, CreateBoardBody, describeZodError, OUTCOME_FORMATS, type BoardAccess, type BoardLinks, type BoardSummary, type CreatedBoard, type OutcomeFormat, type TemplateSummary } from '../shared/api.ts'
import { TEMPLATES } from '../shared/format/templates.ts'
import { makeBoard } from './board-factory.ts'
import type { Logger } from './log.ts'
import { OUTCOME_TYPES, outcomeOf, renderOutcome } from './outcome.ts'
import type { RoomRegistry } from './rooms.ts'
import { BoardExistsError, type BoardInfo, type BoardStorage } from './storage.ts'
import type { Tokens } from './tokens.ts'
import { VoteError, type VoteRegistry } from './votes.ts'
import { ARCHIVE_SCOPE, createSnapshotRoutes } from './snapshot-api.ts'
import type { SnapshotService } from './snapshots.ts'
import { facilitationOf, readFacilitation } from '../shared/facilitation.ts'
import { sha256Hex } from '../shared/sha256.ts'

const summary = (info: BoardInfo): BoardSummary => ({ ...info, path: boardPath(info.id) })

const templateSummaries: TemplateSummary[] = TEMPLATES.map((t) => ({
  id: t.id, name: t.name, description: t.description, frames: t.frames.map((f) => ({ phase: f.phase, title: f.title })),
}))

export function createApiHandler(storage: BoardStorage, rooms: RoomRegistry, votes: VoteRegistry, snapshots: SnapshotService, tokens: Tokens, log: Logger) {
  const linksFor = (id: BoardId): BoardLinks =>
    Object.fromEntries(ROLES.map((role) => [role, boardLink(id, tokens.sign(id, role))])) as BoardLinks

  /** The caller's role on the board, from `Authorization: Bearer <token>` or `?token=`. */
  const roleOf = (req: IncomingMessage, url: URL, id: BoardId, needed?: Role): Role => {
    const header = req.headers.authorization
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : url.searchParams.get('token')
    const check = tokens.verify(token, id)
    if (!check.ok) {
      if (check.reason === 'missing') throw new HttpError(401, 'this board needs an access token: open it with the link you were given')
      throw new HttpError(403, `access token ${check.reason}: ask the facilitator for a new link`)
    }
    if (needed && check.claims.role !== needed) throw new HttpError(403, `only a ${needed} may do this`)
    return check.claims.role
  }

  const boardIdFrom = (raw: string) => {
    const id = parseBoardId(decodeURIComponent(raw))
    if (!id) throw new HttpError(400, `invalid board id: ${BOARD_ID_RULE}`)
    return id
  }

  async function createBoard(req: IncomingMessage, res: ServerResponse) {
    const parsed = CreateBoardBody.safeParse(await readJson(req))
    if (!parsed.success) throw new HttpError(400, describeZodError(parsed.error))
    const board = makeBoard(parsed.data)
    for (let attempt = 0; ; attempt++) {
      try {
        const info = await storage.createBoard(newBoardId(), board.title)
        if (board.state) await storage.append(info.id, [board.state])
        log.info('board created', { board: info.id, template: parsed.data.template ?? parsed.data.example ?? 'blank' })
        const created: CreatedBoard = { ...summary(info), role: 'facilitator', links: linksFor(info.id) }
        return sendJson(res, 201, created)
      } catch (error) {
        if (!(error instanceof BoardExistsError) || attempt >= 3) throw error
      }
    }
  }

  async function outcome(req: IncomingMessage, res: ServerResponse, url: URL, rawId: string, format: OutcomeFormat) {
    const id = boardIdFrom(rawId)
    const lang = url.searchParams.get('lang') === 'en' ? 'en' : 'nl'
    roleOf(req, url, id)
    const info = await storage.getBoard(id)
    const doc = await rooms.readCopy(id)
    if (!info || !doc) throw new HttpError(404, `board ${id} does not exist`)
    const body = renderOutcome(outcomeOf(doc, info.title), format, lang)
    doc.destroy()
    res.writeHead(200, { 'content-type': OUTCOME_TYPES[format], 'cache-control': 'no-store' })
    res.end(body)
  }

  /** Dot votes: facilitators start and close; participants and facilitators place dots. */
  async function vote(req: IncomingMessage, res: ServerResponse, url: URL, id: BoardId, voteId: string | undefined, action: string | undefined) {
    const method = req.method ?? 'GET'
    const role = roleOf(req, url, id)
    const body = async <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } }) => {
      const parsed = schema.safeParse(await readJson(req))
      if (!parsed.success) throw new HttpError(400, describeZodError(parsed.error))
      return parsed.data
    }
    try {
      if (!voteId) {
        if (method !== 'POST') throw new HttpError(405, 'use POST to start a vote')
        if (role !== 'facilitator') throw new HttpError(403, 'only a facilitator may start a vote')
        const { frameId, dots, minutes } = await body(StartVoteBody)
        return sendJson(res, 201, await votes.start(id, frameId, dots, minutes))
      }
      if (action === 'mine' && method === 'GET') return sendJson(res, 200, votes.mine(id, voteId, url.searchParams.get('voter') ?? ''))
      if (action === 'dots' && method === 'POST') {
        if (role === 'viewer') throw new HttpError(403, 'viewers do not vote')
        const { voter, shapeId, delta } = await body(CastDotBody)
        return sendJson(res, 200, await votes.cast(id, voteId, voter, shapeId, delta))
      }
      if (action === 'close' && method === 'POST') {
        if (role !== 'facilitator') throw new HttpError(403, 'only a facilitator may close a vote')
        return sendJson(res, 200, await votes.close(id, voteId))
      }
      throw new HttpError(404, `no vote route ${method} ${url.pathname}`)
    } catch (error) {
      if (error instanceof VoteError) throw new HttpError(error.status, error.message)
      throw error
    }
  }

  /**
   * A person a facilitator made co-facilitator (the board's facilitation state lists the hash of
   * their browser's member key) trades the key for the facilitator link.
   */
  async function claimCoFacilitator(req: IncomingMessage, res: ServerResponse, url: URL, id: BoardId) {
    roleOf(req, url, id)
    const parsed = ClaimCoFacilitatorBody.safeParse(await readJson(req))
    if (!parsed.success) throw new HttpError(400, describeZodError(parsed.error))
    const doc = await rooms.readCopy(id)
    if (!doc) throw new HttpError(404, `board ${id} does not exist`)
    const keyHash = sha256Hex(parsed.data.memberKey)
    const listed = readFacilitation(facilitationOf(doc)).cofacilitators.find((c) => c.keyHash === keyHash)
    doc.destroy()
    if (!listed) throw new HttpError(403, 'a facilitator has not made you co-facilitator of this board')
    log.info('co-facilitator joined', { board: id, name: listed.name })
    return sendJson(res, 200, { link: linksFor(id).facilitator })
  }

  const snapshotRoutes = createSnapshotRoutes({
    storage, rooms, snapshots, log, roleOf, boardIdFrom, linksFor,
    isArchiveKey: (key) => tokens.verify(key, ARCHIVE_SCOPE).ok,
  })

  async function route(req: IncomingMessage, res: ServerResponse, url: URL) {
    const method = req.method ?? 'GET'
    const path = url.pathname
    if (await snapshotRoutes(req, res, url)) return
    const only = (allowed: string) => {
      if (method !== allowed) throw new HttpError(405, `use ${allowed} here`)
    }
    if (path === '/api/time') {
      only('GET')
      return sendJson(res, 200, { now: Date.now() })
    }
    if (path === '/api/templates') {
      only('GET')
      return sendJson(res, 200, templateSummaries)
    }
    if (path === '/api/boards') {
      only('POST')
      return createBoard(req, res)
    }
    const outcomeMatch = /^\/api\/boards\/([^/]+)\/outcome\.([a-z]+)$/.exec(path)
    if (outcomeMatch) {
      only('GET')
      const format = outcomeMatch[2] as OutcomeFormat
      if (!OUTCOME_FORMATS.includes(format)) throw new HttpError(404, `no outcome format .${format}; use ${OUTCOME_FORMATS.map((f) => '.' + f).join(', ')}`)
      return outcome(req, res, url, outcomeMatch[1]!, format)
    }
    const voteMatch = /^\/api\/boards\/([^/]+)\/votes(?:\/([^/]+)(?:\/(dots|mine|close))?)?$/.exec(path)
    if (voteMatch) return vote(req, res, url, boardIdFrom(voteMatch[1]!), voteMatch[2], voteMatch[3])
    const claimMatch = /^\/api\/boards\/([^/]+)\/cofacilitator$/.exec(path)
    if (claimMatch) {
      only('POST')
      return claimCoFacilitator(req, res, url, boardIdFrom(claimMatch[1]!))
    }
    const linksMatch = /^\/api\/boards\/([^/]+)\/links$/.exec(path)
    if (linksMatch) {
      only('GET')
      const id = boardIdFrom(linksMatch[1]!)
      roleOf(req, url, id, 'facilitator')
      return sendJson(res, 200, linksFor(id))
    }
    const match = /^\/api\/boards\/([^/]+)$/.exec(path)
    if (match) {
      only('GET')
      const id = boardIdFrom(match[1]!)
      const role = roleOf(req, url, id)
      const info = await storage.getBoard(id)
      if (!info) throw new HttpError(404, `board ${id} does not exist`)
      const access: BoardAccess = { ...summary(info), role }
      return sendJson(res, 200, access)
    }
    throw new HttpError(404, `no API route ${method} ${path}`)
  }

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname
    try {
      await route(req, res, url)
    } catch (error) {
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message })
      log.error('API request failed', { path, error: (error as Error)?.stack ?? error })
      sendJson(res, 500, { error: 'internal server error' })
    }
  }
}
