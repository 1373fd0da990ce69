/**
 * The outcome as a document shaped like the 2018 booklet: centrale opgave, tijdlijn,
 * ontwikkelingen, trots & sorry, toekomstbeeld, common ground, actielijnen, uitspraken,
 * experimenten, vliegwiel. Markdown, and HTML with a print stylesheet. Everything a user wrote
 * is escaped.
 */
import strings from './data/report-strings.json' with { type: 'json' }
import { EXPERIMENT_CRITERIA, type Contribution, type Outcome, type Person } from './model.ts'
import type { Lang } from './templates.ts'
import { dayInNetherlands } from '../netherlands-time.ts'

type Key = keyof (typeof strings)['nl']
const say = (lang: Lang, key: Key, vars: Record<string, string | number> = {}) =>
  strings[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''))

/** One neutral structure both renderers walk. */
type Block =
  | { kind: 'h1' | 'h2' | 'h3'; text: string }
  | { kind: 'p'; text: string; className?: string }
  | { kind: 'quote'; text: string; by: string }
  | { kind: 'list'; items: string[] }

function groupName(outcome: Outcome, lang: Lang, id: string): string {
  return outcome.session.groups.find((g) => g.id === id)?.name[lang] ?? say(lang, 'allGroups')
}

const person = (p: Person) => (p.organisation ? `${p.name}, ${p.organisation}` : p.name)
/** "3 stippen" / "1 stip": the dots a card got in a vote, empty when none. */
const dots = (lang: Lang, n: number | undefined) => (n ? say(lang, n === 1 ? 'dot' : 'dots', { n }) : '')
const contributionText = (outcome: Outcome, lang: Lang, c: Contribution) => {
  const by = [c.author, c.groupId ? groupName(outcome, lang, c.groupId) : ''].filter(Boolean).join(', ')
  const text = by ? `${c.text} (${by})` : c.text
  return c.votes ? `${text} — ${dots(lang, c.votes)}` : text
}

/** The report section a phase's group work goes under. */
const SECTION_OF_PHASE: Record<string, Key> = {
  timeline: 'timeline', trends: 'trends', 'proud-sorry': 'proudSorry', future: 'future', 'common-ground': 'commonGround',
  'not-shared': 'commonGround', 'action-lines': 'actionLines', flywheel: 'flywheel',
}

