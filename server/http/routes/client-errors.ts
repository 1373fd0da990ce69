/**
 * Errors that browsers caught in their error boundaries (a panel, a shape, the canvas), logged as
 * warnings with board and connection so an operator sees them. No token: they come from any page,
 * the lobby too — so the body is small, strict and rate-limited per address.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { CLIENT_ERRORS_PATH, CLIENT_ERRORS_PER_MINUTE, ClientErrorReport } from '../../../shared/client-error.ts'
import { errors, noContent } from '../schemas.ts'

/** A report is a few kB at most (ClientErrorLimits); the API's usual 64 kB is not needed here. */
const MAX_REPORT_BYTES = 8 * 1024

export const clientErrorRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    CLIENT_ERRORS_PATH,
    {
      schema: {
        summary: "Report an error a browser's panel, shape or canvas caught (no personal data)",
        tags: ['operations'],
        operationId: 'reportClientError',
        body: ClientErrorReport,
        response: { 204: noContent('Logged'), ...errors(400, 413, 429) },
      },
      bodyLimit: MAX_REPORT_BYTES,
      config: { rateLimit: { max: CLIENT_ERRORS_PER_MINUTE, timeWindow: 60_000, groupId: 'client-errors' } },
    },
    async (request, reply) => {
      const { where, message, stack, board, connection } = request.body
      request.log.warn({ board, conn: connection, where, message, stack }, 'client error')
      return reply.code(204).send()
    },
  )
}
