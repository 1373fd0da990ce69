import { describe, expect, it } from 'vitest'
import { instantiateTemplate } from '../../../shared/format/instantiate.ts'
import { Session } from '../../../shared/format/model.ts'
import { parseTemplate, TEMPLATES } from '../../../shared/format/templates.ts'
import groups from '../../../shared/format/data/stakeholder-groups.json' with { type: 'json' }
import { createBoardSchema } from '../../../shared/shapes/board-schema.ts'

const session = Session.parse({ title: 'Weert 2030', centraleOpgave: 'In 2030 doet iedereen mee.', targetYear: 2030, groups, eras: ['Vroeger', 'Toen', 'Nu'] })

describe('templates', () => {
  it("offers the 24-uursconferentie, the three smaller formats and an action line's werkplaats", () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual(['24-uursconferentie', 'doorbraaksessie', 'wijkagenda', 'eigen-kracht-plan', 'actielijn-werkplaats'])
  })

  for (const template of TEMPLATES) {
    it(`${template.id}: instantiating creates every frame, with instructions, in valid records`, () => {
      for (const lang of ['nl', 'en'] as const) {
        const board = instantiateTemplate(template, session, lang)
        const records = board.records()
        const topFrames = records.filter((r) => r.typeName === 'shape' && r.type === 'frame' && r.parentId === 'page:page')
        expect(topFrames.map((f) => (f as unknown as { props: { name: string } }).props.name)).toEqual(
          template.frames.map((f) => f.title[lang].replaceAll('{targetYear}', '2030')),
        )
        expect(topFrames.map((f) => (f as unknown as { meta: { phase: string } }).meta.phase)).toEqual(template.frames.map((f) => f.phase))
        for (const frame of topFrames)
          expect(
            records.some((r) => r.type === 'text' && r.parentId === frame.id),
            `instructions in ${frame.id}`,
          ).toBe(true)
        const schema = createBoardSchema()
        for (const r of records) expect(() => schema.types[r.typeName as 'shape']!.validate(r as never), r.id).not.toThrow()
      }
    })
  }

  it('lays out the 24-uursconferentie with an era column per era and a trots/sorry row per group', () => {
    const board = instantiateTemplate(TEMPLATES[0]!, session)
    const records = board.records()
    expect(records.filter((r) => r.type === 'era').map((r) => (r as unknown as { props: { title: string } }).props.title)).toEqual(['Vroeger', 'Toen', 'Nu'])
    const rows = records.filter((r) => (r as { meta?: { sentiment?: string } }).meta?.sentiment === 'proud')
    expect(rows).toHaveLength(groups.length + 1)
    expect(records.some((r) => r.type === 'text' && JSON.stringify(r).includes('In 2030 doet iedereen mee.'))).toBe(true)
    expect(JSON.stringify(records)).toContain('Toekomst — het is 2030')
  })

  it.each([
    [{ name: { nl: 'x', en: 'x' }, description: { nl: 'x', en: 'x' }, frames: [] }, /id/],
    [{ id: 'x', name: { nl: 'x', en: 'x' }, description: { nl: 'x', en: 'x' }, frames: [] }, /frames: a template needs at least one frame/],
    [{ id: 'x', name: { nl: 'x' }, description: { nl: 'x', en: 'x' }, frames: [] }, /name\.en/],
    [{ ...TEMPLATES[0], frames: [{ ...TEMPLATES[0]!.frames[0], instructions: undefined }] }, /frames\.0\.instructions/],
  ])('rejects a template missing a required field with an error naming it (%#)', (data, message) => {
    expect(() => parseTemplate(data)).toThrow(message)
  })
})

describe('the prepared structure', () => {
  it('is locked against participants: frames, era columns and instructions; nothing else', () => {
    const records = instantiateTemplate(TEMPLATES[0]!, session)
      .records()
      .filter((r) => r.typeName === 'shape') as unknown as { type: string; isLocked: boolean; meta: Record<string, unknown> }[]
    for (const r of records) {
      expect(r.isLocked, r.type).toBe(true)
      expect(r.meta.facilitatorLock, r.type).toBe(true)
    }
    expect(new Set(records.map((r) => r.type))).toEqual(new Set(['frame', 'text', 'era']))
  })
})