export function reportBlocks(outcome: Outcome, lang: Lang, generatedAt = new Date()): Block[] {
  const s = outcome.session
  const blocks: Block[] = []
  const none = (items: unknown[]) => (items.length === 0 ? [{ kind: 'p' as const, text: say(lang, 'none'), className: 'none' }] : [])
  const list = (items: string[]): Block[] => (items.length ? [{ kind: 'list', items }] : none(items))
  // Group work (max-mix groups) closes the section of the phase it was done in; other group work ends the report.
  const groupWork = (section: Key | null) => {
    const groups = outcome.groupWork.filter((g) => (SECTION_OF_PHASE[g.phase] ?? null) === section)
    if (groups.length === 0) return
    const title = section ? say(lang, section, { targetYear: s.targetYear }) : say(lang, 'free')
    blocks.push({ kind: 'h3', text: say(lang, 'groupWork', { phase: title }) })
    for (const g of groups) {
      const heading = g.members.length ? say(lang, 'groupHeading', { name: g.name, n: g.members.length, members: g.members.join(', ') }) : say(lang, 'groupHeadingNoMembers', { name: g.name })
      blocks.push({ kind: 'p', text: heading, className: 'label' }, ...list(g.notes.map((c) => contributionText(outcome, lang, c))))
    }
  }

  blocks.push({ kind: 'h1', text: s.title })
  blocks.push({ kind: 'p', text: s.centraleOpgave, className: 'opgave' })
  const facts = [
    s.region && `${say(lang, 'region')}: ${s.region}`,
    s.dates.length > 0 && `${say(lang, 'dates')}: ${s.dates.join(', ')}`,
    `${say(lang, 'groups')}: ${s.groups.map((g) => g.name[lang]).join(' · ')}`,
  ].filter((f): f is string => Boolean(f))
  blocks.push({ kind: 'list', items: facts })

  blocks.push({ kind: 'h2', text: say(lang, 'timeline') })
  for (const era of outcome.timeline) {
    blocks.push({ kind: 'h3', text: era.era }, ...list(era.events.map((e) => contributionText(outcome, lang, e))))
  }
  if (outcome.timeline.length === 0) blocks.push(...none([]))
  groupWork('timeline')

  blocks.push({ kind: 'h2', text: say(lang, 'trends') })
  blocks.push(...list(outcome.trends.map((t) => (t.priority > 0 ? `${t.text} — ${dots(lang, t.priority)}` : t.text))))
  groupWork('trends')

  blocks.push({ kind: 'h2', text: say(lang, 'proudSorry') })
  for (const row of outcome.proudSorry) {
    blocks.push({ kind: 'h3', text: groupName(outcome, lang, row.groupId) })
    if (row.proud.length) blocks.push({ kind: 'p', text: say(lang, 'proud'), className: 'label' }, { kind: 'list', items: row.proud.map((c) => (c.votes ? `${c.text} — ${dots(lang, c.votes)}` : c.text)) })
    if (row.sorry.length) blocks.push({ kind: 'p', text: say(lang, 'sorry'), className: 'label' }, { kind: 'list', items: row.sorry.map((c) => (c.votes ? `${c.text} — ${dots(lang, c.votes)}` : c.text)) })
  }
  if (outcome.proudSorry.length === 0) blocks.push(...none([]))
  groupWork('proudSorry')

  blocks.push({ kind: 'h2', text: say(lang, 'future', { targetYear: s.targetYear }) })
  for (const f of outcome.futures) blocks.push({ kind: 'p', text: contributionText(outcome, lang, f) })
  for (const p of outcome.personas) {
    blocks.push({ kind: 'h3', text: p.name }, { kind: 'p', text: `${say(lang, 'then')}: ${p.then}` }, { kind: 'p', text: `${say(lang, 'now')}: ${p.now}` })
  }
  if (outcome.futures.length + outcome.personas.length === 0) blocks.push(...none([]))
  groupWork('future')

  blocks.push({ kind: 'h2', text: say(lang, 'commonGround') })
  const themeTitle = new Map(outcome.themes.map((t) => [t.id, t.title]))
  for (const theme of outcome.themes.filter((t) => outcome.commonGround.themeIds.includes(t.id))) {
    blocks.push({ kind: 'h3', text: theme.title })
    if (theme.votes) blocks.push({ kind: 'p', text: dots(lang, theme.votes), className: 'facts' })
    for (const para of theme.sharedValue.split(/\n\s*\n/).filter((p) => p.trim())) blocks.push({ kind: 'p', text: para })
  }
  if (outcome.commonGround.themeIds.length === 0) blocks.push(...none([]))
  if (outcome.commonGround.notShared.length > 0) {
    blocks.push({ kind: 'h3', text: say(lang, 'notShared') }, { kind: 'list', items: outcome.commonGround.notShared.map((c) => c.text) })
  }
  groupWork('commonGround')

  blocks.push({ kind: 'h2', text: say(lang, 'actionLines') })
  for (const line of outcome.actionLines) {
    blocks.push({ kind: 'h3', text: line.number ? `${line.number}. ${line.title}` : line.title })
    if (line.motto) blocks.push({ kind: 'p', text: line.motto, className: 'motto' })
    for (const para of line.description.split(/\n\s*\n/).filter((p) => p.trim())) blocks.push({ kind: 'p', text: para })
    if (line.themeIds.length) {
      blocks.push({ kind: 'p', text: say(lang, 'themesOfLine'), className: 'label' }, { kind: 'list', items: line.themeIds.map((id) => themeTitle.get(id) ?? id) })
    }
    if (line.betrokkenen.length) blocks.push({ kind: 'p', text: say(lang, 'betrokkenen'), className: 'label' }, { kind: 'list', items: line.betrokkenen.map(person) })
    blocks.push({ kind: 'p', text: `${say(lang, 'trekkers')}: ${line.trekkers.map(person).join('; ') || '—'}`, className: 'trekkers' })
    const facts = [line.gemeenteRol && `${say(lang, 'rol')}: ${say(lang, `role.${line.gemeenteRol}` as Key)}`, `${say(lang, 'status')}: ${say(lang, `status.${line.status}` as Key)}`]
    blocks.push({ kind: 'p', text: facts.filter(Boolean).join(' · '), className: 'facts' })
  }
  if (outcome.actionLines.length === 0) blocks.push(...none([]))
  groupWork('actionLines')

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

  blocks.push({ kind: 'h2', text: say(lang, 'flywheel') }, ...list(outcome.flywheel.map((c) => contributionText(outcome, lang, c))))
  groupWork('flywheel')
  groupWork(null)
  blocks.push({ kind: 'p', text: say(lang, 'generated', { date: dayInNetherlands(generatedAt.getTime()) }), className: 'generated' })
  return blocks
}

