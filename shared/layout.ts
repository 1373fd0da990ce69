/**
 * Where notes go: pure geometry, used by the board's placement, tidy (Opruimen) and cluster
 * actions (client/board/placement.ts). Boxes are in page coordinates. Notes are laid out in a
 * grid of cells the size of the note, left to right, top to bottom, skipping every cell that would
 * overlap something already there (other notes, labels, instructions).
 */

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

export interface Size {
  w: number
  h: number
}

/** Space between notes and from the area's edge. */
export const NOTE_GAP = 20
/** Rows tried below an area that is full (the note then sits below it, never on another). */
const MAX_ROWS = 500

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

export const centerOf = (b: Box) => ({ x: b.x + b.w / 2, y: b.y + b.h / 2 })
export const contains = (b: Box, p: { x: number; y: number }) => p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + b.h

/** The first free cell for a note of `size` in `area`, avoiding `taken` (with a gap around each). */
export function freeSlot(area: Box, size: Size, taken: readonly Box[], gap = NOTE_GAP): { x: number; y: number } {
  const cols = Math.max(1, Math.floor((area.w - gap) / (size.w + gap)))
  const padded = taken.map((t) => ({ x: t.x - gap / 2, y: t.y - gap / 2, w: t.w + gap, h: t.h + gap }))
  for (let row = 0; row < MAX_ROWS; row++) {
    for (let col = 0; col < cols; col++) {
      const cell = { x: area.x + gap + col * (size.w + gap), y: area.y + gap + row * (size.h + gap), w: size.w, h: size.h }
      if (!padded.some((t) => overlaps(cell, t))) return { x: cell.x, y: cell.y }
    }
  }
  return { x: area.x + gap, y: area.y + gap + MAX_ROWS * (size.h + gap) }
}

export interface Placed {
  id: string
  box: Box
}

/**
 * Opruimen: every note in a grid from the top-left of the area, in the given order, around the
 * obstacles (what is not being arranged: labels, instructions). Returns each note's new top-left.
 */
export function arrange(area: Box, notes: readonly Placed[], obstacles: readonly Box[], gap = NOTE_GAP): Map<string, { x: number; y: number }> {
  const taken = [...obstacles]
  const result = new Map<string, { x: number; y: number }>()
  for (const note of notes) {
    const at = freeSlot(area, note.box, taken, gap)
    result.set(note.id, at)
    taken.push({ ...at, w: note.box.w, h: note.box.h })
  }
  return result
}

/**
 * After a reveal (everyone's private notes arrive at once, many on the same spot): notes that
 * overlap nothing stay where their writers put them; the others move to free cells. Earlier
 * notes in the list keep their place first.
 */
export function separate(area: Box, notes: readonly Placed[], obstacles: readonly Box[], gap = NOTE_GAP): Map<string, { x: number; y: number }> {
  const taken: Box[] = [...obstacles]
  const moved = new Map<string, { x: number; y: number }>()
  const stay: Placed[] = []
  const rest: Placed[] = []
  for (const note of notes) {
    if ([...taken, ...stay.map((s) => s.box)].some((t) => overlaps(note.box, t))) rest.push(note)
    else stay.push(note)
  }
  taken.push(...stay.map((s) => s.box))
  for (const note of rest) {
    const at = freeSlot(area, note.box, taken, gap)
    moved.set(note.id, at)
    taken.push({ ...at, w: note.box.w, h: note.box.h })
  }
  return moved
}

/** Words that say nothing about a note's subject (Dutch and English). */
const STOPWORDS = new Set(
  `
aan al alle alles als altijd andere ben bij daar dan dat de der deze die dit doen door dus een eens en er ga gaan geen gedaan had heb hebben heeft hem het hier hij hoe hun iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want waren was wat we wel werd wezen wie wij wil worden wordt zal ze zei zelf zich zij zijn zo zonder zou
the and for with that this from have has are was were will would can could not but our their they them what when where which who into about more most some such than then there these those very also been being
`
    .trim()
    .split(/\s+/),
)

/** The words of a note that can link it to others: lower case, 4+ letters, no stop words. */
export function keywords(text: string): Set<string> {
  const words =
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .match(/[a-z0-9]+/g) ?? []
  return new Set(words.filter((w) => w.length >= 4 && !STOPWORDS.has(w)))
}

/**
 * Clusteren: notes that share a word (one used by at least two notes but not by more than half
 * of them — a word on every note links nothing) end up in one cluster. Clusters are returned
 * largest first, each with the words that link it; notes that share nothing come last, alone.
 */
export function clusterByWords(notes: readonly { id: string; text: string }[]): { ids: string[]; words: string[] }[] {
  const words = notes.map((n) => keywords(n.text))
  const users = new Map<string, number[]>()
  words.forEach((set, i) => set.forEach((w) => users.set(w, [...(users.get(w) ?? []), i])))
  const parent = notes.map((_, i) => i)
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)))
  const linking = [...users].filter(([, list]) => list.length >= 2 && (notes.length < 4 || list.length <= notes.length / 2))
  for (const [, list] of linking) for (const i of list.slice(1)) parent[find(i)] = find(list[0]!)
  const groups = new Map<number, number[]>()
  notes.forEach((_, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), i]))
  return [...groups.values()]
    .map((members) => ({
      ids: members.map((i) => notes[i]!.id),
      words: linking
        .filter(([, list]) => list.filter((i) => members.includes(i)).length >= 2)
        .map(([w]) => w)
        .sort(),
    }))
    .sort((a, b) => b.ids.length - a.ids.length || a.ids[0]!.localeCompare(b.ids[0]!))
}

