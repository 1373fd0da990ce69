/** Snapshots: list, take, view, compare, revert, fork, and every download of one. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { CreatedBoard } from '../../../shared/api.ts'
import { CreateSnapshotBody } from '../../../shared/snapshot.ts'
import { HttpError } from '../http-error.ts'
import { tldrOf } from '../../session/exports.ts'
import { snapshotDoc } from '../../session/snapshots.ts'
import { BoardParams, ByBody, LangQuery, SnapshotParams, TokenQuery, type ApiContext, type Auth } from '../context.ts'
import { EXPORTS } from '../../session/exports.ts'
import { sendExport, sendFile, snapshotSummaryOf, summaryOf, withDoc } from './boards.ts'

export const snapshotRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext; auth: Auth; createLimit: { max: number; timeWindow: number } }> = async (app, { ctx, auth, createLimit }) => {
  const { storage, snapshots } = ctx

  app.get('/api/boards/:id/snapshots', { schema: { summary: "A board's snapshots, newest first", params: BoardParams, querystring: TokenQuery } }, async (request) => {
    const { id } = request.params
    auth.roleOf(request, id)
    if (!(await storage.catalogue.get(id))) throw new HttpError(404, `board ${id} does not exist`)
    return (await storage.snapshots.list(id)).map(snapshotSummaryOf)
  })

  app.post('/api/boards/:id/snapshots', { schema: { summary: 'Take a snapshot (facilitator)', params: BoardParams, querystring: TokenQuery, body: CreateSnapshotBody } }, async (request, reply) => {
    const { id } = request.params
    auth.roleOf(request, id, 'facilitator')
    const taken = await snapshots.take(id, { name: request.body.name, kind: 'manual', by: request.body.by ?? '' })
    return reply.code(201).send(snapshotSummaryOf(taken))
  })

  app.get('/api/boards/:id/snapshots/:sid', { schema: { summary: 'A snapshot with its outcome', params: SnapshotParams, querystring: TokenQuery } }, async (request) => {
    const { id, sid } = request.params
    auth.roleOf(request, id)
    const { state: _s, thumbnail: _t, outcome, ...info } = await snapshots.get(id, sid)
    return { ...snapshotSummaryOf(info), outcome: JSON.parse(outcome) as unknown }
  })

  app.post('/api/boards/:id/snapshots/:sid/revert', {
    schema: { summary: 'Make the live board the snapshot again (facilitator)', params: SnapshotParams, querystring: TokenQuery, body: ByBody },
  }, async (request) => {
    const { id, sid } = request.params
    auth.roleOf(request, id, 'facilitator')
    const { before, diff } = await snapshots.revert(id, sid, request.body.by ?? '')
    return { before: snapshotSummaryOf(before), diff }
  })

  app.post('/api/boards/:id/snapshots/:sid/fork', {
    schema: { summary: 'Copy the snapshot into a new board (facilitator)', params: SnapshotParams, querystring: TokenQuery, body: ByBody },
    config: { rateLimit: createLimit },
  }, async (request, reply) => {
    const { id, sid } = request.params
    auth.roleOf(request, id, 'facilitator')
    // A fork is a new board: the creation key too, not only the facilitator link (finding 10).
    await ctx.creation.mayCreate(request)
    const forked = await snapshots.fork(id, sid)
    const created: CreatedBoard = { ...summaryOf(forked), role: 'facilitator', links: auth.linksFor(forked.id) }
    return reply.code(201).send(created)
  })

  app.get('/api/boards/:id/snapshots/:sid/thumbnail.svg', { schema: { summary: "A snapshot's thumbnail", params: SnapshotParams, querystring: TokenQuery } }, async (request, reply) => {
    const { id, sid } = request.params
    auth.roleOf(request, id)
    return sendFile(reply, 'svg', (await snapshots.get(id, sid)).thumbnail)
  })

  app.get('/api/boards/:id/snapshots/:sid/records', { schema: { summary: "A snapshot's records as a .tldr document", params: SnapshotParams, querystring: TokenQuery } }, async (request) => {
    const { id, sid } = request.params
    auth.roleOf(request, id)
    return withDoc(snapshotDoc(await snapshots.get(id, sid)), id, (doc) => tldrOf(doc))
  })

  app.get('/api/boards/:id/snapshots/:sid/compare', {
    schema: { summary: 'Cards added, removed and changed against the live board or another snapshot', params: SnapshotParams, querystring: TokenQuery.extend({ with: z.string().max(64).default('live') }) },
  }, async (request) => {
    const { id, sid } = request.params
    auth.roleOf(request, id)
    return snapshots.compare(id, sid, request.query.with)
  })

  for (const what of EXPORTS) {
    app.get(`/api/boards/:id/snapshots/:sid/${what}`, { schema: { summary: `A snapshot as ${what}`, params: SnapshotParams, querystring: LangQuery } }, async (request, reply) => {
      const { id, sid } = request.params
      auth.roleOf(request, id)
      const snapshot = await snapshots.get(id, sid)
      const info = await storage.catalogue.get(id)
      if (!info) throw new HttpError(404, `board ${id} does not exist`)
      return sendExport(reply, ctx.work, [snapshot.state], `${info.title} — ${snapshot.name}`, what, request.query.lang)
    })
  }
}
