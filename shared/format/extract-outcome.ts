/**
 * Turns a board's records into the outcome model. Pure: runs on the server and in the browser.
 *
 * Where a shape belongs is decided by geometry: its centre lies in the smallest region that
 * contains it, a region being a frame with `meta.phase` (from a template) or an era column.
 * Theme and action-line cards, personas, quotes and experiments count wherever they are.
 * An action line links to a theme when it names the theme card or an arrow joins the two.
 */
import { isGroupFrame as isGroupFrameRecord, isGroupFrameOf } from './group-frames.ts'
import { FORMAT_VERSION, type ActionLine, type Contribution, type Outcome, type ReportLayout, type Section, type Session } from './model.ts'
import { richTextToPlain } from './rich-text.ts'

export interface AnyRecord {
  id: string
  typeName: string
  type?: string
  x?: number
  y?: number
  parentId?: string
  index?: string
  props?: Record<string, unknown>
  meta?: Record<string, unknown>
  [key: string]: unknown
}

interface Box {
  record: AnyRecord
  x: number
  y: number
  w: number
  h: number
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

/** A shape's position on the page (shape x/y are relative to their parent shape). */
export function absolute(records: Map<string, AnyRecord>, shape: AnyRecord): { x: number; y: number } {
  let x = num(shape.x)
  let y = num(shape.y)
  let parent = records.get(str(shape.parentId))
  for (let depth = 0; parent && parent.typeName === 'shape' && depth < 50; depth++) {
    x += num(parent.x)
    y += num(parent.y)
    parent = records.get(str(parent.parentId))
  }
  return { x, y }
}

const readingOrder = (a: Box, b: Box) => a.y - b.y || a.x - b.x

/** What a shape says, as plain text: its title or text, for lists and comparisons. */
export function shapeText(record: AnyRecord): string {
  const props = record.props ?? {}
  for (const key of ['title', 'text', 'name', 'quote', 'motto']) if (str(props[key]).trim()) return str(props[key]).trim()
  return richTextToPlain(props.richText).trim()
}

function contributionOf(record: AnyRecord): Contribution | null {
  const props = record.props ?? {}
  const text = record.type === 'contribution' ? str(props.text) : richTextToPlain(props.richText)
  if (!text.trim()) return null
  const votes = record.meta?.votes
  return {
    text: text.trim(),
    author: str(props.author),
    groupId: str(props.groupId),
    ...(typeof votes === 'number' && Number.isInteger(votes) && votes > 0 ? { votes } : {}),
  }
}

/** `report`: how the board's report reads, from its template (templates.ts reportLayoutOf); by its frames, the outcome lists what lies in each. */
export function extractOutcome(input: Iterable<AnyRecord>, session: Session, report: ReportLayout = 'booklet'): Outcome {
  const records = new Map<string, AnyRecord>()
  for (const r of input) records.set(r.id, r)
  const shapes = [...records.values()].filter((r) => r.typeName === 'shape')
  const boxes = shapes.map((record): Box => {
    const at = absolute(records, record)
    return { record, ...at, w: num(record.props?.w), h: num(record.props?.h) }
  })

  const isGroupFrame = (b: Box) => isGroupFrameRecord(b.record)
  const isParkingLot = (b: Box) => b.record.type === 'frame' && b.record.meta?.parkingLot === true
  const regions = boxes.filter(
    (b) => (b.record.type === 'frame' && typeof b.record.meta?.phase === 'string') || b.record.type === 'era' || isGroupFrame(b) || isParkingLot(b),
  )
  const regionOf = (box: Box): Box | undefined => {
    const cx = box.x + box.w / 2
    const cy = box.y + box.h / 2
    let best: Box | undefined
    for (const r of regions) {
      if (r === box || cx < r.x || cy < r.y || cx > r.x + r.w || cy > r.y + r.h) continue
      if (!best || r.w * r.h < best.w * best.h) best = r
    }
    return best
  }
  const phaseOf = (region: Box | undefined): string => {
    if (!region) return ''
    if (region.record.type === 'era') return 'timeline'
    if (isGroupFrame(region)) return '' // listed with its group (groupWork), not twice
    if (isParkingLot(region)) return 'parking-lot'
    return str(region.record.meta?.phase)
  }

  const notes = boxes.filter((b) => b.record.type === 'contribution' || b.record.type === 'note').sort(readingOrder)
  const inPhase = (phase: string) => notes.filter((n) => phaseOf(regionOf(n)) === phase)
  const contributions = (list: Box[]) => list.map((b) => contributionOf(b.record)).filter((c): c is Contribution => c !== null)
  // The board's own frames: those on the page itself (a template's phases, or frames people drew), not sub-frames.
  const onPage = (b: Box) => b.record.type === 'frame' && !str(b.record.parentId).startsWith('shape:')
  const pageFrames = boxes.filter((b) => onPage(b) && !isGroupFrame(b) && !isParkingLot(b)).sort(readingOrder)
  /** In a group frame or the parkeerplaats: the report lists it there. */
  const listedElsewhere = (b: Box) => {
    const region = regionOf(b)
    return !!region && (isGroupFrame(region) || isParkingLot(region))
  }

  const eras = boxes.filter((b) => b.record.type === 'era').sort((a, b) => a.x - b.x || a.y - b.y)
  const timeline = eras.map((era) => ({
    era: str(era.record.props?.title) || '—',
    events: contributions(notes.filter((n) => regionOf(n) === era)),
  }))

  const trends = inPhase('trends')
    .map((b) => ({ box: b, c: contributionOf(b.record), priority: num(b.record.meta?.votes) }))
    .filter((t): t is { box: Box; c: Contribution; priority: number } => t.c !== null)
    .sort((a, b) => b.priority - a.priority || readingOrder(a.box, b.box))
    .map((t) => ({ text: t.c.text, priority: t.priority }))

  const proudSorryMap = new Map<string, { groupId: string; proud: Contribution[]; sorry: Contribution[] }>()
  for (const n of inPhase('proud-sorry')) {
    const region = regionOf(n)!
    const sentiment = region.record.meta?.sentiment === 'sorry' ? 'sorry' : 'proud'
    const c = contributionOf(n.record)
    if (!c) continue
    const groupId = str(region.record.meta?.groupId) || c.groupId
    const row = proudSorryMap.get(groupId) ?? { groupId, proud: [], sorry: [] }
    row[sentiment].push(c)
    proudSorryMap.set(groupId, row)
  }
  const groupOrder = ['', ...session.groups.map((g) => g.id)]
  const proudSorry = [...proudSorryMap.values()].sort((a, b) => groupOrder.indexOf(a.groupId) - groupOrder.indexOf(b.groupId))

  const ofType = (type: string) => boxes.filter((b) => b.record.type === type).sort(readingOrder)
  const themeBoxes = ofType('theme-card')
  const themes = themeBoxes.map((b) => {
    const votes = b.record.meta?.votes
    return {
      id: b.record.id,
      title: str(b.record.props?.title) || '—',
      sharedValue: str(b.record.props?.sharedValue),
      ...(typeof votes === 'number' && Number.isInteger(votes) && votes > 0 ? { votes } : {}),
    }
  })
  const notSharedThemes = new Set(themeBoxes.filter((b) => phaseOf(regionOf(b)) === 'not-shared').map((b) => b.record.id))

  // Arrows: a binding per arrow end; an arrow joining an action line and a theme links them.
  const arrowEnds = new Map<string, string[]>()
  for (const r of records.values()) {
    if (r.typeName !== 'binding' || r.type !== 'arrow') continue
    const ends = arrowEnds.get(str(r.fromId)) ?? []
    ends.push(str(r.toId))
    arrowEnds.set(str(r.fromId), ends)
  }
  const themeIds = new Set(themes.map((t) => t.id))
  const arrowLinks = new Map<string, Set<string>>()
  for (const ends of arrowEnds.values()) {
    for (const from of ends) {
      if (records.get(from)?.type !== 'action-line') continue
      for (const to of ends) {
        if (!themeIds.has(to)) continue
        const set = arrowLinks.get(from) ?? new Set<string>()
        set.add(to)
        arrowLinks.set(from, set)
      }
    }
  }

  const people = (v: unknown) =>
    (Array.isArray(v) ? v : []).map((p) => ({ name: str(p?.name).trim(), organisation: str(p?.organisation).trim() })).filter((p) => p.name)
  const actionLines: ActionLine[] = ofType('action-line')
    .map((b): ActionLine => {
      const p = b.record.props ?? {}
      const named = (Array.isArray(p.themeIds) ? p.themeIds : []).filter((id): id is string => typeof id === 'string' && themeIds.has(id))
      const linked = new Set([...named, ...(arrowLinks.get(b.record.id) ?? [])])
      return {
        id: b.record.id,
        number: num(p.number),
        title: str(p.title) || '—',
        motto: str(p.motto),
        description: str(p.description),
        themeIds: themes.map((t) => t.id).filter((id) => linked.has(id)),
        trekkers: people(p.trekkers),
        betrokkenen: people(p.betrokkenen),
        gemeenteRol: (str(p.gemeenteRol) || null) as ActionLine['gemeenteRol'],
        status: (str(p.status) || 'idee') as ActionLine['status'],
      }
    })
    .sort((a, b) => (a.number || Infinity) - (b.number || Infinity))

  return {
    version: FORMAT_VERSION,
    session,
    timeline,
    trends,
    proudSorry,
    futures: contributions(inPhase('future')),
    personas: ofType('persona').map((b) => ({ name: str(b.record.props?.name) || '—', then: str(b.record.props?.then), now: str(b.record.props?.now) })),
    themes,
    commonGround: {
      themeIds: themes.map((t) => t.id).filter((id) => !notSharedThemes.has(id)),
      notShared: [
        ...themes.filter((t) => notSharedThemes.has(t.id)).map((t) => ({ text: t.title, author: '', groupId: '' })),
        ...contributions(inPhase('not-shared')),
      ],
    },
    actionLines,
    quotes: ofType('quote')
      .map((b) => ({ text: str(b.record.props?.text), name: str(b.record.props?.name), organisation: str(b.record.props?.organisation) }))
      .filter((q) => q.text.trim()),
    experiments: ofType('experiment').map((b) => {
      const p = b.record.props ?? {}
      return {
        title: str(p.title) || '—',
        description: str(p.description),
        checks: { horizon: p.horizon === true, noConflict: p.noConflict === true, transformation: p.transformation === true },
      }
    }),
    flywheel: contributions(inPhase('flywheel')),
    parkingLot: contributions(inPhase('parking-lot')),
    groupWork: boxes
      .filter(isGroupFrame)
      .sort((a, b) => a.y - b.y || a.x - b.x)
      .map((frame) => ({
        name: str(frame.record.props?.name).trim() || '—',
        phase: str(frame.record.meta?.groupPhase),
        phaseFrame: pageFrames.find((f) => typeof f.record.meta?.phase === 'string' && isGroupFrameOf(frame.record, f.record))?.record.id ?? '',
        members: (Array.isArray(frame.record.meta?.members) ? frame.record.meta.members : []).filter(
          (m): m is string => typeof m === 'string' && m.trim() !== '',
        ),
        notes: contributions(notes.filter((n) => regionOf(n) === frame)),
      })),
    report,
    ...(report === 'frames' ? bySection(pageFrames, boxes, notes, listedElsewhere, contributions) : { sections: [], loose: [] }),
  }
}

/**
 * A board reported by its frames: what lies in each of its own frames (the smallest one around
 * a card's centre), and the notes in none. Those in a group frame or the parkeerplaats are in
 * neither: the report lists them there.
 */
function bySection(
  frames: Box[],
  boxes: Box[],
  notes: Box[],
  listedElsewhere: (b: Box) => boolean,
  contributions: (list: Box[]) => Contribution[],
): { sections: Section[]; loose: Contribution[] } {
  const frameOf = (box: Box): Box | undefined => {
    if (listedElsewhere(box)) return undefined
    const cx = box.x + box.w / 2
    const cy = box.y + box.h / 2
    let best: Box | undefined
    for (const f of frames) {
      if (cx < f.x || cy < f.y || cx > f.x + f.w || cy > f.y + f.h) continue
      if (!best || f.w * f.h < best.w * best.h) best = f
    }
    return best
  }
  const cards = (frame: Box, type: string) =>
    boxes
      .filter((b) => b.record.type === type && frameOf(b) === frame)
      .sort(readingOrder)
      .map((b) => b.record.id)
  const sections = frames.map(
    (frame): Section => ({
      id: frame.record.id,
      title: str(frame.record.props?.name).trim().slice(0, 500),
      phase: str(frame.record.meta?.phase),
      notes: contributions(notes.filter((n) => frameOf(n) === frame)),
      actionLineIds: cards(frame, 'action-line'),
      themeIds: cards(frame, 'theme-card'),
    }),
  )
  return { sections, loose: contributions(notes.filter((n) => !frameOf(n) && !listedElsewhere(n))) }
}
