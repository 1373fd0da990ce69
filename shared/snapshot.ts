/**
 * What snapshots share between server and browser: the API's shapes, comparing two sets of
 * records (what was added, removed or changed, listed by their text), a content hash, and a
 * schematic thumbnail drawn from the records alone (no browser needed).
 */
import { z } from 'zod'
import { absolute, shapeText, type AnyRecord } from './format/extract-outcome.ts'
import { sha256Hex } from './sha256.ts'

export const CreateSnapshotBody = z
  .object({
    name: z.string().trim().min(1, 'give the snapshot a name').max(120, 'at most 120 characters'),
    by: z.string().trim().max(60).optional(),
  })
  .strict()
export type CreateSnapshotBody = z.infer<typeof CreateSnapshotBody>

export const SNAPSHOT_KINDS = ['manual', 'phase', 'auto', 'close', 'before-revert'] as const
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number]

export interface SnapshotSummary {
  id: string
  boardId: string
  name: string
  kind: SnapshotKind
  createdBy: string
  createdAt: number
  size: number
}

export interface RecordChange {
  id: string
  /** The shape type (or the record type for non-shapes). */
  type: string
  text: string
}

export interface RecordDiff {
  added: RecordChange[]
  removed: RecordChange[]
  changed: RecordChange[]
}

const describe = (r: AnyRecord): RecordChange => ({ id: r.id, type: r.type ?? r.typeName, text: shapeText(r) })

/** Stable JSON: object keys sorted, so equal records compare equal whatever their key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** From `before` to `after`: shapes added, removed and changed (other record types are left out). */
export function diffRecords(before: Iterable<AnyRecord>, after: Iterable<AnyRecord>): RecordDiff {
  const shapesOf = (list: Iterable<AnyRecord>) => new Map([...list].filter((r) => r.typeName === 'shape').map((r) => [r.id, r]))
  const a = shapesOf(before)
  const b = shapesOf(after)
  const byText = (x: RecordChange, y: RecordChange) => x.type.localeCompare(y.type) || x.text.localeCompare(y.text) || x.id.localeCompare(y.id)
  return {
    added: [...b.values()]
      .filter((r) => !a.has(r.id))
      .map(describe)
      .sort(byText),
    removed: [...a.values()]
      .filter((r) => !b.has(r.id))
      .map(describe)
      .sort(byText),
    changed: [...b.values()]
      .filter((r) => a.has(r.id) && stableJson(a.get(r.id)) !== stableJson(r))
      .map(describe)
      .sort(byText),
  }
}

/** SHA-256 of the records, independent of order. */
export function contentHash(records: Iterable<AnyRecord>): string {
  return sha256Hex(stableJson([...records].sort((x, y) => x.id.localeCompare(y.id))))
}

const FILL: Record<string, string> = {
  contribution: '#fef3b0',
  note: '#fef3b0',
  'theme-card': '#ffd8a8',
  'action-line': '#ffc9c9',
  persona: '#d0ebff',
  quote: '#e5dbff',
  experiment: '#d3f9d8',
  era: '#f1f3f5',
  geo: '#e9ecef',
  text: '#ffffff',
  image: '#ced4da',
}
const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!)

/**
 * A map of the board as SVG: frames as outlines with their names, cards as coloured blocks in
 * their place. Drawn from the records, so the server can make it for every snapshot.
 */
export function schematicSvg(input: Iterable<AnyRecord>, width = 480): string {
  const records = new Map([...input].map((r) => [r.id, r]))
  const boxes = [...records.values()]
    .filter((r) => r.typeName === 'shape')
    .map((r) => ({
      r,
      ...absolute(records, r),
      w: Number(r.props?.w) || (r.type === 'note' ? 200 : 0),
      h: Number(r.props?.h) || (r.type === 'note' ? 200 : 0),
    }))
    .filter((b) => b.w > 0 && b.h > 0)
  if (boxes.length === 0)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${Math.round(width * 0.6)}"><rect width="100%" height="100%" fill="#f8f9fa"/></svg>`
  const minX = Math.min(...boxes.map((b) => b.x))
  const minY = Math.min(...boxes.map((b) => b.y))
  const maxX = Math.max(...boxes.map((b) => b.x + b.w))
  const maxY = Math.max(...boxes.map((b) => b.y + b.h))
  const pad = 40
  const w = maxX - minX + pad * 2
  const h = maxY - minY + pad * 2
  const height = Math.max(1, Math.round((width * h) / w))
  const frames = boxes.filter((b) => b.r.type === 'frame').sort((a, b) => b.w * b.h - a.w * a.h)
  const cards = boxes.filter((b) => b.r.type !== 'frame')
  const rect = (b: (typeof boxes)[number], style: string) =>
    `<rect x="${Math.round(b.x - minX + pad)}" y="${Math.round(b.y - minY + pad)}" width="${Math.round(b.w)}" height="${Math.round(b.h)}" ${style}/>`
  const fontSize = Math.max(12, Math.round(w / 80))
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${Math.round(w)} ${Math.round(h)}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...frames.map((b) => rect(b, `fill="#f8f9fa" stroke="#adb5bd" stroke-width="${fontSize / 6}"`)),
    ...frames.map(
      (b) =>
        `<text x="${Math.round(b.x - minX + pad + 8)}" y="${Math.round(b.y - minY + pad + fontSize * 1.2)}" font-family="sans-serif" font-size="${fontSize}" fill="#495057">${escapeXml(shapeText(b.r).slice(0, 40))}</text>`,
    ),
    ...cards.map((b) => rect(b, `fill="${FILL[b.r.type ?? ''] ?? '#dee2e6'}" stroke="#868e96" stroke-width="${fontSize / 10}" rx="${fontSize / 3}"`)),
    '</svg>',
  ].join('')
}
