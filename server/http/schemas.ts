/**
 * What the API answers, as zod schemas: every route declares its responses with these, so the
 * OpenAPI document (/api/openapi.json) has the bodies, the errors and the status codes, and
 * Fastify serializes each answer through its schema. That serializer drops keys a schema does not
 * list, so each schema is checked below to be exactly the shared type the server builds
 * (`Same<…>`): a field added to a type and forgotten here fails the type check instead of
 * vanishing from the answer.
 */
import { z } from 'zod'
import type { BoardAccess, BoardLinks, BoardSummary, CreatedBoard, ImportedBoard, MyDots, TemplateSummary } from '../../shared/api.ts'
import type { ArchiveEntry } from '../../shared/archive.ts'
import { StakeholderGroup } from '../../shared/format/model.ts'
import {
  ActionLineRecord,
  ActionLineStatus,
  BOARD_KINDS,
  type ActionLineSummary,
  type CreatedProgramme,
  EXPERIMENT_STATES,
  type Experiment,
  ExperimentBody,
  Programme,
  type ProgrammeBoard,
  type ProgrammeView,
  type ProgressUpdate,
  type SignedUp,
  type SignUp,
  SignUpBody,
  type SmoelenboekEntry,
} from '../../shared/programme.ts'
import type { RecordDiff, SnapshotSummary } from '../../shared/snapshot.ts'
import { TRIMMED_FIELDS, type TakeOverResult } from '../../shared/take-over.ts'
import type { VoteState } from '../../shared/voting.ts'

/** Whether two types are the same, optional fields included. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const same = <A, B>(_proof: Same<A, B>) => {}

/** Every refusal of the API (server/http/app.ts's error handler): what was wrong and what to do. */
export const ErrorBody = z.object({ error: z.string() }).meta({ id: 'Error' })

const ERROR_TEXT: Record<number, string> = {
  400: 'The request is not valid: the message says which field and why',
  401: 'A token (or key) is needed and none was given',
  403: 'The token or key is not right, or its role may not do this',
  404: 'No such board, snapshot, programme or record',
  409: 'The request conflicts with what is there (a limit is reached)',
  410: 'The board was deleted by a facilitator',
  413: 'The body is too large',
  429: 'Too many requests from this address: try again later',
  503: 'The server is not ready (starting or draining)',
  507: "The server's storage is full or its quota used up",
}
/** The error answers of a route, one shared body. */
export function errors<const S extends readonly number[]>(...statuses: S) {
  return Object.fromEntries(statuses.map((s) => [s, { description: ERROR_TEXT[s] ?? 'Refused', content: { 'application/json': { schema: ErrorBody } } }])) as {
    [K in S[number]]: { description: string; content: { 'application/json': { schema: typeof ErrorBody } } }
  }
}
/** What every route of a board can refuse: bad input, no token, a wrong token, no board, a deleted board. */
export const BOARD_ERRORS = [400, 401, 403, 404, 410] as const
/** And a route that makes a board: the creation key, the rate limit, the quota. */
export const CREATE_ERRORS = [400, 401, 403, 429, 507] as const

/** An answer without a body (204). */
export const noContent = (description: string) => z.undefined().describe(description)
/** A file answer (not JSON): documented by its media type. */
export const fileResponse = (type: string, description: string) => ({ description, content: { [type]: { schema: z.string() } } })

/**
 * Security schemes of the document: a board's or programme's token as a bearer token or `?token=`,
 * the archive key as bearer or `?key=`, the creation key in X-Create-Key.
 */
export const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', description: 'A board token, programme token, archive key or METRICS_TOKEN' },
  tokenQuery: { type: 'apiKey', in: 'query', name: 'token', description: 'The token of a board or programme link' },
  keyQuery: { type: 'apiKey', in: 'query', name: 'key', description: 'The archive key' },
  createKey: { type: 'apiKey', in: 'header', name: 'x-create-key', description: 'The creation key (CREATE_KEY), when the server wants one' },
} as const
type Security = { [scheme: string]: string[] }[]
export const TOKEN_SECURITY: Security = [{ bearer: [] }, { tokenQuery: [] }]
/** No credential, or the creation key where the server has one. */
export const CREATE_SECURITY: Security = [{}, { createKey: [] }]
/** A token, and the creation key where the server has one (a route that makes a board). */
export const TOKEN_AND_CREATE_SECURITY: Security = [...TOKEN_SECURITY, { bearer: [], createKey: [] }, { tokenQuery: [], createKey: [] }]

const Localized = z.object({ nl: z.string(), en: z.string() })
const Role = z.enum(['facilitator', 'participant', 'viewer'])

