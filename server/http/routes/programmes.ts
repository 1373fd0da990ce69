/**
 * The vliegwiel's API (server/programmes/): programmes, their boards, action lines and progress
 * updates. Roles come from the programme's links: the aanjager's (everything), a trekker's (their
 * own line), the public read link (reading). Same validation and error shape as the board API.
 * Every route that makes a board (new board, werkplaats, terugkomdag) wants the creation key as
 * POST /api/boards does: an aanjager link is a link, passed on by mail; the key is the deployer's.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { parseBoardId, type BoardId } from '../../../shared/board-id.ts'
import { findTemplate } from '../../../shared/format/templates.ts'
import {
  AddBoardBody,
  NewProgrammeBoardBody,
  CreateProgrammeBody,
  DecideExperimentBody,
  ExperimentBody,
  PatchActionLineBody,
  ProgressUpdateBody,
  SignUpBody,
  type ProgrammeRole,
} from '../../../shared/programme.ts'
import { programmeHtml, programmeIcs, programmeJson, programmeMarkdown } from '../../../shared/programme-report.ts'
import { HttpError } from '../http-error.ts'
import type { ProgrammeService } from '../../programmes/programmes.ts'
import { credentialOf, TokenQuery, type ApiContext } from '../context.ts'
import {
  ActionLineSchema,
  noContent,
  CREATE_SECURITY,
  CreatedProgrammeSchema,
  errors,
  ExperimentSchema,
  fileResponse,
  LinkSchema,
  NewBoardLinkSchema,
  ProgrammeBoardSchema,
  ProgrammeViewSchema,
  ProgressUpdateSchema,
  SignedUpSchema,
  SignUpExportSchema,
  SignUpSchema,
  TakeOverResultSchema,
  TOKEN_AND_CREATE_SECURITY,
  TOKEN_SECURITY,
} from '../schemas.ts'
import { operationIdOf } from './boards.ts'

/** What a programme route can refuse: bad input, no token, a wrong token or role, no such programme or line. */
const ERRORS = [400, 401, 403, 404] as const
const T = { tags: ['programmes'] }
/** A signed-up person's own data: their key (`?key=`, a parameter of its own), or the aanjager's token. */
const SIGNUP_SECURITY = [{}, ...TOKEN_SECURITY]

const id = z.string().regex(/^[a-z0-9]{8,32}$/, 'invalid programme id')
const ProgrammeParams = z.object({ programme: id })
const LineParams = ProgrammeParams.extend({ line: z.string().regex(/^[A-Za-z0-9_-]{1,120}$/, 'invalid action line id') })
const ProgrammeQuery = TokenQuery.extend({
  line: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,120}$/)
    .optional(),
})
const ReportQuery = TokenQuery.extend({ lang: z.enum(['nl', 'en']).catch('nl').default('nl') })
const SignUpParams = ProgrammeParams.extend({ signup: z.string().regex(/^[A-Za-z0-9]{8,32}$/, 'invalid sign-up id') })
const SignUpQuery = TokenQuery.extend({ key: z.string().max(100).optional() })
const REPORT_RESPONSES = {
  'report.md': fileResponse('text/markdown', 'The report in Markdown'),
  'report.html': fileResponse('text/html', 'The report as a web page'),
  'report.json': {
    description: 'The report data',
    content: { 'application/json': { schema: z.looseObject({ generatedDay: z.string(), programme: z.looseObject({}), lines: z.array(z.looseObject({})) }) } },
  },
  'meetings.ics': fileResponse('text/calendar', 'The next meetings (iCalendar)'),
}
const BoardIdParams = ProgrammeParams.extend({ board: z.string().refine((b) => parseBoardId(b) !== null, 'invalid board id') })

