/**
 * Lays a template out as tldraw records for a session: a header with the centrale opgave, then
 * one frame per phase from left to right, each with its instructions; the timeline gets an era
 * column per era, trots & sorry a row per stakeholder group (plus one for all groups).
 * Frames carry `meta.phase` (and `groupId` / `sentiment`), which outcome extraction reads.
 */
import { FACILITATOR_LOCK } from '../roles.ts'
import type { Session } from './model.ts'
import { documentRecord, pageRecord, ShapeBuilder, type BoardRecord } from './records.ts'
import type { Lang } from '../lang.ts'
import { fillIn, type Template, type TemplateFrame } from './templates.ts'

const GAP = 200
const PAD = 40
const INSTRUCTIONS_H = 90
export const ROW_H = 320

export interface FrameSlot {
  frameId: string
  phase: TemplateFrame['phase']
  /** Where content may go, in the frame's coordinates. */
  inner: { x: number; y: number; w: number; h: number }
}

export interface Instantiated {
  /** Every record of the board as built so far (document, page, shapes). */
  records(): BoardRecord[]
  builder: ShapeBuilder
  slots: FrameSlot[]
  eraIds: string[]
  /** The rows of trots & sorry, top to bottom; groupId '' is the row for all groups. */
  proudSorryRows: { groupId: string; labelId: string; proud: string; sorry: string }[]
}

export function instantiateTemplate(template: Template, session: Session, lang: Lang = 'nl'): Instantiated {
  const b = new ShapeBuilder('t')
  const fill = (text: string) => fillIn(text, session)
  const slots: FrameSlot[] = []
  const eraIds: string[] = []
  const proudSorryRows: Instantiated['proudSorryRows'] = []

  b.text(0, -320, 2400, session.title, { size: 'xl' })
  b.text(0, -200, 2400, session.centraleOpgave, { size: 'm' })

  let x = 0
  for (const frame of template.frames) {
    const rows = [{ id: '', name: lang === 'nl' ? 'Alle groepen' : 'All groups' }, ...session.groups.map((g) => ({ id: g.id, name: g.name[lang] }))]
    const h = frame.h > 0 ? frame.h : INSTRUCTIONS_H + PAD * 2 + rows.length * (ROW_H + PAD)
    const frameId = b.frame(x, 0, frame.w, h, fill(frame.title[lang]), { phase: frame.phase })
    b.text(PAD, PAD, frame.w - PAD * 2, fill(frame.instructions[lang]), { parentId: frameId })
    const top = PAD + INSTRUCTIONS_H
    const inner = { x: PAD, y: top, w: frame.w - PAD * 2, h: h - top - PAD }
    slots.push({ frameId, phase: frame.phase, inner })

    if (frame.layout === 'eras') {
      const eras = session.eras.length > 0 ? session.eras : [lang === 'nl' ? 'Vroeger' : 'Earlier', lang === 'nl' ? 'Nu' : 'Now']
      const colW = Math.floor((inner.w - PAD * (eras.length - 1)) / eras.length)
      eras.forEach((title, i) => {
        eraIds.push(
          b.add(
            'era',
            inner.x + i * (colW + PAD),
            inner.y,
            { w: colW, h: inner.h, title },
            { parentId: frameId, meta: { [FACILITATOR_LOCK]: true }, isLocked: true },
          ),
        )
      })
    } else if (frame.layout === 'groups') {
      const colW = Math.floor((inner.w - 220 - PAD) / 2)
      rows.forEach((row, i) => {
        const y = inner.y + i * (ROW_H + PAD)
        const labelId = b.text(inner.x, y + 20, 200, row.name, { parentId: frameId, size: 'm' })
        const [proud, sorry] = (['proud', 'sorry'] as const).map((sentiment, col) => {
          const label = sentiment === 'proud' ? (lang === 'nl' ? 'Trots op' : 'Proud of') : lang === 'nl' ? 'Sorry voor' : 'Sorry for'
          return b.frame(
            inner.x + 220 + col * (colW + PAD),
            y,
            colW,
            ROW_H,
            `${row.name} — ${label}`,
            { phase: frame.phase, groupId: row.id, sentiment },
            frameId,
          )
        })
        proudSorryRows.push({ groupId: row.id, labelId, proud: proud!, sorry: sorry! })
      })
    }
    x += frame.w + GAP
  }

  const pageName = template.name[lang]
  return { records: () => [documentRecord(), pageRecord(pageName), ...b.shapes], builder: b, slots, eraIds, proudSorryRows }
}