export const TemplateSummarySchema = z
  .object({ id: z.string(), name: Localized, description: Localized, frames: z.array(z.object({ phase: z.string(), title: Localized })) })
  .meta({ id: 'TemplateSummary' })
same<z.output<typeof TemplateSummarySchema>, TemplateSummary>(true)

export const BoardLinksSchema = z.object({ facilitator: z.string(), participant: z.string(), viewer: z.string() }).meta({ id: 'BoardLinks' })
same<z.output<typeof BoardLinksSchema>, BoardLinks>(true)

const boardSummaryShape = { id: z.string(), title: z.string(), createdAt: z.number(), updatedAt: z.number(), path: z.string() }
export const BoardSummarySchema = z.object(boardSummaryShape)
same<z.output<typeof BoardSummarySchema>, BoardSummary>(true)
/** The storage's BoardInfo as summaryOf spreads it: closedAt travels too. */
const closedAt = { closedAt: z.number().nullable().optional() }

export const CreatedBoardSchema = z
  .object({ ...boardSummaryShape, ...closedAt, role: z.literal('facilitator'), links: BoardLinksSchema })
  .meta({ id: 'CreatedBoard' })
same<Omit<z.output<typeof CreatedBoardSchema>, 'closedAt'>, CreatedBoard>(true)
export const ImportedBoardSchema = CreatedBoardSchema.extend({ droppedSources: z.number().int() }).meta({ id: 'ImportedBoard' })
same<Omit<z.output<typeof ImportedBoardSchema>, 'closedAt'>, ImportedBoard>(true)

export const BoardAccessSchema = z
  .object({ ...boardSummaryShape, ...closedAt, role: Role, groups: z.array(StakeholderGroup).optional() })
  .meta({ id: 'BoardAccess' })
same<Omit<z.output<typeof BoardAccessSchema>, 'closedAt'>, BoardAccess>(true)

const SnapshotKind = z.enum(['manual', 'phase', 'auto', 'close', 'before-revert'])
export const SnapshotSummarySchema = z
  .object({ id: z.string(), boardId: z.string(), name: z.string(), kind: SnapshotKind, createdBy: z.string(), createdAt: z.number(), size: z.number() })
  .meta({ id: 'SnapshotSummary' })
same<z.output<typeof SnapshotSummarySchema>, SnapshotSummary>(true)

const RecordChange = z.object({ id: z.string(), type: z.string(), text: z.string() })
export const RecordDiffSchema = z
  .object({ added: z.array(RecordChange), removed: z.array(RecordChange), changed: z.array(RecordChange) })
  .meta({ id: 'RecordDiff' })
same<z.output<typeof RecordDiffSchema>, RecordDiff>(true)

/** A snapshot with its outcome (shared/format/model.ts Outcome, passed on as stored). */
export const SnapshotWithOutcomeSchema = SnapshotSummarySchema.extend({ outcome: z.looseObject({}) }).meta({ id: 'SnapshotWithOutcome' })

/** A .tldr document: tldraw's schema and records, passed on whole. */
export const TldrFileSchema = z
  .object({
    tldrawFileFormatVersion: z.number(),
    schema: z.looseObject({}),
    records: z.array(z.looseObject({ id: z.string(), typeName: z.string() })),
  })
  .meta({ id: 'TldrFile' })

export const VoteStateSchema = z
  .object({
    id: z.string(),
    frameId: z.string(),
    dots: z.number().int(),
    endsAt: z.number().nullable(),
    open: z.boolean(),
    results: z.array(z.object({ shapeId: z.string(), title: z.string(), count: z.number().int() })),
  })
  .meta({ id: 'VoteState' })
same<z.output<typeof VoteStateSchema>, VoteState>(true)

export const MyDotsSchema = z
  .object({ open: z.boolean(), dots: z.number().int(), mine: z.record(z.string(), z.number()), left: z.number() })
  .meta({ id: 'MyDots' })
same<z.output<typeof MyDotsSchema>, MyDots>(true)

export const FacilitatorNoteSchema = z
  .object({ id: z.string(), boardId: z.string(), text: z.string(), createdBy: z.string(), createdAt: z.number() })
  .meta({ id: 'FacilitatorNote' })

export const ArchiveEntrySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    template: z.string(),
    createdAt: z.number(),
    updatedAt: z.number(),
    closedAt: z.number().nullable(),
    participants: z.number().int(),
    actionLines: z.number().int(),
    lastSnapshot: SnapshotSummarySchema.nullable(),
    viewerLink: z.string(),
    reportPath: z.string(),
  })
  .meta({ id: 'ArchiveEntry' })
same<z.output<typeof ArchiveEntrySchema>, ArchiveEntry>(true)

