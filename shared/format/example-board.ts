/**
 * The example board: a finished session (an Outcome, e.g. the 2018 booklet) laid out on the
 * 24-uursconferentie template, so a user can see what a board looks like at the end.
 */
import example2018 from './data/samen-aan-de-slag-2018.json' with { type: 'json' }
import { instantiateTemplate, ROW_H, type Instantiated } from './instantiate.ts'
import { Outcome, type Contribution, type Phase } from './model.ts'
import type { BoardRecord, ShapeRecord } from './records.ts'
import type { Lang } from '../lang.ts'
import { findTemplate } from './templates.ts'

export const EXAMPLES = { 'samen-aan-de-slag-2018': example2018 } as const
export type ExampleId = keyof typeof EXAMPLES

export function exampleOutcome(id: ExampleId): Outcome {
  return Outcome.parse(EXAMPLES[id])
}

const GAP = 30

const lines = (text: string, perLine: number) => text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / perLine)), 0)
/** Card heights for a text, from the cards' fonts (client/styles.css): 17 px notes, 14 px card text. */
const noteHeight = (text: string, w: number) => 56 + lines(text, Math.floor((w - 28) / 10)) * 25
const cardTextHeight = (text: string, w: number) => lines(text, Math.floor((w - 28) / 8)) * 20

/** Places boxes left to right, wrapping, inside a frame's inner area; grows the frame to fit. */
class Flow {
  private x: number
  private y: number
  private rowH = 0
  private readonly frame: ShapeRecord
  private readonly inner: { x: number; y: number; w: number; h: number }

  constructor(board: Instantiated, frameId: string) {
    this.frame = board.builder.shapes.find((s) => s.id === frameId)!
    this.inner = board.slots.find((s) => s.frameId === frameId)?.inner ?? { x: 40, y: 40, w: (this.frame.props.w as number) - 80, h: 0 }
    this.x = this.inner.x
    this.y = this.inner.y
  }

  place(w: number, h: number): { x: number; y: number } {
    if (this.x > this.inner.x && this.x + w > this.inner.x + this.inner.w) {
      this.x = this.inner.x
      this.y += this.rowH + GAP
      this.rowH = 0
    }
    const at = { x: this.x, y: this.y }
    this.x += w + GAP
    this.rowH = Math.max(this.rowH, h)
    this.frame.props.h = Math.max(this.frame.props.h as number, this.y + this.rowH + 40)
    return at
  }
}

/**
 * Rows of trots & sorry grew to fit their notes: give both cells of a row the same height and
 * move the rows below down (children move with their frame), then grow the enclosing frame.
 */
function restackRows(board: Instantiated, rowHeight: number) {
  const byId = new Map(board.builder.shapes.map((s) => [s.id, s]))
  let offset = 0
  for (const row of board.proudSorryRows) {
    const cells = [byId.get(row.proud)!, byId.get(row.sorry)!]
    for (const shape of [...cells, byId.get(row.labelId)!]) shape.y += offset
    const height = Math.max(rowHeight, ...cells.map((c) => c.props.h as number))
    for (const c of cells) c.props.h = height
    offset += height - rowHeight
  }
  const parent = byId.get(byId.get(board.proudSorryRows[0]?.labelId ?? '')?.parentId ?? '')
  if (parent) parent.props.h = (parent.props.h as number) + offset
}

