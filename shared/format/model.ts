/**
 * The 24-uursconferentie as data (see ../shared/FORMAT.md): a session and its outcome.
 * Versioned, validated by zod wherever it crosses a boundary (API bodies, imported files,
 * extraction results in tests).
 */
import { z } from 'zod'

export const FORMAT_VERSION = 1

/** tldraw's note colours: a stakeholder group colours its members' contributions. */
export const NOTE_COLORS = [
  'yellow',
  'blue',
  'green',
  'orange',
  'violet',
  'red',
  'light-blue',
  'light-green',
  'light-violet',
  'light-red',
  'grey',
  'black',
] as const
export type NoteColor = (typeof NOTE_COLORS)[number]

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`)
const required = (max: number) => text(max).min(1, 'may not be empty')
const slug = z.string().regex(/^[a-z0-9-]{1,40}$/, 'use 1–40 lowercase letters, digits or -')

export const Localized = z.object({ nl: required(500), en: required(500) })
export type Localized = z.infer<typeof Localized>

export const StakeholderGroup = z.object({ id: slug, name: Localized, color: z.enum(NOTE_COLORS) })
export type StakeholderGroup = z.infer<typeof StakeholderGroup>

export const Session = z.object({
  title: required(200),
  centraleOpgave: text(1000).default(''),
  targetYear: z.number().int().min(2000).max(2200),
  region: text(200).default(''),
  municipalities: z.array(required(100)).max(50).default([]),
  dates: z
    .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD'))
    .max(10)
    .default([]),
  groups: z.array(StakeholderGroup).min(1, 'needs at least one stakeholder group').max(16),
  /** The columns of the timeline, oldest first. */
  eras: z.array(required(200)).max(12).default([]),
})
export type Session = z.infer<typeof Session>

/**
 * What the outcome and the programme keep of a person and of an action line's texts. The board's
 * cards take any length: taking lines over fits a card to these and says so (shared/take-over.ts).
 */
export const PERSON_LIMITS = { name: 120, organisation: 160 } as const
export const ACTION_LINE_LIMITS = { title: 200, motto: 500, description: 8000 } as const

export const Person = z.object({ name: required(PERSON_LIMITS.name), organisation: text(PERSON_LIMITS.organisation).default('') })
export type Person = z.infer<typeof Person>

/** The five rungs of the overheidsparticipatietrap. */
export const GEMEENTE_ROLES = ['reguleren', 'regisseren', 'stimuleren', 'faciliteren', 'loslaten'] as const
export const GemeenteRol = z.enum(GEMEENTE_ROLES)
export type GemeenteRol = z.infer<typeof GemeenteRol>

export const ACTION_LINE_STATUSES = ['idee', 'gestart', 'loopt', 'afgerond', 'gestopt'] as const
export const ActionLineStatus = z.enum(ACTION_LINE_STATUSES)
export type ActionLineStatus = z.infer<typeof ActionLineStatus>

export const Contribution = z.object({
  text: required(4000),
  author: text(120).default(''),
  groupId: z.string().default(''),
  /** Dots it got in the last dot vote over it (absent: never voted on). */
  votes: z.number().int().min(0).optional(),
})
export type Contribution = z.infer<typeof Contribution>

export const Theme = z.object({ id: z.string().min(1), title: required(200), sharedValue: text(4000).default(''), votes: z.number().int().min(0).optional() })
export type Theme = z.infer<typeof Theme>

export const ActionLine = z.object({
  id: z.string().min(1),
  /** Any number the card takes (T.positiveInteger): a line numbered 1000 is still a line. */
  number: z.number().int().min(0),
  title: required(ACTION_LINE_LIMITS.title),
  motto: text(ACTION_LINE_LIMITS.motto).default(''),
  description: text(ACTION_LINE_LIMITS.description).default(''),
  themeIds: z.array(z.string()).default([]),
  trekkers: z.array(Person).default([]),
  betrokkenen: z.array(Person).default([]),
  gemeenteRol: GemeenteRol.nullable().default(null),
  status: ActionLineStatus.default('idee'),
})
export type ActionLine = z.infer<typeof ActionLine>

export const Persona = z.object({ name: required(120), then: text(4000).default(''), now: text(4000).default('') })
export type Persona = z.infer<typeof Persona>

export const Quote = z.object({ text: required(2000), name: text(120).default(''), organisation: text(160).default('') })
export type Quote = z.infer<typeof Quote>

/** The toetsingskader: the three tests an experiment must pass (seeds/000, 5.2). */
export const EXPERIMENT_CRITERIA = ['horizon', 'noConflict', 'transformation'] as const
export const Experiment = z.object({
  title: required(200),
  description: text(4000).default(''),
  checks: z.object({ horizon: z.boolean(), noConflict: z.boolean(), transformation: z.boolean() }),
})
export type Experiment = z.infer<typeof Experiment>

/** How a report reads: like the 2018 booklet (the 24-uursconferentie), or by the board's own frames. */
export const REPORT_LAYOUTS = ['booklet', 'frames'] as const
export const ReportLayout = z.enum(REPORT_LAYOUTS)
export type ReportLayout = z.infer<typeof ReportLayout>

/** One of the board's own frames and what lies in it (cards by id: the action lines and themes are listed whole). */
export const Section = z.object({
  id: z.string(),
  title: text(500),
  phase: z.string().default(''),
  notes: z.array(Contribution),
  actionLineIds: z.array(z.string()).default([]),
  themeIds: z.array(z.string()).default([]),
})
export type Section = z.infer<typeof Section>

export const Outcome = z.object({
  version: z.literal(FORMAT_VERSION),
  session: Session,
  timeline: z.array(z.object({ era: required(200), events: z.array(Contribution) })),
  trends: z.array(z.object({ text: required(4000), priority: z.number().int().min(0).default(0) })),
  proudSorry: z.array(z.object({ groupId: z.string(), proud: z.array(Contribution), sorry: z.array(Contribution) })),
  futures: z.array(Contribution),
  personas: z.array(Persona),
  themes: z.array(Theme),
  commonGround: z.object({ themeIds: z.array(z.string()), notShared: z.array(Contribution) }),
  actionLines: z.array(ActionLine),
  quotes: z.array(Quote),
  experiments: z.array(Experiment),
  flywheel: z.array(Contribution),
  /** Notes in the parkeerplaats (parking lot): questions and ideas that did not fit a phase. */
  parkingLot: z.array(Contribution).default([]),
  /** Notes written in max-mix group frames, per group with its members, under the phase (and its frame) it worked in. */
  groupWork: z
    .array(z.object({ name: required(200), phase: z.string(), phaseFrame: z.string().default(''), members: z.array(z.string()), notes: z.array(Contribution) }))
    .default([]),
  report: ReportLayout.default('booklet'),
  /** With the `frames` report: the board's own frames in reading order, each with what lies in it. */
  sections: z.array(Section).default([]),
  /** With the `frames` report: the notes in none of the frames (nor a group frame or the parkeerplaats). */
  loose: z.array(Contribution).default([]),
})
export type Outcome = z.infer<typeof Outcome>

/** The phases of a session, in order; templates lay out a frame per phase. */
export const PHASES = ['timeline', 'trends', 'proud-sorry', 'future', 'common-ground', 'not-shared', 'action-lines', 'flywheel', 'free'] as const
export const Phase = z.enum(PHASES)
export type Phase = z.infer<typeof Phase>
