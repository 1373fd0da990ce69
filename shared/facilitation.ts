/**
 * Facilitator state, in the doc's `facilitation` map (only facilitators may write it; the server
 * refuses anyone else's change). Read through `readFacilitation`, which tolerates missing or
 * malformed values.
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

const Localized = z.object({ nl: z.string(), en: z.string() })
export const AgendaItem = z.object({ phase: z.string(), title: Localized, instructions: Localized, minutes: z.number().min(0), frameId: z.string() })
export type AgendaItem = z.infer<typeof AgendaItem>

const Timer = z.discriminatedUnion('state', [
  z.object({ state: z.literal('idle'), durationMs: z.number() }),
  z.object({ state: z.literal('running'), endsAt: z.number(), durationMs: z.number() }),
  z.object({ state: z.literal('paused'), remainingMs: z.number(), durationMs: z.number() }),
])
const Bounds = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() })
const Summon = z.object({ nonce: z.string(), bounds: Bounds, by: z.string() })
const Spotlight = z.object({ frameId: z.string(), nonce: z.string() })
/** A person a facilitator made co-facilitator: the SHA-256 (hex) of their browser's member key. */
const CoFacilitator = z.object({ keyHash: z.string().regex(/^[0-9a-f]{64}$/), name: z.string() })
export type CoFacilitator = z.infer<typeof CoFacilitator>
const MixedGroup = z.object({ name: z.string(), frameId: z.string(), memberIds: z.array(z.string()) })
export type MixedGroup = z.infer<typeof MixedGroup>

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

export const DEFAULT_TIMER: TimerState = { state: 'idle', durationMs: 10 * 60_000 }

export function facilitationOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(FACILITATION)
}

export function readFacilitation(map: Y.Map<unknown>): Facilitation {
  const parse = <T>(schema: z.ZodType<T>, key: string, fallback: T): T => {
    const result = schema.safeParse(map.get(key))
    return result.success ? result.data : fallback
  }
  const agenda = parse(z.array(AgendaItem), FacilitationKey.agenda, [])
  return {
    agenda,
    phaseIndex: Math.min(Math.max(0, parse(z.number().int(), FacilitationKey.phaseIndex, 0)), Math.max(0, agenda.length - 1)),
    timer: parse(Timer, FacilitationKey.timer, DEFAULT_TIMER),
    summon: parse(Summon.nullable(), FacilitationKey.summon, null),
    presenter: parse(z.string().nullable(), FacilitationKey.presenter, null),
    groups: parse(z.array(MixedGroup), FacilitationKey.groups, []),
    crowd: parse(z.enum(['auto', 'on', 'off']), FacilitationKey.crowd, 'auto'),
    vote: parse(VoteState.nullable(), VOTE_KEY, null),
    privateRound: parse(PrivateRound.nullable(), PRIVATE_ROUND_KEY, null),
    spotlight: parse(Spotlight.nullable(), FacilitationKey.spotlight, null),
    cofacilitators: parse(z.array(CoFacilitator), FacilitationKey.cofacilitators, []),
    loweredHands: parse(z.record(z.string(), z.number()), FacilitationKey.loweredHands, {}),
  }
}
