/** Makes the first state of a new board: blank, from a template, or the example. */
import * as Y from 'yjs'
import type { CreateBoardBody } from '../../shared/api.ts'
import { metaOf, MetaKey, recordsOf } from '../../shared/doc-layout.ts'
import defaultGroups from '../../shared/format/data/stakeholder-groups.json' with { type: 'json' }
import defaultEras from '../../shared/format/data/eras-2018.json' with { type: 'json' }
import { buildExampleBoard, type ExampleId } from '../../shared/format/example-board.ts'
import { instantiateTemplate, type FrameSlot } from '../../shared/format/instantiate.ts'
export type { FrameSlot }
import { Session } from '../../shared/format/model.ts'
import type { BoardRecord } from '../../shared/format/records.ts'
import { fillIn, findTemplate, type Template } from '../../shared/format/templates.ts'
import { facilitationOf, FacilitationKey, idleTimer, type AgendaItem } from '../../shared/facilitation.ts'
import { createBoardSchema } from '../../shared/shapes/board-schema.ts'

export interface NewBoard {
  title: string
  /** The whole initial document as one Yjs update, or null for a blank board. */
  state: Uint8Array | null
}

/** The agenda: the template's phases in order, each with its frame on the board. */
function agendaOf(template: Template, slots: FrameSlot[], session: Session): AgendaItem[] {
  return template.frames.map((frame, i) => ({
    phase: frame.phase,
    title: { nl: fillIn(frame.title.nl, session), en: fillIn(frame.title.en, session) },
    instructions: { nl: fillIn(frame.instructions.nl, session), en: fillIn(frame.instructions.en, session) },
    minutes: frame.minutes,
    frameId: slots[i]!.frameId,
  }))
}

function docWith(records: BoardRecord[], session: Session, template: string, agenda: AgendaItem[], extraMeta: Record<string, unknown> = {}): Uint8Array {
  const doc = new Y.Doc()
  doc.transact(() => {
    const map = recordsOf<BoardRecord>(doc)
    for (const record of records) map.set(record.id, record)
    const meta = metaOf(doc)
    meta.set(MetaKey.schema, createBoardSchema().serialize())
    meta.set(MetaKey.session, session)
    meta.set(MetaKey.template, template)
    for (const [key, value] of Object.entries(extraMeta)) meta.set(key, value)
    const facilitation = facilitationOf(doc)
    facilitation.set(FacilitationKey.agenda, agenda)
    facilitation.set(FacilitationKey.phaseIndex, 0)
    facilitation.set(FacilitationKey.timer, idleTimer(agenda[0]?.minutes))
  })
  const state = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return state
}

/**
 * A board from a template (one made in code too: a terugkomdag's frames come from the
 * programme), with records of the caller's own placed in its frames and meta of its own.
 */
export function boardFromTemplate(
  template: Template,
  session: Session,
  lang: 'nl' | 'en',
  extra: (slots: FrameSlot[]) => BoardRecord[],
  meta: Record<string, unknown> = {},
): NewBoard {
  const board = instantiateTemplate(template, session, lang)
  return {
    title: session.title,
    state: docWith([...board.records(), ...extra(board.slots)], session, template.id, agendaOf(template, board.slots, session), meta),
  }
}

/** The default stakeholder groups (a session needs them; boards made in code take these). */
export const DEFAULT_GROUPS = defaultGroups

/** Expects a body that passed CreateBoardBody (template and example ids are known). */
export function makeBoard(body: CreateBoardBody): NewBoard {
  const lang = body.lang ?? 'nl'
  if (body.example) {
    const { records, outcome, board } = buildExampleBoard(body.example as ExampleId, lang)
    const template = findTemplate('24-uursconferentie')!
    return {
      title: body.title || outcome.session.title,
      state: docWith(records, outcome.session, template.id, agendaOf(template, board.slots, outcome.session)),
    }
  }
  if (body.template) {
    const template = findTemplate(body.template)!
    const session = Session.parse({
      title: body.title || template.name[lang],
      centraleOpgave: body.centraleOpgave,
      targetYear: body.targetYear,
      region: body.region,
      municipalities: body.municipalities,
      dates: body.dates,
      groups: body.groups ?? defaultGroups,
      eras: body.eras ?? (template.frames.some((f) => f.layout === 'eras') ? defaultEras : []),
    })
    const board = instantiateTemplate(template, session, lang)
    return { title: session.title, state: docWith(board.records(), session, template.id, agendaOf(template, board.slots, session)) }
  }
  return { title: body.title ?? '', state: null }
}