/** What people wrote, as Markdown text: HTML, links, images, emphasis and headings become literal (the programme report uses it too). */
export const mdEscape = (text: string) => text.replace(/([\\`*_[\]<>#|])/g, '\\$1')

export function renderMarkdown(outcome: Outcome, lang: Lang = 'nl', generatedAt?: Date): string {
  const out: string[] = []
  for (const b of reportBlocks(outcome, lang, generatedAt)) {
    switch (b.kind) {
      case 'h1': out.push(`# ${mdEscape(b.text)}`); break
      case 'h2': out.push(`## ${mdEscape(b.text)}`); break
      case 'h3': out.push(`### ${mdEscape(b.text)}`); break
      case 'p': out.push(b.className === 'opgave' || b.className === 'motto' ? `> ${mdEscape(b.text)}` : b.className === 'label' ? `**${mdEscape(b.text)}**` : mdEscape(b.text)); break
      case 'quote': out.push(`> “${mdEscape(b.text)}”${b.by ? ` — ${mdEscape(b.by)}` : ''}`); break
      case 'list': out.push(b.items.map((i) => `- ${mdEscape(i).replace(/\n/g, ' ')}`).join('\n')); break
      default: { const unreachable: never = b; throw new Error(String(unreachable)) }
    }
  }
  return out.join('\n\n') + '\n'
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

const STYLE = `
  body { font-family: Georgia, 'Times New Roman', serif; color: #1f2a37; max-width: 46rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.55; }
  h1 { font-size: 2.2rem; margin-bottom: 0.2rem; } h2 { margin-top: 2.4rem; border-bottom: 2px solid #d9480f; padding-bottom: 0.2rem; }
  h3 { margin-bottom: 0.3rem; } .opgave { font-size: 1.25rem; font-style: italic; } .motto { font-style: italic; color: #5b6675; }
  .label { font-weight: bold; margin-bottom: 0.2rem; } .trekkers { font-weight: bold; } .facts, .generated, .none { color: #5b6675; }
  blockquote { border-left: 4px solid #d9480f; margin: 1rem 0; padding: 0.2rem 1rem; font-style: italic; }
  @media print { body { margin: 0; max-width: none; font-size: 11pt; } h2 { break-before: page; } h2, h3 { break-after: avoid; } li, p, blockquote { break-inside: avoid; } }
`

export function renderHtml(outcome: Outcome, lang: Lang = 'nl', generatedAt?: Date): string {
  const body = reportBlocks(outcome, lang, generatedAt).map((b) => {
    switch (b.kind) {
      case 'h1': case 'h2': case 'h3': return `<${b.kind}>${escapeHtml(b.text)}</${b.kind}>`
      case 'p': return `<p${b.className ? ` class="${b.className}"` : ''}>${escapeHtml(b.text)}</p>`
      case 'quote': return `<blockquote>“${escapeHtml(b.text)}”${b.by ? `<br>— ${escapeHtml(b.by)}` : ''}</blockquote>`
      case 'list': return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`
      default: { const unreachable: never = b; throw new Error(String(unreachable)) }
    }
  })
  return `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(outcome.session.title)}</title><style>${STYLE}</style></head><body><main>\n${body.join('\n')}\n</main></body></html>\n`
}
