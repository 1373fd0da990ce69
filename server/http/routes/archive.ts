/**
 * The archive of every session (behind the archive key, printed at start-up) and the import of a
 * `.tldr` file as a new board.
 */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { outcomePath, type ImportedBoard } from '../../../shared/api.ts'
import type { ArchiveEntry } from '../../../shared/archive.ts'
import type { Outcome } from '../../../shared/format/model.ts'
import { serverName } from '../../../shared/server-names.ts'
import { MAX_TLDR_BYTES } from '../../../shared/tldr-file.ts'
import { importTldr } from '../../session/import-board.ts'
import { HttpError } from '../http-error.ts'
import type { ApiContext, Auth } from '../context.ts'
import { snapshotSummaryOf, summaryOf } from './boards.ts'
import { ArchiveEntrySchema, CREATE_ERRORS, CREATE_SECURITY, errors, ImportedBoardSchema } from '../schemas.ts'

/**
 * For a board nobody joined (the 2018 example, an import): the people who wrote on it or are
 * named on an action line. Boards people worked on count who joined (storage.members.count).
 */
function namesIn(outcome: Outcome): number {
  const names = new Set<string>()
  const add = (name: string) => name.trim() && names.add(name.trim().toLowerCase())
  for (const era of outcome.timeline) for (const c of era.events) add(c.author)
  for (const row of outcome.proudSorry) for (const c of [...row.proud, ...row.sorry]) add(c.author)
  for (const c of [...outcome.futures, ...outcome.flywheel, ...outcome.commonGround.notShared]) add(c.author)
  for (const line of outcome.actionLines) for (const p of [...line.trekkers, ...line.betrokkenen]) add(p.name)
  return names.size
}

export interface ArchiveRoutesOptions {
  ctx: ApiContext
  auth: Auth
  /** Rate limit of imports (per client address), as @fastify/rate-limit route config. */
  importLimit: { max: number; timeWindow: number }
}

export const archiveRoutes: FastifyPluginAsyncZod<ArchiveRoutesOptions> = async (app, { ctx, auth, importLimit }) => {
  const { storage, rooms, log } = ctx

  app.get(
    '/api/archive',
    {
      schema: {
        summary: 'Every session on the server (archive key)',
        tags: ['archive'],
        operationId: 'listArchive',
        security: [{ bearer: [] }, { keyQuery: [] }],
        querystring: z.object({ q: z.string().max(200).default(''), key: z.string().max(2000).optional() }),
        response: { 200: z.array(ArchiveEntrySchema), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const access = auth.isArchiveKey(request)
      if (access !== 'ok')
        throw new HttpError(
          access === 'missing' ? 401 : 403,
          'the archive needs the archive key (printed in the server log at start-up, or `npm run archive -- key`)',
        )
      const query = request.query.q.trim().toLowerCase()
      const entries: ArchiveEntry[] = []
      for (const info of await storage.catalogue.list()) {
        const updates = await rooms.boardUpdates(info.id)
        if (!updates) continue
        // Read in a worker thread: listing a hundred big boards must not stall the live ones.
        const { outcome, template } = await ctx.work.boardSummary(updates, info.title)
        const haystack = [
          info.title,
          outcome.session.title,
          outcome.session.centraleOpgave ?? '',
          outcome.session.region ?? '',
          template,
          ...outcome.actionLines.map((a) => a.title),
        ]
          .join(' ')
          .toLowerCase()
        if (query && !haystack.includes(query)) continue
        const [last] = await storage.snapshots.list(info.id)
        const links = auth.linksFor(info.id)
        entries.push({
          id: info.id,
          title: info.title || outcome.session.title,
          template,
          createdAt: info.createdAt,
          updatedAt: info.updatedAt,
          closedAt: info.closedAt,
          participants: (await storage.members.count(info.id)) || namesIn(outcome),
          actionLines: outcome.actionLines.length,
          lastSnapshot: last ? snapshotSummaryOf(last) : null,
          viewerLink: links.viewer,
          reportPath: outcomePath(info.id, 'html', new URL(links.viewer, 'http://x').searchParams.get('token') ?? ''),
        })
      }
      return entries
    },
  )

  // The import takes the file as the raw body, whatever its content type: its own parser, in its own scope.
  await app.register(async (scope) => {
    const raw = scope.withTypeProvider<ZodTypeProvider>()
    raw.removeAllContentTypeParsers()
    raw.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_TLDR_BYTES }, (_request, body, done) => done(null, body))
    raw.post(
      '/api/boards/import',
      {
        bodyLimit: MAX_TLDR_BYTES,
        config: { rateLimit: importLimit },
        schema: {
          summary: 'A .tldr file (the body, at most 32 MB) becomes a new board',
          tags: ['archive'],
          operationId: 'importBoard',
          security: CREATE_SECURITY,
          querystring: z.object({ title: z.string().max(2000).default('') }),
          body: z.string(),
          response: { 201: ImportedBoardSchema, ...errors(...CREATE_ERRORS, 413) },
        },
      },
      async (request, reply) => {
        ctx.creation.checkKey(request)
        await ctx.creation.checkSpace()
        const title = request.query.title.trim().slice(0, 120) || serverName('imported')
        const { info, droppedSources } = await importTldr(storage, ctx.work, request.body, title)
        log.info('board imported', { board: info.id, bytes: request.body.length, droppedSources })
        const created: ImportedBoard = { ...summaryOf(info), role: 'facilitator', links: auth.linksFor(info.id), droppedSources }
        return reply.code(201).send(created)
      },
    )
  })
}
