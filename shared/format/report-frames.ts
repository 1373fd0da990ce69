/**
 * The report of a board that is not the 24-uursconferentie (a doorbraaksessie, wijkagenda,
 * Eigen Kracht-plan, werkplaats, terugkomdag, or a blank board): its own frames as the
 * headings, in the board's order, each with the notes, themes and action lines in it and the
 * work of the max-mix groups of its phase; then what lies in no frame; then personas, quotes,
 * experiments and the parkeerplaats when there are any.
 */
import type { Outcome } from './model.ts'
import { actionLineBlocks, closingBlocks, contributionText, groupWorkBlocks, none, personaBlocks, say, themeBlocks, type Block } from './report-parts.ts'
import type { Lang } from '../lang.ts'

export function frameSections(outcome: Outcome, lang: Lang): Block[] {
  const blocks: Block[] = []
  const lines = new Map(outcome.actionLines.map((l) => [l.id, l]))
  const themes = new Map(outcome.themes.map((t) => [t.id, t]))
  const cardsOf = (themeIds: string[], lineIds: string[]): Block[] => [
    ...themeIds.flatMap((id) => (themes.has(id) ? themeBlocks(lang, themes.get(id)!) : [])),
    ...lineIds.flatMap((id) => (lines.has(id) ? actionLineBlocks(outcome, lang, lines.get(id)!) : [])),
  ]
  const notesOf = (notes: Outcome['loose']): Block[] => (notes.length ? [{ kind: 'list', items: notes.map((c) => contributionText(outcome, lang, c)) }] : [])

  for (const section of outcome.sections) {
    const title = section.title || say(lang, 'untitledFrame')
    const groups = outcome.groupWork.filter((g) => g.phaseFrame === section.id)
    const content = [...notesOf(section.notes), ...cardsOf(section.themeIds, section.actionLineIds)]
    blocks.push({ kind: 'h2', text: title }, ...content, ...(content.length + groups.length === 0 ? none(lang, []) : []))
    blocks.push(...groupWorkBlocks(outcome, lang, groups, title))
  }

  const inFrames = new Set(outcome.sections.flatMap((s) => [...s.themeIds, ...s.actionLineIds]))
  const elsewhere = [
    ...notesOf(outcome.loose),
    ...cardsOf(
      outcome.themes.map((t) => t.id).filter((id) => !inFrames.has(id)),
      outcome.actionLines.map((l) => l.id).filter((id) => !inFrames.has(id)),
    ),
  ]
  if (elsewhere.length > 0) blocks.push({ kind: 'h2', text: say(lang, 'elsewhere') }, ...elsewhere)
  if (outcome.personas.length > 0) blocks.push({ kind: 'h2', text: say(lang, 'personas') }, ...outcome.personas.flatMap((p) => personaBlocks(lang, p)))
  blocks.push(...closingBlocks(outcome, lang))
  const sectionIds = new Set(outcome.sections.map((s) => s.id))
  blocks.push(
    ...groupWorkBlocks(
      outcome,
      lang,
      outcome.groupWork.filter((g) => !sectionIds.has(g.phaseFrame)),
      say(lang, 'free'),
    ),
  )
  return blocks
}
