/**
 * Boards: create, read, links, the outcome report, co-facilitators, exports, close and delete.
 * Reading needs any token of the board; changing needs the facilitator's.
 */
import type { FastifyReply } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type * as Y from 'yjs'
import {
  boardPath,
  ClaimCoFacilitatorBody,
  CreateBoardBody,
  type BoardAccess,
  type BoardSummary,
  type CreatedBoard,
  type TemplateSummary,
} from '../../../shared/api.ts'
import { newBoardId, type BoardId } from '../../../shared/board-id.ts'
import { metaOf, MetaKey } from '../../../shared/doc-layout.ts'
import { Session } from '../../../shared/format/model.ts'
import { facilitationOf, readFacilitation } from '../../../shared/facilitation.ts'
import { TEMPLATES } from '../../../shared/format/templates.ts'
import { sha256Hex } from '../../../shared/sha256.ts'
import type { SnapshotSummary } from '../../../shared/snapshot.ts'
import { makeBoard } from '../../session/board-factory.ts'
import { closeSession } from '../../session/close-session.ts'
import { deleteBoard } from '../../session/delete-board.ts'
import { fileNameOf } from '../../../shared/file-name.ts'
import { EXPORTS, type ExportName } from '../../session/exports.ts'
import type { BoardWork } from '../../room/board-work.ts'
import { HttpError } from '../http-error.ts'
import { OUTCOME_TYPES } from '../../session/outcome.ts'
import { BoardExistsError, type BoardInfo, type SnapshotInfo } from '../../storage/storage.ts'
import { BoardParams, ByBody, LangQuery, TokenQuery, type ApiContext, type Auth } from '../context.ts'
import { z } from 'zod'
import {
  BOARD_ERRORS,
  BoardAccessSchema,
  BoardLinksSchema,
  CREATE_ERRORS,
  CREATE_SECURITY,
  CreatedBoardSchema,
  errors,
  fileResponse,
  LinkSchema,
  SnapshotSummarySchema,
  TemplateSummarySchema,
  TOKEN_SECURITY,
} from '../schemas.ts'

export const summaryOf = (info: BoardInfo): BoardSummary => ({ ...info, path: boardPath(info.id) })
export const snapshotSummaryOf = ({ contentHash: _hash, ...info }: SnapshotInfo): SnapshotSummary => info

const templateSummaries: TemplateSummary[] = TEMPLATES.map((t) => ({
  id: t.id,
  name: t.name,
  description: t.description,
  frames: t.frames.map((f) => ({ phase: f.phase, title: f.title })),
}))

export const FILE_TYPES = {
  ...OUTCOME_TYPES,
  svg: 'image/svg+xml',
  tldr: 'application/json; charset=utf-8',
  zip: 'application/zip',
  pdf: 'application/pdf',
} as const

/** A file answer: its type, never cached (boards change), optionally as a download. */
export function sendFile(reply: FastifyReply, type: keyof typeof FILE_TYPES, body: string | Buffer, download?: string) {
  reply.header('content-type', FILE_TYPES[type]).header('cache-control', 'no-store')
  if (download) reply.header('content-disposition', `attachment; filename="${download}"`)
  return reply.send(body)
}

/** Runs `fn` on a board document (a copy the caller owns) and frees it; 404 without one. */
export async function withDoc<T>(doc: Y.Doc | null, id: BoardId, fn: (doc: Y.Doc) => T): Promise<T> {
  if (!doc) throw new HttpError(404, `board ${id} does not exist`)
  try {
    return fn(doc)
  } finally {
    doc.destroy()
  }
}

/** `getBoard` + `outcome.pdf` → `getBoardOutcomePdf`. */
export const operationIdOf = (prefix: string, file: string) =>
  prefix +
  file
    .split(/[.-]/)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')
/** The documented answer of a download. */
export const exportResponse = (what: ExportName) => {
  const type = FILE_TYPES[EXPORT_FILES[what].type].split(';')[0]!
  // A JSON file is sent as made (a string, so never reshaped by this schema): documented as an object.
  return type === 'application/json'
    ? { description: `The file ${what}`, content: { [type]: { schema: z.looseObject({}) } } }
    : fileResponse(type, `The file ${what}`)
}

