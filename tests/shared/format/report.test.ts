import { describe, expect, it } from 'vitest'
import { exampleOutcome } from '../../../shared/format/example-board.ts'
import { renderHtml, renderMarkdown } from '../../../shared/format/report.ts'

describe('the outcome report', () => {
  const outcome = exampleOutcome('samen-aan-de-slag-2018')

  it('escapes what people wrote in the HTML', () => {
    const evil = { ...outcome, futures: [{ text: '<script>alert("x")</script>', author: 'Mallory <b>', groupId: '' }] }
    const html = renderHtml(evil, 'nl')
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    expect(html).toContain('Mallory &lt;b&gt;')
  })

  it('lists the 8 action lines of the example in order in the Markdown, with trekkers', () => {
    const md = renderMarkdown(outcome, 'nl')
    const headings = [...md.matchAll(/^### (\d)\. (.+)$/gm)].map((m) => `${m[1]}. ${m[2]}`)
    expect(headings).toEqual([
      '1. Integraal ontwikkelcentrum', '2. Leren en werken voor alle jongeren', '3. Burgers in regie', '4. Verbindend organiseren',
      '5. Thuis van de wijk', '6. Sterke schouders in de samenleving', "7. Platform 'Samen aan de slag'", '8. De Ring',
    ])
    expect(md).toContain('Trekker(s): Janneke Jacobs, Het Kwadrant; Ilse den Mulder, Punt Welzijn')
  })

  it('reads like the booklet: sections in the booklet\'s order, in Dutch or English', () => {
    const md = renderMarkdown(outcome, 'nl')
    const order = ['# Samen aan de slag! (2018)', '## Historische ontwikkeling', '## Ontwikkelingen', '## Trots & sorry', '## Toekomstbeeld 2022', '## The Common Ground', '## Actielijnen', '## Uitspraken', '## Vliegwiel']
    const positions = order.map((h) => md.indexOf(h))
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    expect(renderMarkdown(outcome, 'en')).toContain('## Action lines')
  })

  it('has a print stylesheet', () => {
    expect(renderHtml(outcome)).toContain('@media print')
  })
})