// The vliegwiel (shared/programme.ts).
const ProgrammeLinks = z.object({ aanjager: z.string(), public: z.string() })
// The shared validators are strict (they check request bodies); a response schema only describes.
export const ProgrammeSchema = z.object({ id: z.string(), ...Programme.omit({ id: true }).shape }).meta({ id: 'Programme' })
same<z.output<typeof ProgrammeSchema>, Programme>(true)
export const ProgrammeBoardSchema = z
  .object({ boardId: z.string(), title: z.string(), kind: z.enum(BOARD_KINDS), addedAt: z.number() })
  .meta({ id: 'ProgrammeBoard' })
same<z.output<typeof ProgrammeBoardSchema>, ProgrammeBoard>(true)
export const ActionLineSchema = ActionLineRecord.meta({ id: 'ActionLine' })
same<z.output<typeof ActionLineSchema>, ActionLineRecord>(true)
export const ProgressUpdateSchema = z
  .object({
    id: z.string(),
    lineId: z.string(),
    at: z.number(),
    author: z.string(),
    text: z.string(),
    status: ActionLineStatus.nullable(),
    from: ActionLineStatus.nullable(),
  })
  .meta({ id: 'ProgressUpdate' })
same<z.output<typeof ProgressUpdateSchema>, ProgressUpdate>(true)
export const ActionLineSummarySchema = ActionLineRecord.extend({
  werkplaatsLink: z.string().optional(),
  signups: z.number().int(),
  lastUpdate: ProgressUpdateSchema.nullable(),
  stale: z.boolean().optional(),
}).meta({ id: 'ActionLineSummary' })
same<z.output<typeof ActionLineSummarySchema>, ActionLineSummary>(true)
export const ExperimentSchema = z
  .object({ id: z.string(), at: z.number(), state: z.enum(EXPERIMENT_STATES), reason: z.string(), decidedAt: z.number().nullable(), ...ExperimentBody.shape })
  .meta({ id: 'Experiment' })
same<z.output<typeof ExperimentSchema>, Experiment>(true)
const SmoelenboekEntrySchema = z.object({
  name: z.string(),
  organisation: z.string(),
  group: z.string(),
  role: z.enum(['trekker', 'betrokkene']),
  lines: z.array(z.object({ id: z.string(), number: z.number().int(), title: z.string() })),
})
same<z.output<typeof SmoelenboekEntrySchema>, SmoelenboekEntry>(true)
export const ProgrammeViewSchema = z
  .object({
    programme: ProgrammeSchema,
    role: z.enum(['aanjager', 'trekker', 'public']),
    lineId: z.string().optional(),
    boards: z.array(ProgrammeBoardSchema),
    lines: z.array(ActionLineSummarySchema),
    smoelenboek: z.array(SmoelenboekEntrySchema),
    experiments: z.array(ExperimentSchema),
    links: ProgrammeLinks.optional(),
  })
  .meta({ id: 'ProgrammeView' })
same<z.output<typeof ProgrammeViewSchema>, ProgrammeView>(true)
export const CreatedProgrammeSchema = z.object({ programme: ProgrammeSchema, links: ProgrammeLinks }).meta({ id: 'CreatedProgramme' })
same<z.output<typeof CreatedProgrammeSchema>, CreatedProgramme>(true)
export const NewBoardLinkSchema = z.object({ boardId: z.string(), link: z.string() }).meta({ id: 'NewBoardLink' })
export const SignUpSchema = z.object({ id: z.string(), lineId: z.string(), ...SignUpBody.omit({ consent: true }).shape, at: z.number() }).meta({ id: 'SignUp' })
same<z.output<typeof SignUpSchema>, SignUp>(true)
export const SignedUpSchema = z.object({ signup: SignUpSchema, manageLink: z.string() }).meta({ id: 'SignedUp' })
same<z.output<typeof SignedUpSchema>, SignedUp>(true)
export const SignUpExportSchema = z
  .object({ signup: SignUpSchema, line: z.object({ id: z.string(), number: z.number().int(), title: z.string() }), programme: z.string() })
  .meta({ id: 'SignUpExport' })
export const TakeOverResultSchema = z
  .object({
    lines: z.array(ActionLineSchema),
    trimmed: z.array(
      z.object({
        shapeId: z.string(),
        number: z.number().int(),
        title: z.string(),
        fields: z.array(z.object({ field: z.enum(TRIMMED_FIELDS), max: z.number() })),
      }),
    ),
    refused: z.array(z.object({ shapeId: z.string(), number: z.number().int(), title: z.string(), reason: z.enum(['invalid', 'full']), detail: z.string() })),
  })
  .meta({ id: 'TakeOverResult' })
same<z.output<typeof TakeOverResultSchema>, TakeOverResult>(true)
export const LinkSchema = z.object({ link: z.string() })
