import { describe, expect, it } from 'vitest'
import { exampleOutcome } from '../../../shared/format/example-board.ts'
import { renderHtml, renderMarkdown } from '../../../shared/format/report.ts'
import { extractOutcome, type AnyRecord } from '../../../shared/format/extract-outcome.ts'
import { reportLayoutOf, TEMPLATES } from '../../../shared/format/templates.ts'

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
      '1. Integraal ontwikkelcentrum',
      '2. Leren en werken voor alle jongeren',
      '3. Burgers in regie',
      '4. Verbindend organiseren',
      '5. Thuis van de wijk',
      '6. Sterke schouders in de samenleving',
      "7. Platform 'Samen aan de slag'",
      '8. De Ring',
    ])
    expect(md).toContain('Trekker(s): Janneke Jacobs, Het Kwadrant; Ilse den Mulder, Punt Welzijn')
  })

  it("reads like the booklet: sections in the booklet's order, in Dutch or English", () => {
    const md = renderMarkdown(outcome, 'nl')
    const order = [
      '# Samen aan de slag! (2018)',
      '## Historische ontwikkeling',
      '## Ontwikkelingen',
      '## Trots & sorry',
      '## Toekomstbeeld 2022',
      '## The Common Ground',
      '## Actielijnen',
      '## Uitspraken',
      '## Vliegwiel',
    ]
    const positions = order.map((h) => md.indexOf(h))
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    expect(renderMarkdown(outcome, 'en')).toContain('## Action lines')
  })

  it('is dated the day it was made in the Netherlands, also just after midnight there', () => {
    expect(renderMarkdown(outcome, 'nl', new Date('2026-06-14T22:30:00Z'))).toContain('Opgesteld uit het bord op 2026-06-15')
    expect(renderHtml(outcome, 'en', new Date('2026-01-14T23:30:00Z'))).toContain('Compiled from the board on 2026-01-15')
  })

  it('has a print stylesheet', () => {
    expect(renderHtml(outcome)).toContain('@media print')
  })

  it('lists group work under its phase with the members, the dots cards got, and the parkeerplaats', () => {
    const note = (id: string, x: number, y: number, text: string, meta: Record<string, unknown> = {}): AnyRecord => ({
      id,
      typeName: 'shape',
      type: 'contribution',
      x,
      y,
      parentId: 'page:page',
      props: { w: 200, h: 140, text, author: 'Piet', groupId: '' },
      meta,
    })
    const records: AnyRecord[] = [
      {
        id: 'shape:future',
        typeName: 'shape',
        type: 'frame',
        x: 0,
        y: 0,
        parentId: 'page:page',
        props: { w: 1000, h: 800, name: 'Toekomst' },
        meta: { phase: 'future' },
      },
      {
        id: 'shape:g1',
        typeName: 'shape',
        type: 'frame',
        x: 2000,
        y: 0,
        parentId: 'page:page',
        props: { w: 900, h: 700, name: 'Groep 1' },
        meta: { groupFrame: true, groupPhase: 'future', members: ['Piet', 'Pam'] },
      },
      note('shape:a', 100, 100, 'Iedereen doet mee', { votes: 1 }),
      note('shape:b', 2100, 100, 'Samen koken', { votes: 3 }),
      {
        id: 'shape:park',
        typeName: 'shape',
        type: 'frame',
        x: 0,
        y: 2000,
        parentId: 'page:page',
        props: { w: 1400, h: 800, name: 'Parkeerplaats' },
        meta: { parkingLot: true },
      },
      note('shape:p', 100, 2100, 'Wie betaalt het buurthuis?'),
    ]
    const result = extractOutcome(records, outcome.session)
    expect(result.futures.map((f) => f.text)).toEqual(['Iedereen doet mee'])
    expect(result.groupWork).toEqual([
      {
        name: 'Groep 1',
        phase: 'future',
        phaseFrame: 'shape:future',
        members: ['Piet', 'Pam'],
        notes: [{ text: 'Samen koken', author: 'Piet', groupId: '', votes: 3 }],
      },
    ])
    const md = renderMarkdown(result, 'nl')
    const future = md.slice(md.indexOf('## Toekomstbeeld'), md.indexOf('## The Common Ground'))
    expect(future).toContain('Iedereen doet mee (Piet) — 1 stip')
    expect(future).toContain('### Werk in groepen — Toekomstbeeld')
    expect(future).toContain('**Groep 1 (2 deelnemers: Piet, Pam)**')
    expect(future).toContain('- Samen koken (Piet) — 3 stippen')
    expect(renderMarkdown(result, 'en')).toContain('Groep 1 (2 participants: Piet, Pam)')
    expect(result.parkingLot.map((c) => c.text)).toEqual(['Wie betaalt het buurthuis?'])
    expect(md.slice(md.indexOf('## Parkeerplaats'), md.indexOf('## Vliegwiel'))).toContain('- Wie betaalt het buurthuis? (Piet)')
  })

  it('counts a group of one as one: "1 deelnemer", not "1 deelnemers" (the plural is in the report\'s string)', () => {
    const records: AnyRecord[] = [
      {
        id: 'shape:future',
        typeName: 'shape',
        type: 'frame',
        x: 0,
        y: 0,
        parentId: 'page:page',
        props: { w: 1000, h: 800, name: 'Toekomst' },
        meta: { phase: 'future' },
      },
      {
        id: 'shape:g1',
        typeName: 'shape',
        type: 'frame',
        x: 2000,
        y: 0,
        parentId: 'page:page',
        props: { w: 900, h: 700, name: 'Groep 1' },
        meta: { groupFrame: true, groupPhase: 'future', members: ['Piet'] },
      },
      {
        id: 'shape:b',
        typeName: 'shape',
        type: 'contribution',
        x: 2100,
        y: 100,
        parentId: 'page:page',
        props: { w: 200, h: 140, text: 'Samen koken', author: 'Piet', groupId: '' },
        meta: { votes: 1 },
      },
    ]
    const result = extractOutcome(records, outcome.session)
    expect(renderMarkdown(result, 'nl')).toContain('**Groep 1 (1 deelnemer: Piet)**')
    expect(renderMarkdown(result, 'en')).toContain('**Groep 1 (1 participant: Piet)**')
    expect(renderMarkdown(result, 'en')).toContain('- Samen koken (Piet) — 1 dot')
  })

  it("by its frames for any other format: each frame with its notes and cards and its groups' work, then the loose notes; the parkeerplaats and group frames apart", () => {
    expect(TEMPLATES.map((t) => [t.id, reportLayoutOf(t.id)])).toEqual([
      ['24-uursconferentie', 'booklet'],
      ['doorbraaksessie', 'frames'],
      ['wijkagenda', 'frames'],
      ['eigen-kracht-plan', 'frames'],
      ['actielijn-werkplaats', 'frames'],
    ])
    expect(reportLayoutOf('')).toBe('frames')
    expect(reportLayoutOf('terugkomdag')).toBe('frames')
    const shape = (id: string, type: string, x: number, y: number, props: Record<string, unknown>, meta: Record<string, unknown> = {}): AnyRecord => ({
      id,
      typeName: 'shape',
      type,
      x,
      y,
      parentId: 'page:page',
      props,
      meta,
    })
    const note = (id: string, x: number, y: number, text: string) => shape(id, 'contribution', x, y, { w: 200, h: 140, text, author: 'Ans', groupId: '' })
    const records: AnyRecord[] = [
      shape('shape:casus', 'frame', 0, 0, { w: 1000, h: 700, name: 'De casus' }, { phase: 'free' }),
      shape('shape:wie', 'frame', 1200, 0, { w: 1000, h: 700, name: 'Wie doet wat?' }, { phase: 'action-lines' }),
      shape(
        'shape:g1',
        'frame',
        0,
        2000,
        { w: 900, h: 700, name: 'Groep 1' },
        { groupFrame: true, groupPhase: 'free', groupPhaseFrame: 'shape:casus', members: ['Ans', 'Bas'] },
      ),
      shape('shape:park', 'frame', 2000, 2000, { w: 900, h: 700, name: 'Parkeerplaats' }, { parkingLot: true }),
      note('shape:a', 100, 200, 'Ans krijgt geen schuldhulp'),
      note('shape:b', 100, 2100, 'Bel de woningcorporatie'),
      note('shape:c', 2100, 2100, 'Wie betaalt?'),
      note('shape:d', 5000, 5000, 'Een losse gedachte'),
      shape('shape:line', 'action-line', 1300, 200, {
        w: 300,
        h: 200,
        number: 0,
        title: 'Eén loket',
        trekkers: [{ name: 'Jan', organisation: '' }],
        status: 'idee',
      }),
    ]
    const result = extractOutcome(records, outcome.session, 'frames')
    expect(result.sections).toEqual([
      {
        id: 'shape:casus',
        title: 'De casus',
        phase: 'free',
        notes: [{ text: 'Ans krijgt geen schuldhulp', author: 'Ans', groupId: '' }],
        actionLineIds: [],
        themeIds: [],
      },
      { id: 'shape:wie', title: 'Wie doet wat?', phase: 'action-lines', notes: [], actionLineIds: ['shape:line'], themeIds: [] },
    ])
    expect(result.loose.map((c) => c.text)).toEqual(['Een losse gedachte'])
    const md = renderMarkdown(result, 'nl')
    expect([...md.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['De casus', 'Wie doet wat?', 'Elders op het bord', 'Parkeerplaats'])
    const casus = md.slice(md.indexOf('## De casus'), md.indexOf('## Wie doet wat?'))
    expect(casus).toContain('- Ans krijgt geen schuldhulp (Ans)')
    expect(casus).toContain('### Werk in groepen — De casus')
    expect(casus).toContain('- Bel de woningcorporatie (Ans)')
    expect(md.slice(md.indexOf('## Wie doet wat?'))).toMatch(/### Eén loket[\s\S]*Trekker\(s\): Jan/)
    expect(md).not.toContain('Stakeholdersgroepen')
    expect(md).not.toContain('(nog niets)')
  })
})
