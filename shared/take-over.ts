/**
 * What a board hands over to its programme (a conference's lines, a terugkomdag's decisions),
 * read from its outcome.json. The board takes any text length on an action-line card; the
 * programme keeps the outcome's limits (model.ts). So each card is fitted to them — a text cut,
 * said per line — and a card that still is no action line is refused by name, never the lot.
 */
import { z } from 'zod'
import { ACTION_LINE_LIMITS, ActionLine, PERSON_LIMITS, Session } from './format/model.ts'
import type { ActionLineRecord } from './programme.ts'

/** Only what a hand-over reads: an odd card elsewhere on the board (a long note, a persona) cannot block it. */
const HandOverOutcome = z.object({
  session: Session,
  themes: z.array(z.object({ id: z.string(), title: z.string(), sharedValue: z.string() })),
  commonGround: z.object({ themeIds: z.array(z.string()) }),
  actionLines: z.array(z.unknown()),
})

export const TRIMMED_FIELDS = ['title', 'motto', 'description', 'trekkers', 'betrokkenen'] as const
/** A text of the card cut to `max` characters (for trekkers and betrokkenen: a name or an organisation). */
export interface TrimmedField {
  field: (typeof TRIMMED_FIELDS)[number]
  max: number
}
export interface TrimmedLine {
  shapeId: string
  number: number
  /** The title as taken over (itself cut if it was too long). */
  title: string
  fields: TrimmedField[]
}
/** `invalid`: the card is no action line even after fitting (`detail` says why); `full`: the programme holds no more lines. */
export interface RefusedLine {
  shapeId: string
  number: number
  title: string
  reason: 'invalid' | 'full'
  detail: string
}

/** POST …/boards/<board>/action-lines: what taking the lines over did. */
export interface TakeOverResult {
  lines: ActionLineRecord[]
  trimmed: TrimmedLine[]
  refused: RefusedLine[]
}

export interface HandedOver {
  session: Session
  themes: { id: string; title: string; sharedValue: string }[]
  commonGround: { themeIds: string[] }
  actionLines: ActionLine[]
  trimmed: TrimmedLine[]
  refused: RefusedLine[]
}

/** `text` cut to at most `max` characters, ending in … (never half a surrogate pair). */
function cutTo(text: string, max: number): string {
  let kept = text.slice(0, max - 1)
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1)
  return `${kept.trimEnd()}…`
}

/** One action line of an outcome, fitted to the outcome's limits; or why it cannot be one. */
export function fitActionLine(raw: unknown): { ok: true; line: ActionLine; fields: TrimmedField[] } | { ok: false; refused: RefusedLine } {
  const card = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
  const fields: TrimmedField[] = []
  const fit = (field: TrimmedField['field'], value: unknown, max: number): unknown => {
    if (typeof value !== 'string' || value.trim().length <= max) return value
    if (!fields.some((f) => f.field === field && f.max === max)) fields.push({ field, max })
    return cutTo(value.trim(), max)
  }
  const people = (field: 'trekkers' | 'betrokkenen') => {
    const list = card[field]
    return Array.isArray(list)
      ? list.map((p: unknown) =>
          typeof p === 'object' && p !== null
            ? {
                ...p,
                name: fit(field, (p as Record<string, unknown>).name, PERSON_LIMITS.name),
                organisation: fit(field, (p as Record<string, unknown>).organisation, PERSON_LIMITS.organisation),
              }
            : p,
        )
      : list
  }
  const parsed = ActionLine.safeParse({
    ...card,
    title: fit('title', card.title, ACTION_LINE_LIMITS.title),
    motto: fit('motto', card.motto, ACTION_LINE_LIMITS.motto),
    description: fit('description', card.description, ACTION_LINE_LIMITS.description),
    trekkers: people('trekkers'),
    betrokkenen: people('betrokkenen'),
  })
  if (parsed.success) return { ok: true, line: parsed.data, fields }
  const title = typeof card.title === 'string' && card.title.trim() ? card.title.trim() : '—'
  return {
    ok: false,
    refused: {
      shapeId: typeof card.id === 'string' ? card.id : '',
      number: typeof card.number === 'number' && Number.isFinite(card.number) ? card.number : 0,
      title: title.length > ACTION_LINE_LIMITS.title ? cutTo(title, ACTION_LINE_LIMITS.title) : title,
      reason: 'invalid',
      detail: parsed.error.issues
        .map((i) => `${i.path.join('.') || 'card'}: ${i.message}`)
        .join('; ')
        .slice(0, 500),
    },
  }
}

/** A board's outcome (its outcome.json, parsed) as its programme takes it. */
export function handOver(outcome: unknown): HandedOver {
  const read = HandOverOutcome.parse(outcome)
  const actionLines: ActionLine[] = []
  const trimmed: TrimmedLine[] = []
  const refused: RefusedLine[] = []
  for (const raw of read.actionLines) {
    const fitted = fitActionLine(raw)
    if (!fitted.ok) {
      refused.push(fitted.refused)
      continue
    }
    actionLines.push(fitted.line)
    if (fitted.fields.length > 0) trimmed.push({ shapeId: fitted.line.id, number: fitted.line.number, title: fitted.line.title, fields: fitted.fields })
  }
  return { session: read.session, themes: read.themes, commonGround: read.commonGround, actionLines, trimmed, refused }
}