export function buildExampleBoard(id: ExampleId, lang: Lang = 'nl'): { records: BoardRecord[]; outcome: Outcome; board: Instantiated } {
  const outcome = exampleOutcome(id)
  const template = findTemplate('24-uursconferentie')!
  const session = { ...outcome.session, eras: outcome.timeline.map((t) => t.era) }
  const board = instantiateTemplate(template, session, lang)
  const b = board.builder
  const frameOf = (phase: Phase) => board.slots.find((s) => s.phase === phase)!.frameId
  const colorOf = (groupId: string) => session.groups.find((g) => g.id === groupId)?.color ?? 'yellow'

  const note = (flow: Flow, parentId: string, c: Contribution, w = 260) => {
    const h = noteHeight(c.text, w)
    const at = flow.place(w, h)
    b.add('contribution', at.x, at.y, { w, h, text: c.text, author: c.author, groupId: c.groupId, color: colorOf(c.groupId) }, { parentId })
  }

  // Timeline: each era's events stacked inside its column.
  const timelineFrame = frameOf('timeline')
  outcome.timeline.forEach((era, i) => {
    const column = b.shapes.find((s) => s.id === board.eraIds[i])!
    let y = column.y + 70
    for (const event of era.events) {
      const w = (column.props.w as number) - 20
      const h = noteHeight(event.text, w)
      b.add(
        'contribution',
        column.x + 10,
        y,
        { w, h, text: event.text, author: event.author, groupId: event.groupId, color: colorOf(event.groupId) },
        { parentId: timelineFrame },
      )
      y += h + GAP
      column.props.h = Math.max(column.props.h as number, y - column.y)
    }
    const frame = b.shapes.find((s) => s.id === timelineFrame)!
    frame.props.h = Math.max(frame.props.h as number, column.y + (column.props.h as number) + 40)
  })

  const trends = new Flow(board, frameOf('trends'))
  for (const trend of outcome.trends) note(trends, frameOf('trends'), { text: trend.text, author: '', groupId: '' })

  for (const row of outcome.proudSorry) {
    const slots = board.proudSorryRows.find((r) => r.groupId === row.groupId)
    if (!slots) continue
    for (const sentiment of ['proud', 'sorry'] as const) {
      const flow = new Flow(board, slots[sentiment])
      for (const c of row[sentiment]) note(flow, slots[sentiment], c, 200)
    }
  }
  restackRows(board, ROW_H)

  const future = new Flow(board, frameOf('future'))
  for (const c of outcome.futures) note(future, frameOf('future'), c, 520)
  for (const p of outcome.personas) {
    const at = future.place(340, 260)
    b.add('persona', at.x, at.y, { w: 340, h: 260, name: p.name, then: p.then, now: p.now }, { parentId: frameOf('future') })
  }
  for (const q of outcome.quotes) {
    const at = future.place(360, 180)
    b.add('quote', at.x, at.y, { w: 360, h: 180, text: q.text, name: q.name, organisation: q.organisation }, { parentId: frameOf('future') })
  }

  const themeShapeIds = new Map<string, string>()
  const shared = new Flow(board, frameOf('common-ground'))
  const notShared = new Flow(board, frameOf('not-shared'))
  for (const theme of outcome.themes) {
    const isShared = outcome.commonGround.themeIds.includes(theme.id)
    const parentId = frameOf(isShared ? 'common-ground' : 'not-shared')
    const h = 110 + cardTextHeight(theme.sharedValue, 440)
    const at = (isShared ? shared : notShared).place(440, h)
    themeShapeIds.set(
      theme.id,
      b.add('theme-card', at.x, at.y, { w: 440, h, title: theme.title, sharedValue: theme.sharedValue }, { parentId, id: `theme-${theme.id}` }),
    )
  }
  for (const c of outcome.commonGround.notShared) note(notShared, frameOf('not-shared'), c)

  const actions = new Flow(board, frameOf('action-lines'))
  for (const line of outcome.actionLines) {
    const people = line.betrokkenen.map((p) => p.name).join(', ')
    const h = 200 + cardTextHeight(line.motto + '\n' + line.description + '\n' + people, 540)
    const at = actions.place(540, h)
    b.add(
      'action-line',
      at.x,
      at.y,
      {
        w: 540,
        h,
        number: line.number,
        title: line.title,
        motto: line.motto,
        description: line.description,
        themeIds: line.themeIds.map((t) => themeShapeIds.get(t)).filter((t): t is string => t !== undefined),
        trekkers: line.trekkers,
        betrokkenen: line.betrokkenen,
        gemeenteRol: line.gemeenteRol ?? '',
        status: line.status,
      },
      { parentId: frameOf('action-lines'), id: `action-line-${line.number}` },
    )
  }

  const flywheel = new Flow(board, frameOf('flywheel'))
  for (const c of outcome.flywheel) note(flywheel, frameOf('flywheel'), c, 300)
  for (const e of outcome.experiments) {
    const at = flywheel.place(340, 260)
    b.add('experiment', at.x, at.y, { w: 340, h: 260, title: e.title, description: e.description, ...e.checks }, { parentId: frameOf('flywheel') })
  }

  return { records: board.records(), outcome, board }
}
