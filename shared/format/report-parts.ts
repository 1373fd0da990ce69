/**
 * The pieces every report is made of (report.ts puts them together, like the booklet or by the
 * board's frames): the neutral blocks both renderers walk, the report's strings, and how a
 * note, an action line, group work and the closing sections read.
 */
import strings from './data/report-strings.json' with { type: 'json' }
import { EXPERIMENT_CRITERIA, type ActionLine, type Contribution, type Outcome, type Person } from './model.ts'
import type { Lang } from '../lang.ts'
import { formatMessage, type MessageValues } from '../messages.ts'

export type Key = keyof (typeof strings)['nl']
export const say = (lang: Lang, key: Key, vars: MessageValues = {}) => formatMessage(lang, strings[lang][key], vars)

/** One neutral structure both renderers walk. */
export type Block =
  | { kind: 'h1' | 'h2' | 'h3'; text: string }
  | { kind: 'p'; text: string; className?: string }
  | { kind: 'quote'; text: string; by: string }
  | { kind: 'list'; items: string[] }

export function groupName(outcome: Outcome, lang: Lang, id: string): string {
  return outcome.session.groups.find((g) => g.id === id)?.name[lang] ?? say(lang, 'allGroups')
}

export const person = (p: Person) => (p.organisation ? `${p.name}, ${p.organisation}` : p.name)
/** "3 stippen" / "1 stip": the dots a card got in a vote, empty when none. */
export const dots = (lang: Lang, n: number | undefined) => (n ? say(lang, 'dots', { n }) : '')
export const contributionText = (outcome: Outcome, lang: Lang, c: Contribution) => {
  const by = [c.author, c.groupId ? groupName(outcome, lang, c.groupId) : ''].filter(Boolean).join(', ')
  const text = by ? `${c.text} (${by})` : c.text
  return c.votes ? `${text} — ${dots(lang, c.votes)}` : text
}

/** "(nog niets)" for an empty section. */
export const none = (lang: Lang, items: readonly unknown[]): Block[] => (items.length === 0 ? [{ kind: 'p', text: say(lang, 'none'), className: 'none' }] : [])
export const listOrNone = (lang: Lang, items: string[]): Block[] => (items.length ? [{ kind: 'list', items }] : none(lang, items))

/** Max-mix groups' notes under a heading "Werk in groepen — {title}", each group with its members. */
export function groupWorkBlocks(outcome: Outcome, lang: Lang, groups: Outcome['groupWork'], title: string): Block[] {
  if (groups.length === 0) return []
  const blocks: Block[] = [{ kind: 'h3', text: say(lang, 'groupWork', { phase: title }) }]
  for (const g of groups) {
    const heading = g.members.length
      ? say(lang, 'groupHeading', { name: g.name, n: g.members.length, members: g.members.join(', ') })
      : say(lang, 'groupHeadingNoMembers', { name: g.name })
    blocks.push(
      { kind: 'p', text: heading, className: 'label' },
      ...listOrNone(
        lang,
        g.notes.map((c) => contributionText(outcome, lang, c)),
      ),
    )
  }
  return blocks
}

/** An action line as the booklet prints it: number and title, motto, description, themes, betrokkenen, trekkers, rung and status. */
export function actionLineBlocks(outcome: Outcome, lang: Lang, line: ActionLine): Block[] {
  const themeTitle = new Map(outcome.themes.map((t) => [t.id, t.title]))
  const blocks: Block[] = [{ kind: 'h3', text: line.number ? `${line.number}. ${line.title}` : line.title }]
  if (line.motto) blocks.push({ kind: 'p', text: line.motto, className: 'motto' })
  for (const para of line.description.split(/\n\s*\n/).filter((p) => p.trim())) blocks.push({ kind: 'p', text: para })
  if (line.themeIds.length) {
    blocks.push(
      { kind: 'p', text: say(lang, 'themesOfLine'), className: 'label' },
      { kind: 'list', items: line.themeIds.map((id) => themeTitle.get(id) ?? id) },
    )
  }
  if (line.betrokkenen.length)
    blocks.push({ kind: 'p', text: say(lang, 'betrokkenen'), className: 'label' }, { kind: 'list', items: line.betrokkenen.map(person) })
  blocks.push({ kind: 'p', text: `${say(lang, 'trekkers')}: ${line.trekkers.map(person).join('; ') || '—'}`, className: 'trekkers' })
  const facts = [
    line.gemeenteRol && `${say(lang, 'rol')}: ${say(lang, `role.${line.gemeenteRol}` as Key)}`,
    `${say(lang, 'status')}: ${say(lang, `status.${line.status}` as Key)}`,
  ]
  blocks.push({ kind: 'p', text: facts.filter(Boolean).join(' · '), className: 'facts' })
  return blocks
}

/** A theme card: its title, the dots it got, its shared value. */
export function themeBlocks(lang: Lang, theme: Outcome['themes'][number]): Block[] {
  const blocks: Block[] = [{ kind: 'h3', text: theme.title }]
  if (theme.votes) blocks.push({ kind: 'p', text: dots(lang, theme.votes), className: 'facts' })
  for (const para of theme.sharedValue.split(/\n\s*\n/).filter((p) => p.trim())) blocks.push({ kind: 'p', text: para })
  return blocks
}

/** A persona: their name, then and now. */
export const personaBlocks = (lang: Lang, p: Outcome['personas'][number]): Block[] => [
  { kind: 'h3', text: p.name },
  { kind: 'p', text: `${say(lang, 'then')}: ${p.then}` },
  { kind: 'p', text: `${say(lang, 'now')}: ${p.now}` },
]

/** The sections that are there only when the board has them: quotes, experiments, the parkeerplaats. */
export function closingBlocks(outcome: Outcome, lang: Lang): Block[] {
  const blocks: Block[] = []
  if (outcome.quotes.length) {
    blocks.push({ kind: 'h2', text: say(lang, 'quotes') })
    for (const q of outcome.quotes) blocks.push({ kind: 'quote', text: q.text, by: [q.name, q.organisation].filter(Boolean).join(', ') })
  }
  if (outcome.experiments.length) {
    blocks.push({ kind: 'h2', text: say(lang, 'experiments') })
    for (const e of outcome.experiments) {
      blocks.push({ kind: 'h3', text: e.title })
      if (e.description) blocks.push({ kind: 'p', text: e.description })
      blocks.push({ kind: 'list', items: EXPERIMENT_CRITERIA.map((c) => `${e.checks[c] ? '✔' : '✘'} ${say(lang, `check.${c}` as Key)}`) })
    }
  }
  if (outcome.parkingLot.length) {
    blocks.push({ kind: 'h2', text: say(lang, 'parkingLot') }, { kind: 'list', items: outcome.parkingLot.map((c) => contributionText(outcome, lang, c)) })
  }
  return blocks
}
