/**
 * Taking a board's action lines over fits each card to the programme's limits (model.ts) and says
 * what it cut; a card that is no action line is refused by name while the others are taken.
 */
import { describe, expect, it } from 'vitest'
import { ActionLine } from '../../shared/format/model.ts'
import { fitActionLine, handOver } from '../../shared/take-over.ts'

const card = (over: Record<string, unknown> = {}) => ({
  id: 'shape:a',
  number: 1,
  title: 'Buurtkamer',
  motto: '',
  description: '',
  themeIds: [],
  trekkers: [],
  betrokkenen: [],
  gemeenteRol: null,
  status: 'idee',
  ...over,
})
const outcome = (actionLines: unknown[], over: Record<string, unknown> = {}) => ({
  session: { title: 'Conferentie', targetYear: 2030, groups: [{ id: 'zorg', name: { nl: 'Zorg', en: 'Care' }, color: 'blue' }] },
  themes: [],
  commonGround: { themeIds: [], notShared: [] },
  actionLines,
  ...over,
})

describe('fitting an action-line card to the programme', () => {
  it('a title over 200 characters is cut to 200 ending in …, and said so', () => {
    const fitted = fitActionLine(card({ title: 'x'.repeat(201) }))
    expect(fitted.ok && fitted.line.title).toBe(`${'x'.repeat(199)}…`)
    expect(fitted.ok && fitted.fields).toEqual([{ field: 'title', max: 200 }])
  })

  it('200 characters (or more only in surrounding spaces) are kept whole', () => {
    for (const title of ['x'.repeat(200), ` ${'x'.repeat(200)}   `]) {
      const fitted = fitActionLine(card({ title }))
      expect(fitted.ok && [fitted.line.title.length, fitted.fields]).toEqual([200, []])
    }
  })

  it('number 1000 is a line like any other: the outcome takes any number the card does', () => {
    const fitted = fitActionLine(card({ number: 1000 }))
    expect(fitted.ok && [fitted.line.number, fitted.fields]).toEqual([1000, []])
    expect(ActionLine.safeParse(card({ number: 1000 })).success).toBe(true)
  })

  it("a trekker's organisation over 160 characters and a betrokkene's name over 120 are cut, naming the list", () => {
    const fitted = fitActionLine(
      card({ trekkers: [{ name: 'Bram', organisation: 'o'.repeat(161) }], betrokkenen: [{ name: 'n'.repeat(121), organisation: '' }] }),
    )
    expect(fitted.ok).toBe(true)
    if (!fitted.ok) return
    expect(fitted.line.trekkers[0]).toEqual({ name: 'Bram', organisation: `${'o'.repeat(159)}…` })
    expect(fitted.line.betrokkenen[0]!.name).toHaveLength(120)
    expect(fitted.fields).toEqual([
      { field: 'trekkers', max: 160 },
      { field: 'betrokkenen', max: 120 },
    ])
  })

  it('never cuts a character in half', () => {
    const fitted = fitActionLine(card({ title: `${'x'.repeat(198)}😀😀` }))
    expect(fitted.ok && fitted.line.title).toBe(`${'x'.repeat(198)}…`)
  })
})

describe('a board handing its outcome over', () => {
  it('a card that is no action line is refused by name; the others are taken', () => {
    const handed = handOver(
      outcome([
        card({ id: 'shape:a', title: 'x'.repeat(300) }),
        card({ id: 'shape:b', number: 2, title: 'Kapot', status: 'klaar' }),
        card({ id: 'shape:c', number: 3 }),
      ]),
    )
    expect(handed.actionLines.map((l) => l.id)).toEqual(['shape:a', 'shape:c'])
    expect(handed.trimmed).toEqual([{ shapeId: 'shape:a', number: 1, title: `${'x'.repeat(199)}…`, fields: [{ field: 'title', max: 200 }] }])
    expect(handed.refused).toEqual([{ shapeId: 'shape:b', number: 2, title: 'Kapot', reason: 'invalid', detail: expect.stringMatching(/^status: /) }])
  })

  it('what the take-over does not read (a long theme title, a long note, a persona) cannot block it', () => {
    const handed = handOver(
      outcome([card()], {
        themes: [{ id: 'shape:t', title: 't'.repeat(300), sharedValue: 'v'.repeat(5000), votes: 3 }],
        futures: [{ text: 'n'.repeat(9000), author: '', groupId: '' }],
        personas: [{ name: 'p'.repeat(500), then: '', now: '' }],
      }),
    )
    expect(handed.actionLines).toHaveLength(1)
    expect(handed.themes[0]!.title).toHaveLength(300)
  })
})
