/**
 * Facilitator state, in the doc's `facilitation` map (only facilitators may write it; the server
 * refuses anyone else's change, and any value its key's schema below refuses). Read through
 * `readFacilitation`, which tolerates missing values and those of boards stored before.
 */
import type * as Y from 'yjs'
import { DocKey } from './doc-layout.ts'
import { z } from 'zod'
import type { TimerState } from './server-clock.ts'
import { VOTE_KEY, VoteState } from './voting.ts'
import { PRIVATE_ROUND_KEY, PrivateRound } from './private-round.ts'

export const FACILITATION = DocKey.facilitation

export const FacilitationKey = {
  agenda: 'agenda',
  phaseIndex: 'phaseIndex',
  timer: 'timer',
  summon: 'summon',
  presenter: 'presenter',
  groups: 'groups',
  crowd: 'crowd',
  spotlight: 'spotlight',
  cofacilitators: 'cofacilitators',
  /** When a facilitator lowered someone's raised hand, by member user id (ms since epoch). */
  loweredHands: 'loweredHands',
} as const

/**
 * Bounds of what the map holds: ids are tldraw ids and UUIDs (< 100 characters), names what a
 * person types in the join dialog (at most 60), an agenda a template's frames (the terugkomdag's
 * are a programme's lines, at most 500, plus 5). The board's longest instruction is 168 characters.
 */
const Id = z.string().max(200)
const Name = z.string().max(200)
const Count = (max: number) => z.number().int().min(0).max(max)
export const MAX_AGENDA_ITEMS = 1_000
const Localized = z.object({ nl: z.string().max(4_000), en: z.string().max(4_000) })
export const AgendaItem = z.object({
  phase: Id,
  title: Localized,
  instructions: Localized,
  minutes: z
    .number()
    .min(0)
    .max(24 * 60),
  frameId: Id,
})
export type AgendaItem = z.infer<typeof AgendaItem>

const Timer = z.discriminatedUnion('state', [
  z.object({ state: z.literal('idle'), durationMs: z.number() }),
  z.object({ state: z.literal('running'), endsAt: z.number(), durationMs: z.number() }),
  z.object({ state: z.literal('paused'), remainingMs: z.number(), durationMs: z.number() }),
])
const Bounds = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() })
const Summon = z.object({ nonce: Id, bounds: Bounds, by: Name })
const Spotlight = z.object({ frameId: Id, nonce: Id })
/** A person a facilitator made co-facilitator: the SHA-256 (hex) of their browser's member key. */
const CoFacilitator = z.object({ keyHash: z.string().regex(/^[0-9a-f]{64}$/), name: Name })
export type CoFacilitator = z.infer<typeof CoFacilitator>
/** A board holds at most Limits.maxMembersPerBoard (10,000) people. */
const MixedGroup = z.object({ name: Name, frameId: Id, memberIds: z.array(Id).max(10_000) })
export type MixedGroup = z.infer<typeof MixedGroup>
const LoweredHands = z.record(Id, z.number()).refine((hands) => Object.keys(hands).length <= 10_000, 'at most 10000 lowered hands')

/**
 * What each key of the map may hold: readers fall back to a default for anything else, and the
 * server refuses a change that writes anything else (server/policy/state-rules.ts).
 */
export const FacilitationEntry = {
  [FacilitationKey.agenda]: z.array(AgendaItem).max(MAX_AGENDA_ITEMS),
  [FacilitationKey.phaseIndex]: Count(MAX_AGENDA_ITEMS),
  [FacilitationKey.timer]: Timer,
  [FacilitationKey.summon]: Summon.nullable(),
  [FacilitationKey.presenter]: Id.nullable(),
  [FacilitationKey.groups]: z.array(MixedGroup).max(500),
  [FacilitationKey.crowd]: z.enum(['auto', 'on', 'off']),
  [VOTE_KEY]: VoteState.nullable(),
  [PRIVATE_ROUND_KEY]: PrivateRound.nullable(),
  [FacilitationKey.spotlight]: Spotlight.nullable(),
  [FacilitationKey.cofacilitators]: z.array(CoFacilitator).max(100),
  [FacilitationKey.loweredHands]: LoweredHands,
} as const

export interface Facilitation {
  agenda: AgendaItem[]
  phaseIndex: number
  timer: TimerState
  summon: z.infer<typeof Summon> | null
  /** The user id of the facilitator presenting (everyone follows their view), or null. */
  presenter: string | null
  groups: MixedGroup[]
  /** Crowd mode: 'auto' (by head count), or forced 'on' / 'off' by a facilitator. */
  crowd: 'auto' | 'on' | 'off'
  /** The current or last dot vote (written by the server). */
  vote: VoteState | null
  privateRound: PrivateRound | null
  /** The frame everyone's attention is on (the rest of the board is dimmed), or null. */
  spotlight: z.infer<typeof Spotlight> | null
  cofacilitators: CoFacilitator[]
  loweredHands: Record<string, number>
}

/** A phase's length when its agenda item gives none (the timer's first setting, and a reset's). */
export const DEFAULT_PHASE_MINUTES = 10

/** The idle timer set to `minutes` (a phase's, or DEFAULT_PHASE_MINUTES). */
export const idleTimer = (minutes: number = DEFAULT_PHASE_MINUTES): TimerState => ({ state: 'idle', durationMs: Math.max(0, minutes) * 60_000 })

export const DEFAULT_TIMER: TimerState = idleTimer()

export function facilitationOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(FACILITATION)
}

export function readFacilitation(map: Y.Map<unknown>): Facilitation {
  const parse = <K extends keyof typeof FacilitationEntry>(
    key: K,
    fallback: z.infer<(typeof FacilitationEntry)[K]>,
  ): z.infer<(typeof FacilitationEntry)[K]> => {
    const result = FacilitationEntry[key].safeParse(map.get(key))
    return result.success ? (result.data as z.infer<(typeof FacilitationEntry)[K]>) : fallback
  }
  const agenda = parse(FacilitationKey.agenda, [])
  return {
    agenda,
    phaseIndex: Math.min(parse(FacilitationKey.phaseIndex, 0), Math.max(0, agenda.length - 1)),
    timer: parse(FacilitationKey.timer, DEFAULT_TIMER),
    summon: parse(FacilitationKey.summon, null),
    presenter: parse(FacilitationKey.presenter, null),
    groups: parse(FacilitationKey.groups, []),
    crowd: parse(FacilitationKey.crowd, 'auto'),
    vote: parse(VOTE_KEY, null),
    privateRound: parse(PRIVATE_ROUND_KEY, null),
    spotlight: parse(FacilitationKey.spotlight, null),
    cofacilitators: parse(FacilitationKey.cofacilitators, []),
    loweredHands: parse(FacilitationKey.loweredHands, {}),
  }
}
