/**
 * A programme's progress report — per action line its status over time, progress updates and
 * people — as Markdown, printable HTML or JSON, and the next meetings as an iCalendar file.
 * Made from what the platform shows the public: counts of sign-ups, never their contact details.
 */
import { escapeHtml, mdEscape } from './format/report.ts'
import { dayInNetherlands, nextDay } from './netherlands-time.ts'
import type { ActionLineSummary, Programme, ProgressUpdate, SmoelenboekEntry } from './programme.ts'

export interface ProgrammeReportData {
  programme: Programme
  lines: (ActionLineSummary & { updates: ProgressUpdate[] })[]
  smoelenboek: SmoelenboekEntry[]
  generatedAt: number
}

const STRINGS = {
  nl: {
    report: 'Voortgangsrapportage',
    generated: 'Gemaakt op',
    horizon: 'Stip op de horizon',
    values: 'Gedeelde waarden',
    lines: 'Actielijnen',
    status: 'Status',
    trekkers: 'Trekkers',
    betrokkenen: 'Betrokkenen',
    signups: 'aangemeld via het platform',
    themes: "Thema's",
    next: 'Volgende bijeenkomst',
    history: 'Voortgang',
    none: 'Nog geen voortgang gemeld.',
    statusOverTime: 'Status in de tijd',
    smoelenboek: 'Smoelenboek',
    from: 'sinds',
    meeting: 'Bijeenkomst actielijn',
  },
  en: {
    report: 'Progress report',
    generated: 'Made on',
    horizon: 'Point on the horizon',
    values: 'Shared values',
    lines: 'Action lines',
    status: 'Status',
    trekkers: 'Leads',
    betrokkenen: 'Involved',
    signups: 'signed up through the platform',
    themes: 'Themes',
    next: 'Next meeting',
    history: 'Progress',
    none: 'No progress reported yet.',
    statusOverTime: 'Status over time',
    smoelenboek: 'Who is who',
    from: 'since',
    meeting: 'Action line meeting',
  },
} as const

const day = dayInNetherlands
/** One line of what someone typed, as Markdown text (a line break would end the list item or quote). */
const md = (text: string) => mdEscape(text.replace(/\s*[\r\n]+\s*/g, ' '))

/** The statuses a line went through, with the day each began. */
export function statusTimeline(line: ActionLineSummary & { updates: ProgressUpdate[] }): { status: string; since: string }[] {
  const changes = line.updates.filter((u) => u.status !== null)
  const first = changes[0]?.from ?? line.status
  return [{ status: first, since: day(line.createdAt) }, ...changes.map((u) => ({ status: u.status!, since: day(u.at) }))]
}

/**
 * report.json: the data with the day of each update, status and the report itself as people in
 * the Netherlands date them, so no reader has to cut a day from the UTC instants.
 */
export function programmeJson(data: ProgrammeReportData) {
  return {
    ...data,
    generatedDay: day(data.generatedAt),
    lines: data.lines.map((line) => ({ ...line, timeline: statusTimeline(line), updates: line.updates.map((u) => ({ ...u, day: day(u.at) })) })),
  }
}

export function programmeMarkdown(data: ProgrammeReportData, lang: 'nl' | 'en'): string {
  const s = STRINGS[lang]
  const { programme } = data
  const person = (p: { name: string; organisation: string }) => md(p.name) + (p.organisation ? ` (${md(p.organisation)})` : '')
  const out: string[] = [
    `# ${md(programme.name)} — ${s.report}`,
    '',
    `${s.generated} ${day(data.generatedAt)}${programme.region ? ` · ${md(programme.region)}` : ''}`,
    '',
  ]
  if (programme.centraleOpgave) out.push(`## ${s.horizon}`, '', `> ${md(programme.centraleOpgave)}`, '')
  if (programme.sharedValues.length > 0) out.push(`## ${s.values}`, '', ...programme.sharedValues.map((v) => `- **${md(v.theme)}**: ${md(v.value)}`), '')
  out.push(`## ${s.lines}`, '')
  for (const line of data.lines) {
    out.push(`### ${line.number}. ${md(line.title)}`, '')
    if (line.motto) out.push(`*${md(line.motto)}*`, '')
    out.push(`- ${s.status}: **${line.status}**`)
    out.push(`- ${s.trekkers}: ${line.trekkers.map(person).join(', ') || '—'}`)
    out.push(`- ${s.betrokkenen}: ${line.betrokkenen.length} (+ ${line.signups} ${s.signups})`)
    if (line.themes.length > 0) out.push(`- ${s.themes}: ${line.themes.map((t) => md(t.title)).join(', ')}`)
    if (line.nextMeeting) out.push(`- ${s.next}: ${md(line.nextMeeting)}`)
    out.push(
      `- ${s.statusOverTime}: ${statusTimeline(line)
        .map((t) => `${t.status} (${s.from} ${t.since})`)
        .join(' → ')}`,
      '',
    )
    out.push(`#### ${s.history}`, '')
    if (line.updates.length === 0) out.push(s.none, '')
    for (const u of line.updates) out.push(`- ${day(u.at)} — ${md(u.author)}${u.status ? ` [${u.status}]` : ''}: ${md(u.text)}`)
    out.push('')
  }
  if (data.smoelenboek.length > 0) {
    out.push(`## ${s.smoelenboek}`, '')
    for (const p of data.smoelenboek) out.push(`- ${person(p)}${p.group ? `, ${md(p.group)}` : ''} — ${p.role}: ${p.lines.map((l) => l.number).join(', ')}`)
    out.push('')
  }
  return out.join('\n')
}