/**
 * The top-left for a new note of `size` in `area` (a destination's usable box): its first free
 * cell, preferring one outside `hidden` (the board's own chrome would cover the note from its
 * writer). A full area keeps the note inside it — the board and the report read where a note's
 * centre lies — cascaded over the notes there, never on the spot of another (on the last row,
 * offset by `count`, the notes already there, once every cascade spot is taken), for the
 * facilitator's Opruimen to make room; never with its centre in one of the `inner` areas (an era
 * column or frame inside this one), where it would count as theirs, while `whole` (the
 * container's box around `area`) has a free point.
 */
export function placeNote(
  area: Box,
  size: Size,
  taken: readonly Box[],
  hidden: readonly Box[],
  count: number,
  inner: readonly Box[] = [],
  whole: Box = area,
): { x: number; y: number } {
  const fits = (at: { x: number; y: number }) => at.x + size.w <= area.x + area.w && at.y + size.h <= area.y + area.h
  const visible = freeSlot(area, size, [...taken, ...hidden])
  const at = fits(visible) ? visible : freeSlot(area, size, taken)
  if (fits(at)) return at
  // Smaller than the note (a frame drawn with tldraw's tool can be a few pixels): centred on it.
  const room = area.w - size.w - NOTE_GAP * 2
  const roomY = area.h - size.h - NOTE_GAP * 2
  let x = room >= 0 ? area.x + NOTE_GAP + ((count * 24) % Math.max(1, room)) : area.x + area.w / 2 - size.w / 2
  let y = roomY >= 0 ? area.y + area.h - size.h - NOTE_GAP : area.y + area.h / 2 - size.h / 2
  // Found by a new-user walk-through: in a one-card-wide era column the sideways offset above is
  // about nothing, so the 4th to 7th "+ Bijdrage" all landed on one spot, each hiding the one
  // before. Where the note fits, it cascades down and across the area instead, on the first spot
  // at least a step (NOTE_GAP) away from every note's top-left: each card under it keeps a strip
  // showing, and the note stays inside the area (placement must not grow locked template frames
  // from a participant's browser; the facilitator's Opruimen grows the column to hold them all).
  if (room >= 0 && roomY >= 0) {
    // The spots: a step below and beside each note's top-left (a cascade off it) and a grid of
    // steps, top to bottom, left to right.
    const left = area.x + NOTE_GAP
    const top = area.y + NOTE_GAP
    const spots = (start: number, span: number, from: readonly number[]) => {
      const list = new Set<number>()
      // At most ~100 grid steps an axis, so a huge full frame is not searched pixel by pixel.
      for (let d = 0; d <= span; d += Math.max(NOTE_GAP, span / 100)) list.add(start + d)
      for (const v of from) if (v + NOTE_GAP >= start && v + NOTE_GAP <= start + span) list.add(v + NOTE_GAP)
      return [...list].sort((a, b) => a - b)
    }
    const xs = spots(
      left,
      room,
      taken.map((t) => t.x),
    )
    const ys = spots(
      top,
      roomY,
      taken.map((t) => t.y),
    )
    const apart = (px: number, py: number) => taken.every((t) => Math.abs(t.x - px) >= NOTE_GAP || Math.abs(t.y - py) >= NOTE_GAP)
    search: for (const py of ys) {
      for (const px of xs) {
        if (apart(px, py)) {
          x = px
          y = py
          break search
        }
      }
    }
  }
  const free = (c: { x: number; y: number }) => !inner.some((b) => contains(b, c))
  if (free({ x: x + size.w / 2, y: y + size.h / 2 })) return { x, y }
  // Found by the session fuzzer (seed 11): a new era column put inside a full one took the spot.
  // The nearest free centre from the bottom row up, on a grid fine enough to find any gap of a
  // note's margin (NOTE_GAP) between the inner areas; then in the `whole` container (an era
  // column's title strip is not for notes, but a note there still counts as the column's).
  // First only centres that keep the whole note inside the box (where it is big enough): from its
  // edge, a 360-wide action line lay half over "Niet gedeeld"'s left edge (session fuzzer, seed
  // 20261203, step 316); then any centre in it, as a note that sticks out still counts there.
  const step = NOTE_GAP
  for (const box of [area, whole]) {
    for (const inside of [true, false]) {
      const dx = inside ? Math.min(size.w, box.w) / 2 : 0
      const dy = inside ? Math.min(size.h, box.h) / 2 : 0
      for (let cy = box.y + box.h - dy; cy >= box.y + dy; cy -= step) {
        for (let cx = box.x + dx; cx <= box.x + box.w - dx; cx += step) {
          if (free({ x: cx, y: cy })) return { x: cx - size.w / 2, y: cy - size.h / 2 }
        }
      }
    }
  }
  return { x, y }
}
