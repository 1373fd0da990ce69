/** Dot votes: facilitators start and close; participants and facilitators place dots. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { CastDotBody, MemberKey, StartVoteBody } from '../../../shared/api.ts'
import { HttpError } from '../http-error.ts'
import { BoardParams, TokenQuery, type ApiContext, type Auth } from '../context.ts'
import { BOARD_ERRORS, errors, MyDotsSchema, TOKEN_SECURITY, VoteStateSchema } from '../schemas.ts'

const VoteParams = BoardParams.extend({ vote: z.string().min(1).max(64) })

export const voteRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext; auth: Auth }> = async (app, { ctx: { votes }, auth }) => {
  app.post(
    '/api/boards/:id/votes',
    {
      schema: {
        summary: 'Start a dot vote on a frame (facilitator)',
        tags: ['votes'],
        operationId: 'startVote',
        security: TOKEN_SECURITY,
        params: BoardParams,
        querystring: TokenQuery,
        body: StartVoteBody,
        response: { 201: VoteStateSchema, ...errors(...BOARD_ERRORS, 409) },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      if (auth.roleOf(request, id) !== 'facilitator') throw new HttpError(403, 'only a facilitator may start a vote')
      const { frameId, dots, minutes } = request.body
      return reply.code(201).send(await votes.start(id, frameId, dots, minutes))
    },
  )

  app.get(
    '/api/boards/:id/votes/:vote/mine',
    {
      schema: {
        summary: "This browser's own dots (its member key in X-Member-Key)",
        tags: ['votes'],
        operationId: 'getMyDots',
        security: TOKEN_SECURITY,
        params: VoteParams,
        querystring: TokenQuery,
        headers: z.object({ 'x-member-key': MemberKey }),
        response: { 200: MyDotsSchema, ...errors(...BOARD_ERRORS) },
      },
    },
    async (request) => {
      const { id, vote } = request.params
      auth.roleOf(request, id)
      return votes.mine(id, vote, await votes.voterOf(id, request.headers['x-member-key']))
    },
  )

  app.post(
    '/api/boards/:id/votes/:vote/dots',
    {
      schema: {
        summary: 'Place or take back a dot',
        tags: ['votes'],
        operationId: 'castDot',
        security: TOKEN_SECURITY,
        params: VoteParams,
        querystring: TokenQuery,
        body: CastDotBody,
        response: { 200: MyDotsSchema, ...errors(...BOARD_ERRORS, 409) },
      },
    },
    async (request) => {
      const { id, vote } = request.params
      if (auth.roleOf(request, id) === 'viewer') throw new HttpError(403, 'viewers do not vote')
      const { memberKey, shapeId, delta, requestId } = request.body
      return votes.cast(id, vote, await votes.voterOf(id, memberKey), shapeId, delta, requestId)
    },
  )

  app.post(
    '/api/boards/:id/votes/:vote/close',
    {
      schema: {
        summary: 'Close the vote and write the tallies (facilitator)',
        tags: ['votes'],
        operationId: 'closeVote',
        security: TOKEN_SECURITY,
        params: VoteParams,
        querystring: TokenQuery,
        response: { 200: VoteStateSchema, ...errors(...BOARD_ERRORS) },
      },
    },
    async (request) => {
      const { id, vote } = request.params
      if (auth.roleOf(request, id) !== 'facilitator') throw new HttpError(403, 'only a facilitator may close a vote')
      return votes.close(id, vote)
    },
  )
}
