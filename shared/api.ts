/** What crosses the HTTP API: request validators (zod) and response types. */
import { z } from 'zod'
import { EXAMPLES } from './format/example-board.ts'
import { StakeholderGroup } from './format/model.ts'
import { TEMPLATES } from './format/templates.ts'
import type { Role } from './roles.ts'

const templateIds = TEMPLATES.map((t) => t.id)
const exampleIds = Object.keys(EXAMPLES)

export const CreateBoardBody = z
  .object({
    title: z.string().trim().max(200, 'title may be at most 200 characters').optional(),
    template: z.string().optional(),
    example: z.string().optional(),
    centraleOpgave: z.string().trim().max(1000, 'at most 1000 characters').optional(),
    targetYear: z.number().int('must be a whole year').min(2000, 'must be 2000 or later').max(2200, 'must be 2200 or earlier').optional(),
    region: z.string().trim().max(200).optional(),
    municipalities: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    dates: z
      .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD'))
      .max(10)
      .optional(),
    groups: z.array(StakeholderGroup).min(1).max(16).optional(),
    eras: z.array(z.string().trim().min(1).max(200)).max(12).optional(),
    lang: z.enum(['nl', 'en']).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (body.template !== undefined && body.example !== undefined) issue('example', 'give either a template or an example, not both')
    if (body.template !== undefined && !templateIds.includes(body.template)) issue('template', `unknown template; choose one of ${templateIds.join(', ')}`)
    if (body.example !== undefined && !exampleIds.includes(body.example)) issue('example', `unknown example; choose one of ${exampleIds.join(', ')}`)
    if (body.template !== undefined) {
      if (!body.centraleOpgave) issue('centraleOpgave', 'required with a template: the central task of the session')
      if (body.targetYear === undefined) issue('targetYear', 'required with a template: the year the future is imagined in')
    }
  })
export type CreateBoardBody = z.infer<typeof CreateBoardBody>

export interface BoardSummary {
  id: string
  title: string
  createdAt: number
  updatedAt: number
  /** Path of the board page, e.g. `/b/<id>`. */
  path: string
}

export type BoardLinks = Record<Role, string>

/** The answer to POST /api/boards: the creator is its first facilitator. */
export interface CreatedBoard extends BoardSummary {
  role: 'facilitator'
  links: BoardLinks
}

/** The answer to POST /api/boards/import. */
export interface ImportedBoard extends CreatedBoard {
  /** Image sources left out of the file: URLs of other sites, inline data that is no image (or video). */
  droppedSources: number
}

/** The answer to GET /api/boards/<id>: what the caller's token allows. */
export interface BoardAccess extends BoardSummary {
  role: Role
  /** The session's stakeholder groups, for the join dialog (absent on a blank board). */
  groups?: StakeholderGroup[]
}

export interface TemplateSummary {
  id: string
  name: { nl: string; en: string }
  description: { nl: string; en: string }
  frames: { phase: string; title: { nl: string; en: string } }[]
}

export interface ApiError {
  error: string
}

export function boardPath(id: string): string {
  return `/b/${id}`
}

export const OUTCOME_FORMATS = ['json', 'md', 'html'] as const
export type OutcomeFormat = (typeof OUTCOME_FORMATS)[number]

export function outcomePath(id: string, format: OutcomeFormat, token: string, lang: 'nl' | 'en' = 'nl'): string {
  return `/api/boards/${id}/outcome.${format}?lang=${lang}&token=${encodeURIComponent(token)}`
}

export const StartVoteBody = z
  .object({
    frameId: z.string().min(1, 'name the frame to vote in').max(200),
    dots: z.number().int('a whole number of dots').min(1, 'at least 1 dot').max(20, 'at most 20 dots'),
    minutes: z.number().min(0).max(240, 'at most 240 minutes').optional(),
  })
  .strict()
export type StartVoteBody = z.infer<typeof StartVoteBody>

/** The browser's secret member key (identity.ts): its hash, proven by its connection at connect (protocol.ts MEMBER_KEY_PARAM), is the voter. */
export const MemberKey = z.string().regex(/^[0-9a-f]{64}$/, '64 hex characters')

export const CastDotBody = z
  .object({
    memberKey: MemberKey,
    shapeId: z.string().min(1).max(200),
    delta: z.union([z.literal(1), z.literal(-1)]),
    /** Chosen by the browser, the same on every retry: a cast the server already took is not taken twice. */
    requestId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, '8–64 letters, digits, - or _')
      .optional(),
  })
  .strict()
export type CastDotBody = z.infer<typeof CastDotBody>

export interface MyDots {
  open: boolean
  dots: number
  /** Dots this voter placed, per shape id; nobody else's are ever sent before the vote closes. */
  mine: Record<string, number>
  left: number
}

/** Claiming a co-facilitator role: the browser's member key, whose SHA-256 a facilitator listed. */
export const ClaimCoFacilitatorBody = z.object({ memberKey: MemberKey }).strict()
export type ClaimCoFacilitatorBody = z.infer<typeof ClaimCoFacilitatorBody>