const EXPORT_FILES: Record<ExportName, { type: keyof typeof FILE_TYPES; download?: string }> = {
  'export.tldr': { type: 'tldr', download: 'tldr' },
  'archive.zip': { type: 'zip', download: 'zip' },
  'map.svg': { type: 'svg' },
  'outcome.json': { type: 'json' },
  'outcome.md': { type: 'md' },
  'outcome.html': { type: 'html' },
  'outcome.pdf': { type: 'pdf', download: 'pdf' },
}

/**
 * One download of a board or snapshot (its stored bytes), made in a worker thread
 * (server/room/board-work.ts): a big board's archive or PDF does not hold up anyone's edits.
 */
export async function sendExport(
  reply: FastifyReply,
  work: BoardWork,
  updates: Uint8Array[],
  title: string,
  what: ExportName,
  lang: 'nl' | 'en',
  late: Uint8Array[] = [],
) {
  const body = await work.exportFile({ updates, title, what, lang, late })
  const file = EXPORT_FILES[what]
  return sendFile(
    reply,
    file.type,
    typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
    file.download && `${fileNameOf(title, 'bord')}.${file.download}`,
  )
}

export interface BoardRoutesOptions {
  ctx: ApiContext
  auth: Auth
  /** Rate limit of board creation (per client address), as @fastify/rate-limit route config. */
  createLimit: { max: number; timeWindow: number }
}

