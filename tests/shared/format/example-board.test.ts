import { describe, expect, it } from 'vitest'
import { buildExampleBoard } from '../../../shared/format/example-board.ts'
import { extractOutcome, type AnyRecord } from '../../../shared/format/extract-outcome.ts'
import { Outcome } from '../../../shared/format/model.ts'
import { createBoardSchema } from '../../../shared/shapes/board-schema.ts'

/** FORMAT.md's table of the 2018 action lines: number, title, theme numbers, trekkers. */
const THEMES = [
  'Loslaten is lef hebben',
  'We organiseren nabijheid',
  'De behoefte van de inwoner staat centraal',
  'Integraal werken in het sociaal domein',
  'De kracht van duurzame samenwerking',
  'Talentontwikkeling',
]
const ACTION_LINES: [number, string, number[], string[]][] = [
  [1, 'Integraal ontwikkelcentrum', [2, 4, 5, 6], ['Janneke Jacobs', 'Ilse den Mulder']],
  [2, 'Leren en werken voor alle jongeren', [3, 4, 5, 6], ['Nancy Peeters']],
  [3, 'Burgers in regie', [1, 3], ['Geert Schroën']],
  [4, 'Verbindend organiseren', [4, 5, 6], ['Joop Molenaar']],
  [5, 'Thuis van de wijk', [2, 4, 5], ['Iris van de Ven', 'Roeland Cleuren']],
  [6, 'Sterke schouders in de samenleving', [2, 3, 6], ['Francien Clout']],
  [7, "Platform 'Samen aan de slag'", [4, 5], ['John van Heel', 'Martine Jacobs']],
  [8, 'De Ring', [1, 2, 3, 4, 5], ['Emile Florack']],
]

describe('the example board "Samen aan de slag! (2018)"', () => {
  const { records, outcome: source } = buildExampleBoard('samen-aan-de-slag-2018')

  it('consists of records valid under the board schema', () => {
    const schema = createBoardSchema()
    for (const record of records) {
      const type = schema.types[record.typeName as keyof typeof schema.types]
      expect(type, record.typeName).toBeDefined()
      expect(() => type!.validate(record as never), `${record.id}`).not.toThrow()
    }
  })

  it('reads back as exactly the 6 themes and 8 action lines of 2018, with their theme links and trekkers', () => {
    const outcome = Outcome.parse(extractOutcome(records as AnyRecord[], source.session))
    expect(outcome.themes.map((t) => t.title)).toEqual(THEMES)
    expect(outcome.commonGround.themeIds).toHaveLength(6)
    const titleOf = new Map(outcome.themes.map((t) => [t.id, t.title]))
    expect(
      outcome.actionLines.map((l) => [l.number, l.title, l.themeIds.map((id) => THEMES.indexOf(titleOf.get(id)!) + 1), l.trekkers.map((t) => t.name)]),
    ).toEqual(ACTION_LINES)
  })

  it('keeps the rest of the booklet: central task, 5 eras, 12 trends, prouds and sorries, betrokkenen, a quote', () => {
    const outcome = extractOutcome(records as AnyRecord[], source.session)
    expect(outcome.session.centraleOpgave).toMatch(/^In 2022 zorgen wij ervoor dat iedereen/)
    expect(outcome.timeline.map((t) => t.era)).toEqual(source.timeline.map((t) => t.era))
    expect(outcome.timeline.every((t) => t.events.length === 1)).toBe(true)
    expect(outcome.trends.map((t) => t.text)).toEqual(source.trends.map((t) => t.text))
    expect(outcome.trends).toHaveLength(12)
    expect(outcome.proudSorry).toEqual([{ groupId: '', proud: source.proudSorry[0]!.proud, sorry: source.proudSorry[0]!.sorry }])
    expect(outcome.actionLines[3]!.betrokkenen).toHaveLength(14)
    expect(outcome.actionLines[3]!.betrokkenen[0]).toEqual({ name: 'Joop Molenaar', organisation: 'Crest suikerwerken BV' })
    expect(outcome.quotes).toEqual(source.quotes)
    expect(outcome.flywheel).toHaveLength(3)
  })
})
