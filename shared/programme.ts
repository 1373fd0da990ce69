/**
 * The vliegwiel (../shared/FORMAT.md §7): a *programma* groups sessions — the conference, its
 * follow-up meetings, werkplaats boards — under one name, region and central task; the action
 * lines of its conference live on as records with a status and an append-only history of
 * progress updates, followed on the programme's public platform page (`/p/<programme>`).
 * Validators for what crosses the API, and the pure rules (staleness, taking lines over from a
 * board's outcome).
 */
import { z } from 'zod'
import { ACTION_LINE_STATUSES, ActionLineStatus, GemeenteRol, Person, type Outcome } from './format/model.ts'
import { isRealDay } from './netherlands-time.ts'

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`)
const required = (max: number) => text(max).min(1, 'may not be empty')

export { ACTION_LINE_STATUSES, ActionLineStatus }

/** A day of the calendar, YYYY-MM-DD, that exists (the calendar file has no use for 2027-13-45). */
const CalendarDay = z.string().refine(isRealDay, 'use a real day, YYYY-MM-DD')

/** The pseudo board id a programme's links are signed for (never a valid board id: it has a colon). */
export const programmeScope = (programmeId: string) => `programme:${programmeId}`
/** The pseudo board id of one action line's trekker link. */
export const trekkerScope = (programmeId: string, lineId: string) => `programme:${programmeId}:line:${lineId}`

/** Who is asking: the aanjager (everything in the programme), a trekker (one line), or the public. */
export type ProgrammeRole = 'aanjager' | 'trekker' | 'public'

export const CreateProgrammeBody = z
  .object({
    name: required(200),
    region: text(200).default(''),
    centraleOpgave: text(1000).default(''),
    municipalities: z.array(required(100)).max(50).default([]),
    /** A line without a progress update for longer than this is flagged for the aanjager. */
    staleWeeks: z.number().int().min(1).max(52).default(8),
  })
  .strict()
export type CreateProgrammeBody = z.infer<typeof CreateProgrammeBody>

export const Programme = CreateProgrammeBody.extend({
  id: z.string(),
  /** The shared values of its conference(s): theme and value. */
  sharedValues: z.array(z.object({ theme: z.string(), value: z.string() })).default([]),
  createdAt: z.number(),
})
export type Programme = z.infer<typeof Programme>

export const BOARD_KINDS = ['conference', 'terugkomdag', 'werkplaats', 'other'] as const
export const AddBoardBody = z
  .object({
    /** The board's facilitator link (or only its token): whoever adds a board must run it. */
    boardLink: required(2000),
    kind: z.enum(BOARD_KINDS).default('conference'),
  })
  .strict()
export type AddBoardBody = z.infer<typeof AddBoardBody>

export const NewProgrammeBoardBody = z
  .object({
    /** A session template (shared/format/templates.ts); the 24-uursconferentie by default. */
    template: z
      .string()
      .regex(/^[a-z0-9-]{1,60}$/)
      .default('24-uursconferentie'),
    kind: z.enum(BOARD_KINDS).default('conference'),
    lang: z.enum(['nl', 'en']).default('nl'),
  })
  .strict()

export interface ProgrammeBoard {
  boardId: string
  title: string
  kind: (typeof BOARD_KINDS)[number]
  addedAt: number
}

export const ActionLineRecord = z.object({
  id: z.string(),
  programmeId: z.string(),
  number: z.number().int(),
  title: z.string(),
  motto: z.string(),
  description: z.string(),
  themes: z.array(z.object({ title: z.string(), sharedValue: z.string() })),
  trekkers: z.array(Person),
  betrokkenen: z.array(Person),
  gemeenteRol: GemeenteRol.nullable(),
  municipalities: z.array(z.string()),
  status: ActionLineStatus,
  /** The action-line card it was taken over from. */
  source: z.object({ boardId: z.string(), shapeId: z.string(), boardTitle: z.string() }),
  /** A day stored before days were checked, and not real, reads as none. */
  nextMeeting: CalendarDay.nullable().catch(null),
  /** The line's own werkplaats board, once made. */
  werkplaatsBoardId: z.string().nullable().default(null),
  createdAt: z.number(),
  /** The latest progress update (or creation). */
  lastUpdateAt: z.number(),
})
export type ActionLineRecord = z.infer<typeof ActionLineRecord>

export const ProgressUpdateBody = z
  .object({
    text: required(4000),
    author: required(120),
    status: ActionLineStatus.optional(),
  })
  .strict()
export type ProgressUpdateBody = z.infer<typeof ProgressUpdateBody>

export interface ProgressUpdate {
  id: string
  lineId: string
  at: number
  author: string
  text: string
  /** The status the line moved to with this update, if it changed, and the one it left. */
  status: ActionLineStatus | null
  from: ActionLineStatus | null
}

export const PatchActionLineBody = z
  .object({
    nextMeeting: CalendarDay.nullable().optional(),
  })
  .strict()

/**
 * A resident signing up to join an action line: personal data, so only what the trekker needs to
 * get in touch, with consent; kept until the person (through their own link) or the aanjager
 * removes it, and exportable per person.
 */
export const SignUpBody = z
  .object({
    name: required(120),
    contact: required(200).refine((v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) || /^\+?[0-9][0-9 ()-]{5,19}$/.test(v), 'an e-mail address or a phone number'),
    organisation: text(160).default(''),
    /** Stakeholder group (as the person describes it). */
    group: text(100).default(''),
    consent: z.literal(true, 'consent: agree to the trekkers getting in touch, or do not sign up'),
    /** Also shown (name, organisation, group — never the contact) in the programme's smoelenboek. */
    smoelenboek: z.boolean().default(false),
  })
  .strict()
export type SignUpBody = z.infer<typeof SignUpBody>

export interface SignUp {
  id: string
  lineId: string
  name: string
  contact: string
  organisation: string
  group: string
  smoelenboek: boolean
  at: number
}

/** What a person who signed up gets back: their own link to see, export or remove their data. */
export interface SignedUp {
  signup: SignUp
  manageLink: string
}

/** Someone on the smoelenboek: a trekker (named on the action line) or a resident who opted in. */
export interface SmoelenboekEntry {
  name: string
  organisation: string
  group: string
  role: 'trekker' | 'betrokkene'
  lines: { id: string; number: number; title: string }[]
}

const Check = z.object({ ok: z.boolean(), why: required(2000) })

/**
 * An experiment proposed to the programme, with the toetsingskader's three checks, each with a
 * justification (seeds/000, 5.2): it contributes to the stip op de horizon and strengthens the
 * shared values; it conflicts with no shared value and no existing action line (naming any it
 * might); it is innovative and additional.
 */
export const ExperimentBody = z
  .object({
    title: required(200),
    description: text(4000).default(''),
    proposer: required(120),
    /** The action line it would belong to (its werkplaats gets the card when accepted). */
    lineId: z.string().min(1).max(120),
    horizon: Check,
    noConflict: Check.extend({ conflictsWith: z.array(z.string().min(1).max(120)).max(50).default([]) }),
    transformation: Check,
  })
  .strict()
export type ExperimentBody = z.infer<typeof ExperimentBody>

export const EXPERIMENT_STATES = ['proposed', 'accepted', 'declined'] as const
export interface Experiment extends ExperimentBody {
  id: string
  at: number
  state: (typeof EXPERIMENT_STATES)[number]
  /** The aanjager's reason when declining (or a note when accepting). */
  reason: string
  decidedAt: number | null
}

export const DecideExperimentBody = z
  .object({
    decision: z.enum(['accepted', 'declined']),
    reason: text(2000).default(''),
  })
  .strict()
  .refine((b) => b.decision === 'accepted' || b.reason.length > 0, { message: 'reason: say why it is declined', path: ['reason'] })

/** An action line as the platform lists it. */
export interface ActionLineSummary extends ActionLineRecord {
  /** The werkplaats board's link for the caller: facilitator for the aanjager and the line's trekker, viewer for others. */
  werkplaatsLink?: string
  /** People who signed up through the platform (a count: their data is the trekkers'). */
  signups: number
  lastUpdate: ProgressUpdate | null
  /** No progress update for longer than the programme's staleWeeks (shown to the aanjager only). */
  stale?: boolean
}

/** GET /api/programmes/<id>: the programme as the caller may see it. */
export interface ProgrammeView {
  programme: Programme
  role: ProgrammeRole
  /** The line a trekker's link is for. */
  lineId?: string
  boards: ProgrammeBoard[]
  lines: ActionLineSummary[]
  smoelenboek: SmoelenboekEntry[]
  experiments: Experiment[]
  /** The aanjager's and the public link (for the aanjager to share). */
  links?: { aanjager: string; public: string }
}

export interface CreatedProgramme {
  programme: Programme
  links: { aanjager: string; public: string }
}

const WEEK_MS = 7 * 86_400_000

/** Whether a line has gone without a progress update for longer than `staleWeeks`. */
export function isStale(line: Pick<ActionLineRecord, 'lastUpdateAt' | 'status'>, staleWeeks: number, now: number): boolean {
  if (line.status === 'afgerond' || line.status === 'gestopt') return false
  return now - line.lastUpdateAt > staleWeeks * WEEK_MS
}

/**
 * The action lines of a board's outcome as programme records: each keeps the id of the card it
 * came from, so taking them over again updates them instead of adding copies; themes are
 * resolved to their titles and shared values.
 */
export function linesFromOutcome(
  outcome: Pick<Outcome, 'session' | 'themes' | 'actionLines'>,
  programmeId: string,
  boardId: string,
  now: number,
  existing: ReadonlyMap<string, ActionLineRecord>,
): ActionLineRecord[] {
  const themes = new Map(outcome.themes.map((t) => [t.id, { title: t.title, sharedValue: t.sharedValue }]))
  return outcome.actionLines.map((line) => {
    const id = `${boardId}-${line.id.replace(/^shape:/, '')}`.slice(0, 120)
    const before = existing.get(id)
    return {
      id,
      programmeId,
      number: line.number,
      title: line.title,
      motto: line.motto,
      description: line.description,
      themes: line.themeIds.map((t) => themes.get(t)).filter((t): t is { title: string; sharedValue: string } => Boolean(t)),
      trekkers: line.trekkers,
      betrokkenen: line.betrokkenen,
      gemeenteRol: line.gemeenteRol,
      municipalities: outcome.session.municipalities,
      // What happened since (updates, status) is the programme's, not the card's.
      status: before?.status ?? line.status,
      source: { boardId, shapeId: line.id, boardTitle: outcome.session.title },
      nextMeeting: before?.nextMeeting ?? null,
      werkplaatsBoardId: before?.werkplaatsBoardId ?? null,
      createdAt: before?.createdAt ?? now,
      lastUpdateAt: before?.lastUpdateAt ?? now,
    }
  })
}

/** The shared values of an outcome's common ground (theme and value). */
export function sharedValuesOf(
  outcome: Pick<Outcome, 'themes'> & { commonGround: Pick<Outcome['commonGround'], 'themeIds'> },
): { theme: string; value: string }[] {
  const common = new Set(outcome.commonGround.themeIds)
  return outcome.themes.filter((t) => (common.size === 0 || common.has(t.id)) && t.sharedValue).map((t) => ({ theme: t.title, value: t.sharedValue }))
}
