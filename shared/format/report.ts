/**
 * The outcome as a document: title and centrale opgave, then the sections of the board's own
 * template — shaped like the 2018 booklet for the 24-uursconferentie (report-booklet.ts), by
 * the board's frames for every other format (report-frames.ts). Markdown, and HTML with a
 * print stylesheet. Everything a user wrote is escaped.
 */
import type { Outcome } from './model.ts'
import { bookletSections } from './report-booklet.ts'
import { frameSections } from './report-frames.ts'
import { say, type Block } from './report-parts.ts'
import type { Lang } from '../lang.ts'
import { dayInNetherlands } from '../netherlands-time.ts'

export function reportBlocks(outcome: Outcome, lang: Lang, generatedAt = new Date()): Block[] {
  const s = outcome.session
  const blocks: Block[] = []
  blocks.push({ kind: 'h1', text: s.title })
  if (s.centraleOpgave) blocks.push({ kind: 'p', text: s.centraleOpgave, className: 'opgave' })
  const facts = [
    s.region && `${say(lang, 'region')}: ${s.region}`,
    s.dates.length > 0 && `${say(lang, 'dates')}: ${s.dates.join(', ')}`,
    // Only the conference is about the stakeholder groups (a blank board has the default eight).
    outcome.report === 'booklet' && `${say(lang, 'groups')}: ${s.groups.map((g) => g.name[lang]).join(' · ')}`,
  ].filter((f): f is string => Boolean(f))
  if (facts.length > 0) blocks.push({ kind: 'list', items: facts })
  // The board's own template decides the sections: the booklet's for the conference, else its frames.
  blocks.push(...(outcome.report === 'frames' ? frameSections(outcome, lang) : bookletSections(outcome, lang)))
  blocks.push({ kind: 'p', text: say(lang, 'generated', { date: dayInNetherlands(generatedAt.getTime()) }), className: 'generated' })
  return blocks
}

/** What people wrote, as Markdown text: HTML, links, images, emphasis and headings become literal (the programme report uses it too). */
export const mdEscape = (text: string) => text.replace(/([\\`*_[\]<>#|])/g, '\\$1')

export function renderMarkdown(outcome: Outcome, lang: Lang = 'nl', generatedAt?: Date): string {
  const out: string[] = []
  for (const b of reportBlocks(outcome, lang, generatedAt)) {
    switch (b.kind) {
      case 'h1':
        out.push(`# ${mdEscape(b.text)}`)
        break
      case 'h2':
        out.push(`## ${mdEscape(b.text)}`)
        break
      case 'h3':
        out.push(`### ${mdEscape(b.text)}`)
        break
      case 'p':
        out.push(
          b.className === 'opgave' || b.className === 'motto'
            ? `> ${mdEscape(b.text)}`
            : b.className === 'label'
              ? `**${mdEscape(b.text)}**`
              : mdEscape(b.text),
        )
        break
      case 'quote':
        out.push(`> “${mdEscape(b.text)}”${b.by ? ` — ${mdEscape(b.by)}` : ''}`)
        break
      case 'list':
        out.push(b.items.map((i) => `- ${mdEscape(i).replace(/\n/g, ' ')}`).join('\n'))
        break
      default: {
        const unreachable: never = b
        throw new Error(String(unreachable))
      }
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
      case 'h1':
      case 'h2':
      case 'h3':
        return `<${b.kind}>${escapeHtml(b.text)}</${b.kind}>`
      case 'p':
        return `<p${b.className ? ` class="${b.className}"` : ''}>${escapeHtml(b.text)}</p>`
      case 'quote':
        return `<blockquote>“${escapeHtml(b.text)}”${b.by ? `<br>— ${escapeHtml(b.by)}` : ''}</blockquote>`
      case 'list':
        return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`
      default: {
        const unreachable: never = b
        throw new Error(String(unreachable))
      }
    }
  })
  return (
    `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(outcome.session.title)}</title><style>${STYLE}</style></head><body><main>\n${body.join('\n')}\n</main></body></html>\n`
  )
}