export function programmeHtml(data: ProgrammeReportData, lang: 'nl' | 'en'): string {
  const s = STRINGS[lang]
  const { programme } = data
  const lines = data.lines
    .map(
      (line) => `
<section class="line">
  <h3>${line.number}. ${escapeHtml(line.title)}</h3>
  ${line.motto ? `<p><em>${escapeHtml(line.motto)}</em></p>` : ''}
  <dl>
    <dt>${s.status}</dt><dd>${escapeHtml(line.status)}</dd>
    <dt>${s.trekkers}</dt><dd>${escapeHtml(line.trekkers.map((p) => p.name + (p.organisation ? ` (${p.organisation})` : '')).join(', ') || '—')}</dd>
    <dt>${s.betrokkenen}</dt><dd>${line.betrokkenen.length} (+ ${line.signups} ${s.signups})</dd>
    ${line.themes.length > 0 ? `<dt>${s.themes}</dt><dd>${escapeHtml(line.themes.map((t) => t.title).join(', '))}</dd>` : ''}
    ${line.nextMeeting ? `<dt>${s.next}</dt><dd>${escapeHtml(line.nextMeeting)}</dd>` : ''}
    <dt>${s.statusOverTime}</dt><dd>${escapeHtml(
      statusTimeline(line)
        .map((t) => `${t.status} (${s.from} ${t.since})`)
        .join(' → '),
    )}</dd>
  </dl>
  <h4>${s.history}</h4>
  ${line.updates.length === 0 ? `<p>${s.none}</p>` : `<ol>${line.updates.map((u) => `<li><strong>${day(u.at)} — ${escapeHtml(u.author)}${u.status ? ` [${escapeHtml(u.status)}]` : ''}</strong><br>${escapeHtml(u.text)}</li>`).join('')}</ol>`}
</section>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(programme.name)} — ${s.report}</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1b1b1b}
h1{font-size:1.7rem}.line{border-top:1px solid #999;padding-top:.6rem;break-inside:avoid}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#555}dd{margin:0}
@media print{body{margin:0}a{color:inherit}}</style></head>
<body><main>
<h1>${escapeHtml(programme.name)} — ${s.report}</h1>
<p>${s.generated} ${day(data.generatedAt)}${programme.region ? ` · ${escapeHtml(programme.region)}` : ''}</p>
${programme.centraleOpgave ? `<h2>${s.horizon}</h2><blockquote>${escapeHtml(programme.centraleOpgave)}</blockquote>` : ''}
${programme.sharedValues.length > 0 ? `<h2>${s.values}</h2><ul>${programme.sharedValues.map((v) => `<li><strong>${escapeHtml(v.theme)}</strong>: ${escapeHtml(v.value)}</li>`).join('')}</ul>` : ''}
<h2>${s.lines}</h2>
${lines}
${data.smoelenboek.length > 0 ? `<h2>${s.smoelenboek}</h2><ul>${data.smoelenboek.map((p) => `<li>${escapeHtml(p.name)}${p.organisation ? ` (${escapeHtml(p.organisation)})` : ''}${p.group ? `, ${escapeHtml(p.group)}` : ''} — ${p.role}: ${p.lines.map((l) => l.number).join(', ')}</li>`).join('')}</ul>` : ''}
</main></body></html>
`
}

/**
 * iCalendar (RFC 5545) lines are folded at 75 octets; text escapes \\ ; , and line breaks (CRLF,
 * a lone CR or LF, U+2028/9) as \\n. No other control character may appear (§3.1): each becomes a space.
 */
function icsText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|[\r\n\u2028\u2029]/g, '\\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
}
function fold(line: string): string {
  const parts: string[] = []
  let rest = line
  const bytes = (text: string) => new TextEncoder().encode(text).length
  while (bytes(rest) > 75) {
    let cut = 75
    while (bytes(rest.slice(0, cut)) > 75) cut--
    parts.push(rest.slice(0, cut))
    rest = ' ' + rest.slice(cut)
  }
  parts.push(rest)
  return parts.join('\r\n')
}

/** The action lines' next meetings as all-day events. */
export function programmeIcs(data: ProgrammeReportData, lang: 'nl' | 'en', host: string): string {
  const s = STRINGS[lang]
  const stamp = new Date(data.generatedAt)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  const events = data.lines
    .filter((l) => l.nextMeeting)
    .flatMap((line) => {
      const date = line.nextMeeting!.replace(/-/g, '')
      return [
        'BEGIN:VEVENT',
        `UID:${icsText(`${data.programme.id}-${line.id}-${date}@${host}`)}`,
        `DTSTAMP:${stamp}`,
        `DTSTART;VALUE=DATE:${date}`,
        `DTEND;VALUE=DATE:${nextDay(line.nextMeeting!).replace(/-/g, '')}`,
        `SUMMARY:${icsText(`${s.meeting} ${line.number}: ${line.title}`)}`,
        `DESCRIPTION:${icsText(`${data.programme.name} — ${s.trekkers}: ${line.trekkers.map((p) => p.name).join(', ')}`)}`,
        'END:VEVENT',
      ]
    })
  return (
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Samen aan de slag//Vliegwiel//NL',
      'CALSCALE:GREGORIAN',
      `X-WR-CALNAME:${icsText(data.programme.name)}`,
      ...events,
      'END:VCALENDAR',
    ]
      .map(fold)
      .join('\r\n') + '\r\n'
  )
}
