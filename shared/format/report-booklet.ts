/**
 * The 24-uursconferentie's report, shaped like the 2018 booklet: tijdlijn, ontwikkelingen,
 * trots & sorry, toekomstbeeld, common ground, actielijnen, uitspraken, experimenten, vliegwiel.
 */
import type { Outcome } from './model.ts'
import {
  actionLineBlocks,
  closingBlocks,
  contributionText,
  dots,
  groupName,
  groupWorkBlocks,
  listOrNone,
  none,
  personaBlocks,
  say,
  themeBlocks,
  type Block,
  type Key,
} from './report-parts.ts'
import type { Lang } from '../lang.ts'

/** The report section a phase's group work goes under. */
const SECTION_OF_PHASE: Record<string, Key> = {
  timeline: 'timeline',
  trends: 'trends',
  'proud-sorry': 'proudSorry',
  future: 'future',
  'common-ground': 'commonGround',
  'not-shared': 'commonGround',
  'action-lines': 'actionLines',
  flywheel: 'flywheel',
}

export function bookletSections(outcome: Outcome, lang: Lang): Block[] {
  const s = outcome.session
  const blocks: Block[] = []
  const list = (items: string[]) => listOrNone(lang, items)
  // Group work (max-mix groups) closes the section of the phase it was done in; other group work ends the report.
  const groupWork = (section: Key | null) => {
    const groups = outcome.groupWork.filter((g) => (SECTION_OF_PHASE[g.phase] ?? null) === section)
    blocks.push(...groupWorkBlocks(outcome, lang, groups, section ? say(lang, section, { targetYear: s.targetYear }) : say(lang, 'free')))
  }

  blocks.push({ kind: 'h2', text: say(lang, 'timeline') })
  for (const era of outcome.timeline) {
    blocks.push({ kind: 'h3', text: era.era }, ...list(era.events.map((e) => contributionText(outcome, lang, e))))
  }
  if (outcome.timeline.length === 0) blocks.push(...none(lang, []))
  groupWork('timeline')

  blocks.push({ kind: 'h2', text: say(lang, 'trends') })
  blocks.push(...list(outcome.trends.map((t) => (t.priority > 0 ? `${t.text} — ${dots(lang, t.priority)}` : t.text))))
  groupWork('trends')

  blocks.push({ kind: 'h2', text: say(lang, 'proudSorry') })
  for (const row of outcome.proudSorry) {
    blocks.push({ kind: 'h3', text: groupName(outcome, lang, row.groupId) })
    if (row.proud.length)
      blocks.push(
        { kind: 'p', text: say(lang, 'proud'), className: 'label' },
        { kind: 'list', items: row.proud.map((c) => (c.votes ? `${c.text} — ${dots(lang, c.votes)}` : c.text)) },
      )
    if (row.sorry.length)
      blocks.push(
        { kind: 'p', text: say(lang, 'sorry'), className: 'label' },
        { kind: 'list', items: row.sorry.map((c) => (c.votes ? `${c.text} — ${dots(lang, c.votes)}` : c.text)) },
      )
  }
  if (outcome.proudSorry.length === 0) blocks.push(...none(lang, []))
  groupWork('proudSorry')

  blocks.push({ kind: 'h2', text: say(lang, 'future', { targetYear: s.targetYear }) })
  for (const f of outcome.futures) blocks.push({ kind: 'p', text: contributionText(outcome, lang, f) })
  for (const p of outcome.personas) blocks.push(...personaBlocks(lang, p))
  if (outcome.futures.length + outcome.personas.length === 0) blocks.push(...none(lang, []))
  groupWork('future')

  blocks.push({ kind: 'h2', text: say(lang, 'commonGround') })
  for (const theme of outcome.themes.filter((t) => outcome.commonGround.themeIds.includes(t.id))) blocks.push(...themeBlocks(lang, theme))
  if (outcome.commonGround.themeIds.length === 0) blocks.push(...none(lang, []))
  if (outcome.commonGround.notShared.length > 0) {
    blocks.push({ kind: 'h3', text: say(lang, 'notShared') }, { kind: 'list', items: outcome.commonGround.notShared.map((c) => c.text) })
  }
  groupWork('commonGround')

  blocks.push({ kind: 'h2', text: say(lang, 'actionLines') })
  for (const line of outcome.actionLines) blocks.push(...actionLineBlocks(outcome, lang, line))
  if (outcome.actionLines.length === 0) blocks.push(...none(lang, []))
  groupWork('actionLines')

  blocks.push(...closingBlocks(outcome, lang))

  blocks.push({ kind: 'h2', text: say(lang, 'flywheel') }, ...list(outcome.flywheel.map((c) => contributionText(outcome, lang, c))))
  groupWork('flywheel')
  groupWork(null)
  return blocks
}