export const programmeRoutes: FastifyPluginAsyncZod<{
  ctx: ApiContext & { programmes: ProgrammeService }
  createLimit: { max: number; timeWindow: number; groupId: string }
}> = async (app, { ctx, createLimit }) => {
  const { programmes } = ctx
  /** The caller must have one of `allowed`; a trekker only for their own line (`line`). */
  const need = (access: { role: ProgrammeRole; lineId?: string }, allowed: ProgrammeRole[], line?: string) => {
    const ok = allowed.includes(access.role) && (access.role !== 'trekker' || (line !== undefined && access.lineId === line))
    if (!ok) throw new HttpError(403, allowed.includes('trekker') ? "only the aanjager or this line's trekker may do this" : 'only the aanjager may do this')
  }

  app.post(
    '/api/programmes',
    {
      schema: {
        ...T,
        operationId: 'createProgramme',
        security: CREATE_SECURITY,
        response: { 201: CreatedProgrammeSchema, ...errors(400, 401, 403, 429, 507) },
        summary: 'Start a programme (the follow-up of a conference): its aanjager and public links',
        body: CreateProgrammeBody,
      },
      config: { rateLimit: createLimit },
    },
    async (request, reply) => {
      await ctx.creation.mayCreate(request)
      return reply.code(201).send(await programmes.create(request.body))
    },
  )

  app.get(
    '/api/programmes/:programme',
    {
      schema: {
        ...T,
        operationId: 'getProgramme',
        security: TOKEN_SECURITY,
        response: { 200: ProgrammeViewSchema, ...errors(...ERRORS) },
        summary: 'The programme with its boards and action lines, as the link allows (aanjager: stale lines flagged)',
        params: ProgrammeParams,
        querystring: ProgrammeQuery,
      },
    },
    async (request) => {
      const access = programmes.links.roleOf(request.params.programme, credentialOf(request))
      return programmes.view(request.params.programme, access)
    },
  )

  app.post(
    '/api/programmes/:programme/boards',
    {
      schema: {
        ...T,
        operationId: 'addProgrammeBoard',
        security: TOKEN_SECURITY,
        response: { 201: ProgrammeBoardSchema, ...errors(...ERRORS, 409) },
        summary: "Add a board to the programme (aanjager, with the board's facilitator link)",
        params: ProgrammeParams,
        querystring: TokenQuery,
        body: AddBoardBody,
      },
    },
    async (request, reply) => {
      need(programmes.links.roleOf(request.params.programme, credentialOf(request)), ['aanjager'])
      return reply.code(201).send(await programmes.boards.addBoard(request.params.programme, request.body))
    },
  )

  app.post(
    '/api/programmes/:programme/boards/new',
    {
      schema: {
        ...T,
        operationId: 'newProgrammeBoard',
        security: TOKEN_AND_CREATE_SECURITY,
        response: { 201: NewBoardLinkSchema, ...errors(...ERRORS, 409, 429, 507) },
        summary: 'Make a new board in the programme from a template (aanjager): its facilitator link',
        params: ProgrammeParams,
        querystring: TokenQuery,
        body: NewProgrammeBoardBody,
      },
      config: { rateLimit: createLimit },
    },
    async (request, reply) => {
      const { programme } = request.params
      need(programmes.links.roleOf(programme, credentialOf(request)), ['aanjager'])
      if (!findTemplate(request.body.template)) throw new HttpError(400, `template: unknown template ${request.body.template}`)
      await ctx.creation.mayCreate(request)
      return reply.code(201).send(await programmes.boards.newBoard(programme, request.body.template, request.body.kind, request.body.lang))
    },
  )

  app.post(
    '/api/programmes/:programme/boards/:board/action-lines',
    {
      schema: {
        ...T,
        operationId: 'takeOverActionLines',
        security: TOKEN_SECURITY,
        response: { 200: TakeOverResultSchema, ...errors(...ERRORS, 409) },
        summary: "Take the board's action lines over into the programme now (aanjager; also done when the board is closed)",
        params: BoardIdParams,
        querystring: TokenQuery,
      },
    },
    async (request) => {
      const { programme, board } = request.params
      need(programmes.links.roleOf(programme, credentialOf(request)), ['aanjager'])
      if ((await programmes.boards.programmeOf(board as BoardId)) !== programme) throw new HttpError(404, `board ${board} is not in this programme`)
      return programmes.lines.takeOver(programme, board as BoardId)
    },
  )

  app.get(
    '/api/programmes/:programme/lines/:line',
    {
      schema: {
        ...T,
        operationId: 'getActionLine',
        security: TOKEN_SECURITY,
        response: { 200: z.object({ line: ActionLineSchema, updates: z.array(ProgressUpdateSchema) }), ...errors(...ERRORS) },
        summary: 'One action line with its whole history of progress updates',
        params: LineParams,
        querystring: TokenQuery,
      },
    },
    async (request) => {
      const { programme, line } = request.params
      programmes.links.roleOf(programme, credentialOf(request))
      return { line: await programmes.lines.line(programme, line), updates: await programmes.lines.updates(programme, line) }
    },
  )

  app.post(
    '/api/programmes/:programme/lines/:line/updates',
    {
      schema: {
        ...T,
        operationId: 'addProgressUpdate',
        security: TOKEN_SECURITY,
        response: { 201: ProgressUpdateSchema, ...errors(...ERRORS, 409) },
        summary: "Post a progress update, optionally with a new status (aanjager or the line's trekker)",
        params: LineParams,
        querystring: TokenQuery,
        body: ProgressUpdateBody,
      },
    },
    async (request, reply) => {
      const { programme, line } = request.params
      need(programmes.links.roleOf(programme, credentialOf(request)), ['aanjager', 'trekker'], line)
      return reply.code(201).send(await programmes.lines.addUpdate(programme, line, request.body))
    },
  )

  app.patch(
    '/api/programmes/:programme/lines/:line',
    {
      schema: {
        ...T,
        operationId: 'setNextMeeting',
        security: TOKEN_SECURITY,
        response: { 200: ActionLineSchema, ...errors(...ERRORS) },
        summary: "Set the next meeting of an action line (aanjager or the line's trekker)",
        params: LineParams,
        querystring: TokenQuery,
        body: PatchActionLineBody,
      },
    },
    async (request) => {
      const { programme, line } = request.params
      need(programmes.links.roleOf(programme, credentialOf(request)), ['aanjager', 'trekker'], line)
      return programmes.lines.setNextMeeting(programme, line, request.body.nextMeeting ?? null)
    },
  )

  app.post(
    '/api/programmes/:programme/lines/:line/werkplaats',
    {
      schema: {
        ...T,
        operationId: 'createWerkplaats',
        security: TOKEN_AND_CREATE_SECURITY,
        response: { 201: NewBoardLinkSchema, ...errors(...ERRORS, 409, 429, 507) },
        summary: "Make the action line's werkplaats board (aanjager or the line's trekker): its facilitator link",
        params: LineParams,
        querystring: TokenQuery,
      },
      config: { rateLimit: createLimit },
    },
    async (request, reply) => {
      const { programme, line } = request.params
      need(programmes.links.roleOf(programme, credentialOf(request)), ['aanjager', 'trekker'], line)
      await ctx.creation.mayCreate(request)
      return reply.code(201).send(await programmes.lines.createWerkplaats(programme, line))
    },
  )

  app.post(
    '/api/programmes/:programme/terugkomdag',
    {
      schema: {
        ...T,
        operationId: 'startTerugkomdag',
        security: TOKEN_AND_CREATE_SECURITY,
        response: { 201: NewBoardLinkSchema, ...errors(...ERRORS, 409, 429, 507) },
        summary: 'Start a follow-up meeting: a board filled from the programme as it is now (aanjager); its decisions flow back when it is closed',
        params: ProgrammeParams,
        querystring: ReportQuery,
      },
      config: { rateLimit: createLimit },
    },
    async (request, reply) => {
      const { programme } = request.params
      need(programmes.links.roleOf(programme, credentialOf(request)), ['aanjager'])
      await ctx.creation.mayCreate(request)
      return reply.code(201).send(await programmes.terugkomdag.start(programme, request.query.lang))
    },
  )

  app.post(
    '/api/boards/:board/line-updates',
    {
      schema: {
        ...T,
        operationId: 'postWerkplaatsProgress',
        security: TOKEN_SECURITY,
        response: { 201: ProgressUpdateSchema, ...errors(...ERRORS, 409, 410) },
        summary: "Post progress to the action line whose werkplaats this board is (the board's facilitator)",
        params: z.object({ board: BoardIdParams.shape.board }),
        querystring: TokenQuery,
        body: ProgressUpdateBody,
      },
    },
    async (request, reply) => {
      const board = request.params.board as BoardId
      const check = ctx.tokens.verify(credentialOf(request), board)
      if (!check.ok) throw new HttpError(check.reason === 'missing' ? 401 : 403, `access token ${check.reason}`)
      if (check.claims.role !== 'facilitator') throw new HttpError(403, "only the werkplaats's facilitators (the line's trekkers) post progress")
      return reply.code(201).send(await programmes.lines.updateFromWerkplaats(board, request.body))
    },
  )

  app.post(
    '/api/programmes/:programme/experiments',
    {
      schema: {
        ...T,
        operationId: 'proposeExperiment',
        security: TOKEN_SECURITY,
        response: { 201: ExperimentSchema, ...errors(...ERRORS, 409, 429) },
        summary: 'Propose an experiment with the three checks and why (anyone with a programme link)',
        params: ProgrammeParams,
        querystring: ProgrammeQuery,
        body: ExperimentBody,
      },
      config: { rateLimit: { ...createLimit, groupId: 'experiment' } },
    },
    async (request, reply) => {
      const { programme } = request.params
      programmes.links.roleOf(programme, credentialOf(request))
      return reply.code(201).send(await programmes.experiments.propose(programme, request.body))
    },
  )

  app.post(
    '/api/programmes/:programme/experiments/:experiment/decision',
    {
      schema: {
        ...T,
        operationId: 'decideExperiment',
        security: TOKEN_SECURITY,
        response: { 200: ExperimentSchema, ...errors(...ERRORS, 409) },
        summary: "Accept (a card on the line's werkplaats) or decline with a reason (aanjager)",
        params: ProgrammeParams.extend({ experiment: z.string().regex(/^[A-Za-z0-9]{8,32}$/, 'invalid experiment id') }),
        querystring: TokenQuery,
        body: DecideExperimentBody,
      },
    },
    async (request) => {
      const { programme, experiment } = request.params
      need(programmes.links.roleOf(programme, credentialOf(request)), ['aanjager'])
      return programmes.experiments.decide(programme, experiment, request.body.decision, request.body.reason)
    },
  )

  app.get(
    '/api/programmes/:programme/lines/:line/trekker-link',
    {
      schema: {
        ...T,
        operationId: 'getTrekkerLink',
        security: TOKEN_SECURITY,
        response: { 200: LinkSchema, ...errors(...ERRORS) },
        summary: 'The trekker link of an action line (aanjager)',
        params: LineParams,
        querystring: TokenQuery,
      },
    },
    async (request) => {
      const { programme, line } = request.params
      need(programmes.links.roleOf(programme, credentialOf(request)), ['aanjager'])
      await programmes.lines.line(programme, line)
      return { link: programmes.links.trekkerLink(programme, line) }
    },
  )

  app.post(
    '/api/programmes/:programme/lines/:line/signups',
    {
      schema: {
        ...T,
        operationId: 'signUp',
        security: TOKEN_SECURITY,
        response: { 201: SignedUpSchema, ...errors(...ERRORS, 409, 429) },
        summary: "Sign up to join an action line (anyone with a programme link; needs consent): returns the person's own link to their data",
        params: LineParams,
        querystring: TokenQuery,
        body: SignUpBody,
      },
      // Anyone with the public link may sign up: bounded per address, as creating boards is.
      config: { rateLimit: { ...createLimit, groupId: 'signup' } },
    },
    async (request, reply) => {
      const { programme, line } = request.params
      programmes.links.roleOf(programme, credentialOf(request))
      return reply.code(201).send(await programmes.signups.signUp(programme, line, request.body))
    },
  )

  app.get(
    '/api/programmes/:programme/signups',
    {
      schema: {
        ...T,
        operationId: 'listSignUps',
        security: TOKEN_SECURITY,
        response: { 200: z.array(SignUpSchema), ...errors(...ERRORS) },
        summary: 'Who signed up, with their contact (aanjager: all lines; a trekker: their own line)',
        params: ProgrammeParams,
        querystring: ProgrammeQuery,
      },
    },
    async (request) => {
      const { programme } = request.params
      return programmes.signups.signUpsFor(programme, programmes.links.roleOf(programme, credentialOf(request)))
    },
  )

  const isAanjager = (programme: string, token: string | null) => {
    try {
      return token !== null && programmes.links.roleOf(programme, token).role === 'aanjager'
    } catch {
      return false
    }
  }

  app.get(
    '/api/programmes/:programme/signups/:signup',
    {
      schema: {
        ...T,
        operationId: 'exportSignUp',
        security: SIGNUP_SECURITY,
        response: { 200: SignUpExportSchema, ...errors(...ERRORS) },
        summary: "Everything kept about one signed-up person, as JSON (the person's own link with ?key=, or the aanjager)",
        params: SignUpParams,
        querystring: SignUpQuery,
      },
    },
    async (request, reply) => {
      const { programme, signup } = request.params
      const data = await programmes.signups.exportSignUp(programme, signup, request.query.key, isAanjager(programme, credentialOf(request)))
      return reply.header('content-disposition', `attachment; filename="mijn-gegevens-${signup}.json"`).send(data)
    },
  )

  app.delete(
    '/api/programmes/:programme/signups/:signup',
    {
      schema: {
        ...T,
        operationId: 'deleteSignUp',
        security: SIGNUP_SECURITY,
        response: { 204: noContent('Removed'), ...errors(...ERRORS) },
        summary: "Remove one signed-up person's data for good (their own link with ?key=, or the aanjager)",
        params: SignUpParams,
        querystring: SignUpQuery,
      },
    },
    async (request, reply) => {
      const { programme, signup } = request.params
      await programmes.signups.deleteSignUp(programme, signup, request.query.key, isAanjager(programme, credentialOf(request)))
      return reply.code(204).send()
    },
  )

  for (const file of ['report.md', 'report.html', 'report.json', 'meetings.ics'] as const) {
    app.get(
      `/api/programmes/:programme/${file}`,
      {
        schema: {
          ...T,
          operationId: operationIdOf('getProgramme', file),
          security: TOKEN_SECURITY,
          response: { 200: REPORT_RESPONSES[file], ...errors(...ERRORS) },
          summary:
            file === 'meetings.ics'
              ? "The action lines' next meetings as a calendar (iCalendar)"
              : `The progress report as ${file.slice(7)} (what the public link shows)`,
          params: ProgrammeParams,
          querystring: ReportQuery,
        },
      },
      async (request, reply) => {
        const { programme } = request.params
        const data = await programmes.reportData(programme, programmes.links.roleOf(programme, credentialOf(request)))
        const name = `programma-${programme}`
        switch (file) {
          case 'report.md':
            return reply
              .type('text/markdown; charset=utf-8')
              .header('content-disposition', `attachment; filename="${name}.md"`)
              .send(programmeMarkdown(data, request.query.lang))
          case 'report.html':
            return reply.type('text/html; charset=utf-8').send(programmeHtml(data, request.query.lang))
          // Sent as text, so the document's loose schema of the report (REPORT_RESPONSES) does not reshape it.
          case 'report.json':
            return reply
              .type('application/json; charset=utf-8')
              .header('content-disposition', `attachment; filename="${name}.json"`)
              .send(JSON.stringify(programmeJson(data)))
          case 'meetings.ics':
            return reply
              .type('text/calendar; charset=utf-8')
              .header('content-disposition', `attachment; filename="${name}.ics"`)
              .send(programmeIcs(data, request.query.lang, request.hostname.replace(/:\d+$/, '') || 'localhost'))
        }
      },
    )
  }
}
