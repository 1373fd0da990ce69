/** Snapshots: list, take, view, compare, revert, fork, and every download of one. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { CreatedBoard } from '../../../shared/api.ts'
import { CreateSnapshotBody } from '../../../shared/snapshot.ts'
import { HttpError } from '../http-error.ts'
import { tldrOf } from '../../session/exports.ts'
import { forkBoard } from '../../session/fork-board.ts'
import { snapshotDoc } from '../../session/snapshots.ts'
import { BoardParams, ByBody, LangQuery, SnapshotParams, TokenQuery, type ApiContext, type Auth } from '../context.ts'
import { EXPORTS } from '../../session/exports.ts'
import { exportResponse, operationIdOf, sendExport, sendFile, snapshotSummaryOf, summaryOf, withDoc } from './boards.ts'
import {
  BOARD_ERRORS,
  CreatedBoardSchema,
  errors,
  fileResponse,
  RecordDiffSchema,
  SnapshotSummarySchema,
  SnapshotWithOutcomeSchema,
  TldrFileSchema,
  TOKEN_AND_CREATE_SECURITY,
  TOKEN_SECURITY,
} from '../schemas.ts'

export const snapshotRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext; auth: Auth; createLimit: { max: number; timeWindow: number } }> = async (
  app,
  { ctx, auth, createLimit },
) => {
  const { storage, snapshots } = ctx

  app.get(
    '/api/boards/:id/snapshots',
    {
      schema: {
        summary: "A board's snapshots, newest first",
        tags: ['snapshots'],
        operationId: 'listSnapshots',
        security: TOKEN_SECURITY,
        params: BoardParams,
        querystring: TokenQuery,
        response: { 200: z.array(SnapshotSummarySchema), ...errors(...BOARD_ERRORS) },
      },
    },
    async (request) => {
      const { id } = request.params
      auth.roleOf(request, id)
      if (!(await storage.catalogue.get(id))) throw new HttpError(404, `board ${id} does not exist`)
      return (await storage.snapshots.list(id)).map(snapshotSummaryOf)
    },
  )

  app.post(
    '/api/boards/:id/snapshots',
    {
      schema: {
        summary: 'Take a snapshot (facilitator)',
        tags: ['snapshots'],
        operationId: 'takeSnapshot',
        security: TOKEN_SECURITY,
        params: BoardParams,
        querystring: TokenQuery,
        body: CreateSnapshotBody,
        response: { 201: SnapshotSummarySchema, ...errors(...BOARD_ERRORS, 409, 507) },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      auth.roleOf(request, id, 'facilitator')
      const taken = await snapshots.take(id, { name: request.body.name, kind: 'manual', by: request.body.by ?? '' })
      return reply.code(201).send(snapshotSummaryOf(taken))
    },
  )

  app.get(
    '/api/boards/:id/snapshots/:sid',
    {
      schema: {
        summary: 'A snapshot with its outcome',
        tags: ['snapshots'],
        operationId: 'getSnapshot',
        security: TOKEN_SECURITY,
        params: SnapshotParams,
        querystring: TokenQuery,
        response: { 200: SnapshotWithOutcomeSchema, ...errors(...BOARD_ERRORS) },
      },
    },
    async (request) => {
      const { id, sid } = request.params
      auth.roleOf(request, id)
      const { state: _s, thumbnail: _t, outcome, ...info } = await snapshots.get(id, sid)
      return { ...snapshotSummaryOf(info), outcome: JSON.parse(outcome) as Record<string, unknown> }
    },
  )

  app.post(
    '/api/boards/:id/snapshots/:sid/revert',
    {
      schema: {
        summary: 'Make the live board the snapshot again (facilitator)',
        tags: ['snapshots'],
        operationId: 'revertToSnapshot',
        security: TOKEN_SECURITY,
        params: SnapshotParams,
        querystring: TokenQuery,
        body: ByBody,
        response: { 200: z.object({ before: SnapshotSummarySchema, diff: RecordDiffSchema }), ...errors(...BOARD_ERRORS, 409, 507) },
      },
    },
    async (request) => {
      const { id, sid } = request.params
      auth.roleOf(request, id, 'facilitator')
      const { before, diff } = await snapshots.revert(id, sid, request.body.by ?? '')
      return { before: snapshotSummaryOf(before), diff }
    },
  )

  app.post(
    '/api/boards/:id/snapshots/:sid/fork',
    {
      schema: {
        summary: 'Copy the snapshot into a new board (facilitator)',
        tags: ['snapshots'],
        operationId: 'forkSnapshot',
        security: TOKEN_AND_CREATE_SECURITY,
        params: SnapshotParams,
        querystring: TokenQuery,
        body: ByBody,
        response: { 201: CreatedBoardSchema, ...errors(...BOARD_ERRORS, 429, 507) },
      },
      config: { rateLimit: createLimit },
    },
    async (request, reply) => {
      const { id, sid } = request.params
      auth.roleOf(request, id, 'facilitator')
      // A fork is a new board: the creation key too, not only the facilitator link (finding 10).
      await ctx.creation.mayCreate(request)
      const forked = await forkBoard(ctx, id, sid)
      const created: CreatedBoard = { ...summaryOf(forked), role: 'facilitator', links: auth.linksFor(forked.id) }
      return reply.code(201).send(created)
    },
  )

  app.get(
    '/api/boards/:id/snapshots/:sid/thumbnail.svg',
    {
      schema: {
        summary: "A snapshot's thumbnail",
        tags: ['snapshots'],
        operationId: 'getSnapshotThumbnail',
        security: TOKEN_SECURITY,
        params: SnapshotParams,
        querystring: TokenQuery,
        response: { 200: fileResponse('image/svg+xml', 'An SVG sketch of the snapshot'), ...errors(...BOARD_ERRORS) },
      },
    },
    async (request, reply) => {
      const { id, sid } = request.params
      auth.roleOf(request, id)
      return sendFile(reply, 'svg', (await snapshots.get(id, sid)).thumbnail)
    },
  )

  app.get(
    '/api/boards/:id/snapshots/:sid/records',
    {
      schema: {
        summary: "A snapshot's records as a .tldr document",
        tags: ['snapshots'],
        operationId: 'getSnapshotRecords',
        security: TOKEN_SECURITY,
        params: SnapshotParams,
        querystring: TokenQuery,
        response: { 200: TldrFileSchema, ...errors(...BOARD_ERRORS) },
      },
    },
    async (request) => {
      const { id, sid } = request.params
      auth.roleOf(request, id)
      // tldraw's records and schema are interfaces; the document describes them loosely (TldrFileSchema).
      return withDoc(snapshotDoc(await snapshots.get(id, sid)), id, (doc) => tldrOf(doc) as unknown as z.input<typeof TldrFileSchema>)
    },
  )

  app.get(
    '/api/boards/:id/snapshots/:sid/compare',
    {
      schema: {
        summary: 'Cards added, removed and changed against the live board or another snapshot',
        tags: ['snapshots'],
        operationId: 'compareSnapshot',
        security: TOKEN_SECURITY,
        params: SnapshotParams,
        querystring: TokenQuery.extend({ with: z.string().max(64).default('live') }),
        response: { 200: RecordDiffSchema, ...errors(...BOARD_ERRORS) },
      },
    },
    async (request) => {
      const { id, sid } = request.params
      auth.roleOf(request, id)
      return snapshots.compare(id, sid, request.query.with)
    },
  )

  for (const what of EXPORTS) {
    app.get(
      `/api/boards/:id/snapshots/:sid/${what}`,
      {
        schema: {
          summary: `A snapshot as ${what}`,
          tags: ['exports'],
          operationId: operationIdOf('getSnapshot', what),
          security: TOKEN_SECURITY,
          params: SnapshotParams,
          querystring: LangQuery,
          response: { 200: exportResponse(what), ...errors(...BOARD_ERRORS) },
        },
      },
      async (request, reply) => {
        const { id, sid } = request.params
        auth.roleOf(request, id)
        const snapshot = await snapshots.get(id, sid)
        const info = await storage.catalogue.get(id)
        if (!info) throw new HttpError(404, `board ${id} does not exist`)
        return sendExport(reply, ctx.work, [snapshot.state], `${info.title} — ${snapshot.name}`, what, request.query.lang)
      },
    )
  }
}
