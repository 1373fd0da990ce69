/**
 * Facilitator-only notes: stored beside the board (server/storage/storage.ts FacilitatorNote), never in
 * its document, and served to facilitator tokens only — participants and viewers get 403 and
 * never receive them over the WebSocket either.
 */
import { randomBytes } from 'node:crypto'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { HttpError } from '../http-error.ts'
import { BoardParams, TokenQuery, type ApiContext, type Auth } from '../context.ts'
import { BOARD_ERRORS, errors, FacilitatorNoteSchema, noContent, TOKEN_SECURITY } from '../schemas.ts'

/** Enough for a 24-hour conference's running notes; a runaway client cannot fill the disk. */
export const MAX_FACILITATOR_NOTES = 500
const NoteParams = BoardParams.extend({ note: z.string().regex(/^[A-Za-z0-9_-]{8,40}$/, 'invalid note id') })
const NoteBody = z
  .object({
    text: z.string().trim().min(1, 'text: write something').max(2000, 'text: at most 2000 characters'),
    by: z.string().trim().max(60).default(''),
  })
  .strict()

export const facilitatorNoteRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext; auth: Auth }> = async (app, { ctx: { storage }, auth }) => {
  const existing = async (id: Parameters<typeof storage.catalogue.get>[0]) => {
    if (!(await storage.catalogue.get(id))) throw new HttpError(404, `board ${id} does not exist`)
  }

  app.get(
    '/api/boards/:id/facilitator-notes',
    {
      schema: {
        summary: 'Notes only facilitators see (facilitator)',
        tags: ['facilitator notes'],
        operationId: 'listFacilitatorNotes',
        security: TOKEN_SECURITY,
        params: BoardParams,
        querystring: TokenQuery,
        response: { 200: z.array(FacilitatorNoteSchema), ...errors(...BOARD_ERRORS) },
      },
    },
    async (request) => {
      const { id } = request.params
      auth.roleOf(request, id, 'facilitator')
      await existing(id)
      return storage.notes.list(id)
    },
  )

  app.post(
    '/api/boards/:id/facilitator-notes',
    {
      schema: {
        summary: 'Add a note only facilitators see (facilitator)',
        tags: ['facilitator notes'],
        operationId: 'addFacilitatorNote',
        security: TOKEN_SECURITY,
        params: BoardParams,
        querystring: TokenQuery,
        body: NoteBody,
        response: { 201: FacilitatorNoteSchema, ...errors(...BOARD_ERRORS, 409) },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      auth.roleOf(request, id, 'facilitator')
      await existing(id)
      if ((await storage.notes.list(id)).length >= MAX_FACILITATOR_NOTES)
        throw new HttpError(409, `a board keeps at most ${MAX_FACILITATOR_NOTES} facilitator notes: delete some first`)
      const note = { id: randomBytes(9).toString('base64url'), boardId: id, text: request.body.text, createdBy: request.body.by, createdAt: Date.now() }
      await storage.notes.add(note)
      return reply.code(201).send(note)
    },
  )

  app.delete(
    '/api/boards/:id/facilitator-notes/:note',
    {
      schema: {
        summary: 'Delete a facilitator note (facilitator)',
        tags: ['facilitator notes'],
        operationId: 'deleteFacilitatorNote',
        security: TOKEN_SECURITY,
        params: NoteParams,
        querystring: TokenQuery,
        response: { 204: noContent('Deleted'), ...errors(...BOARD_ERRORS) },
      },
    },
    async (request, reply) => {
      const { id, note } = request.params
      auth.roleOf(request, id, 'facilitator')
      if (!(await storage.notes.delete(id, note))) throw new HttpError(404, `no facilitator note ${note} on board ${id}`)
      return reply.code(204).send()
    },
  )
}
