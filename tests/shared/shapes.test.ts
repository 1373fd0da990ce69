import { describe, expect, it } from 'vitest'
import { T } from '@tldraw/validate'
import { actionLineDefaults, actionLineProps } from '../../shared/shapes/action-line-shape.ts'
import { contributionDefaults, contributionProps } from '../../shared/shapes/contribution-shape.ts'
import { eraDefaults, eraProps } from '../../shared/shapes/era-shape.ts'
import { experimentDefaults, experimentProps } from '../../shared/shapes/experiment-shape.ts'
import { personaDefaults, personaProps } from '../../shared/shapes/persona-shape.ts'
import { quoteDefaults, quoteProps } from '../../shared/shapes/quote-shape.ts'
import { themeCardDefaults, themeCardProps } from '../../shared/shapes/theme-card-shape.ts'
import { extractOutcome, type AnyRecord } from '../../shared/format/extract-outcome.ts'
import { Session } from '../../shared/format/model.ts'

const shapes = {
  contribution: [
    contributionProps,
    contributionDefaults(),
    { text: 'Meer ontmoeting in de wijk', author: 'Anna', groupId: 'inwoners', color: 'yellow' },
    { color: 'pink' },
  ],
  'theme-card': [themeCardProps, themeCardDefaults(), { title: 'Talentontwikkeling', sharedValue: 'De focus ligt op talent.' }, { title: 3 }],
  'action-line': [
    actionLineProps,
    actionLineDefaults(),
    {
      number: 3,
      title: 'Burgers in regie',
      motto: 'Waar wilt u naartoe?',
      description: 'In 2022 …',
      themeIds: ['shape:a'],
      trekkers: [{ name: 'Geert Schroën', organisation: 'PSW' }],
      betrokkenen: [],
      gemeenteRol: 'faciliteren',
      status: 'loopt',
    },
    { gemeenteRol: 'bevelen' },
  ],
  persona: [personaProps, personaDefaults(), { name: 'Maarten', then: '2019: zoekt werk', now: '2022: werkt bij de bakker' }, { then: null }],
  quote: [quoteProps, quoteDefaults(), { text: 'Zoek de samenwerking', name: 'Jos Feijen', organisation: 'Het Kwadrant' }, { name: ['x'] }],
  experiment: [
    experimentProps,
    experimentDefaults(),
    { title: 'Cliëntvolgend budget', horizon: true, noConflict: true, transformation: false },
    { horizon: 'ja' },
  ],
  era: [eraProps, eraDefaults(), { title: 'Na 2015' }, { w: -5 }],
} as const

describe('custom shapes: props validators', () => {
  for (const [type, [props, defaults, sample, broken]] of Object.entries(shapes)) {
    const validator = T.object(props as Record<string, T.Validatable<unknown>>)
    it(`${type}: defaults and a filled-in card round-trip unchanged`, () => {
      expect(validator.validate(defaults)).toEqual(defaults)
      const filled = { ...defaults, ...sample }
      expect(validator.validate(JSON.parse(JSON.stringify(filled)))).toEqual(filled)
    })
    it(`${type}: a wrong value is refused`, () => {
      expect(() => validator.validate({ ...defaults, ...broken })).toThrow()
    })
  }
})

describe('action line ↔ theme links', () => {
  const session = Session.parse({ title: 't', centraleOpgave: 'c', targetYear: 2030, groups: [{ id: 'zorg', name: { nl: 'Zorg', en: 'Care' }, color: 'red' }] })
  const shape = (id: string, type: string, props: Record<string, unknown>, x = 0): AnyRecord => ({
    id,
    typeName: 'shape',
    type,
    x,
    y: 0,
    parentId: 'page:page',
    props,
    meta: {},
  })
  const records: AnyRecord[] = [
    shape('shape:t1', 'theme-card', { ...themeCardDefaults(), title: 'Nabijheid' }, 0),
    shape('shape:t2', 'theme-card', { ...themeCardDefaults(), title: 'Talent' }, 400),
    shape('shape:t3', 'theme-card', { ...themeCardDefaults(), title: 'Lef' }, 800),
    shape('shape:al', 'action-line', { ...actionLineDefaults(), title: 'Thuis van de wijk', themeIds: ['shape:t1', 'shape:gone'] }, 0),
    shape('shape:arrow', 'arrow', {}),
    { id: 'binding:1', typeName: 'binding', type: 'arrow', fromId: 'shape:arrow', toId: 'shape:al', props: { terminal: 'start' } },
    { id: 'binding:2', typeName: 'binding', type: 'arrow', fromId: 'shape:arrow', toId: 'shape:t2', props: { terminal: 'end' } },
  ]

  it('counts themes chosen on the card and themes joined by an arrow, in theme order, ignoring unknown ids', () => {
    const [line] = extractOutcome(records, session).actionLines
    expect(line!.themeIds).toEqual(['shape:t1', 'shape:t2'])
  })

  it('an arrow between two themes links nothing', () => {
    const other = records.map((r) => (r.id === 'binding:1' ? { ...r, toId: 'shape:t3' } : r))
    expect(extractOutcome(other, session).actionLines[0]!.themeIds).toEqual(['shape:t1'])
  })
})