export const boardRoutes: FastifyPluginAsyncZod<BoardRoutesOptions> = async (app, { ctx, auth, createLimit }) => {
  const { storage, rooms, log } = ctx

  const boardInfo = async (id: BoardId): Promise<BoardInfo> => {
    const info = await storage.catalogue.get(id)
    if (!info) throw new HttpError(404, `board ${id} does not exist`)
    return info
  }

  app.get(
    '/api/time',
    { schema: { summary: "The server's clock, for the timer", tags: ['boards'], operationId: 'getTime', response: { 200: z.object({ now: z.number() }) } } },
    async () => ({ now: Date.now() }),
  )

  app.get(
    '/api/templates',
    { schema: { summary: 'The session templates', tags: ['boards'], operationId: 'listTemplates', response: { 200: z.array(TemplateSummarySchema) } } },
    async () => templateSummaries,
  )

  app.post(
    '/api/boards',
    {
      schema: {
        summary: 'Create a board: blank, from a template, or the example',
        tags: ['boards'],
        operationId: 'createBoard',
        security: CREATE_SECURITY,
        body: CreateBoardBody,
        response: { 201: CreatedBoardSchema, ...errors(...CREATE_ERRORS) },
      },
      config: { rateLimit: createLimit },
    },
    async (request, reply) => {
      await ctx.creation.mayCreate(request)
      const board = makeBoard(request.body)
      for (let attempt = 0; ; attempt++) {
        try {
          const info = await storage.catalogue.create(newBoardId(), board.title)
          if (board.state) await storage.log.append(info.id, [board.state])
          log.info('board created', { board: info.id, template: request.body.template ?? request.body.example ?? 'blank', reqId: request.id })
          const created: CreatedBoard = { ...summaryOf(info), role: 'facilitator', links: auth.linksFor(info.id) }
          return reply.code(201).send(created)
        } catch (error) {
          if (!(error instanceof BoardExistsError) || attempt >= 3) throw error
        }
      }
    },
  )

  app.get(
    '/api/boards/:id',
    {
      schema: {
        summary: "A board's summary and the caller's role",
        tags: ['boards'],
        operationId: 'getBoard',
        security: TOKEN_SECURITY,
        params: BoardParams,
        querystring: TokenQuery,
        response: { 200: BoardAccessSchema, ...errors(...BOARD_ERRORS) },
      },
    },
    async (request) => {
      const { id } = request.params
      const role = auth.roleOf(request, id)
      const info = await boardInfo(id)
      const session = await rooms.read(id, (doc) => Session.safeParse(metaOf(doc).get(MetaKey.session)))
      if (!session) throw new HttpError(404, `board ${id} does not exist`)
      const access: BoardAccess = { ...summaryOf(info), role, ...(session.success ? { groups: session.data.groups } : {}) }
      return access
    },
  )

  app.delete(
    '/api/boards/:id',
    {
      schema: {
        summary: 'Delete a board and its snapshots (facilitator)',
        tags: ['boards'],
        operationId: 'deleteBoard',
        security: TOKEN_SECURITY,
        params: BoardParams,
        querystring: TokenQuery,
        response: { 200: z.object({ deleted: z.string() }), ...errors(...BOARD_ERRORS) },
      },
    },
    async (request) => {
      const { id } = request.params
      auth.roleOf(request, id, 'facilitator')
      await deleteBoard(ctx, id)
      return { deleted: id }
    },
  )

  app.get(
    '/api/boards/:id/links',
    {
      schema: {
        summary: 'The three links of a board (facilitator)',
        tags: ['boards'],
        operationId: 'getBoardLinks',
        security: TOKEN_SECURITY,
        params: BoardParams,
        querystring: TokenQuery,
        response: { 200: BoardLinksSchema, ...errors(...BOARD_ERRORS) },
      },
    },
    async (request) => {
      auth.roleOf(request, request.params.id, 'facilitator')
      return auth.linksFor(request.params.id)
    },
  )

  /**
   * A person a facilitator made co-facilitator (the board's facilitation state lists the hash of
   * their browser's member key) trades the key for the facilitator link.
   */
  app.post(
    '/api/boards/:id/cofacilitator',
    {
      schema: {
        summary: 'Trade a member key a facilitator listed for the facilitator link',
        tags: ['boards'],
        operationId: 'claimCoFacilitator',
        security: TOKEN_SECURITY,
        params: BoardParams,
        querystring: TokenQuery,
        body: ClaimCoFacilitatorBody,
        response: { 200: LinkSchema, ...errors(...BOARD_ERRORS) },
      },
    },
    async (request) => {
      const { id } = request.params
      auth.roleOf(request, id)
      const keyHash = sha256Hex(request.body.memberKey)
      const listed = await rooms.read(id, (doc) => readFacilitation(facilitationOf(doc)).cofacilitators.find((c) => c.keyHash === keyHash))
      if (!listed) throw new HttpError(403, 'a facilitator has not made you co-facilitator of this board')
      log.info('co-facilitator joined', { board: id, name: listed.name })
      return { link: auth.linksFor(id).facilitator }
    },
  )

  app.post(
    '/api/boards/:id/close',
    {
      schema: {
        summary: 'Close the session: a final snapshot, then read-only (facilitator)',
        tags: ['boards'],
        operationId: 'closeBoard',
        security: TOKEN_SECURITY,
        params: BoardParams,
        querystring: TokenQuery,
        body: ByBody,
        response: { 200: z.object({ closedAt: z.number().nullable(), snapshot: SnapshotSummarySchema }), ...errors(...BOARD_ERRORS) },
      },
    },
    async (request) => {
      const { id } = request.params
      auth.roleOf(request, id, 'facilitator')
      const { closedAt, snapshot } = await closeSession(ctx, id, request.body.by ?? '')
      return { closedAt, snapshot: snapshotSummaryOf(snapshot) }
    },
  )

  for (const what of EXPORTS) {
    app.get(
      `/api/boards/:id/${what}`,
      {
        schema: {
          summary: `The board as ${what}`,
          tags: ['exports'],
          operationId: operationIdOf('getBoard', what),
          security: TOKEN_SECURITY,
          params: BoardParams,
          querystring: LangQuery,
          response: { 200: exportResponse(what), ...errors(...BOARD_ERRORS) },
        },
      },
      async (request, reply) => {
        const { id } = request.params
        auth.roleOf(request, id)
        const info = await boardInfo(id)
        const late = what === 'archive.zip' ? await storage.log.loadLateUpdates(id) : []
        const updates = await rooms.boardUpdates(id)
        if (!updates) throw new HttpError(404, `board ${id} does not exist`)
        return sendExport(reply, ctx.work, updates, info.title, what, request.query.lang, late)
      },
    )
  }
}
