/**
 * What may be stored as a board's content, judged like tldraw's own sync server does: every
 * record anyone writes (facilitators too) must be a valid record of the board's tldraw schema —
 * our card shapes included — within size and nesting limits, that tldraw can draw
 * (shared/drawable.ts), and `meta.schema` may only name a schema this server knows. Imported
 * `.tldr` files are judged by the same rules (exports.ts).
 */
import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord } from '@tldraw/tlschema'
import { ContentLimits } from '../../shared/protocol.ts'
import { compareSchemas, isSerializedSchemaV2, type SerializedSchemaV2 } from '../../shared/schema-compat.ts'
import { createBoardSchema } from '../../shared/shapes/board-schema.ts'
import { isPersonalRecord } from '../../shared/store-binding.ts'
import { undrawable } from '../../shared/drawable.ts'

const boardSchema = createBoardSchema()
const serverSchema = boardSchema.serialize() as SerializedSchemaV2

/**
 * Why a record's plain shape is unfit: nested deeper than `max`, or holding NaN or an infinity
 * anywhere (Yjs carries them; JSON and every export would turn them into null). Iterative: no
 * stack to blow.
 */
function shapeOfValue(value: unknown, max: number): string | null {
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    if (typeof node === 'number' && !Number.isFinite(node)) return `holds ${node}, which is no number a board can store`
    if (typeof node !== 'object' || node === null) continue
    if (depth > max) return `is nested deeper than ${max}`
    for (const child of Object.values(node)) if (typeof child === 'object' ? child !== null : typeof child === 'number') stack.push([child, depth + 1])
  }
  return null
}

/** The kind of inline data (`data:` URL) each asset type may hold: tldraw stores pasted images and videos inline. */
const INLINE_KIND: Record<string, string> = { image: 'image', video: 'video', bookmark: 'image' }

/**
 * Why one value of an asset's props is no source a board may hold, or null when it may: a URL of
 * another site (every browser that opens the board would fetch it), or inline data of another
 * kind than the asset's (`data:text/html` is a page, not an image; it was kept by imports).
 */
function unfitSource(assetType: unknown, value: unknown): string | null {
  if (typeof value !== 'string' || !/^[a-z][a-z0-9+.-]*:/i.test(value) || /^blob:/i.test(value)) return null
  const data = /^data:([^;,]*)/i.exec(value)
  if (!data) return 'points outside this server; images are stored in the board'
  const kind = INLINE_KIND[String(assetType)] ?? 'image'
  const type = data[1]!.trim().toLowerCase()
  return type.startsWith(`${kind}/`) && /^[a-z]+\/[a-z0-9.+-]+$/.test(type) ? null : `holds ${type.slice(0, 40) || 'text/plain'} data, not ${kind}/…`
}

export type RecordVerdict = { ok: true } | { ok: false; reason: string }

/**
 * The bounds of one record that no code may recurse into it before: an object, nested at most
 * `maxRecordDepth` (a 10 MB file of nested arrays blew tldraw's validator's stack), within its
 * size. The judge below starts with them; a `.tldr` import checks them before migrating.
 */
export function recordBounds(key: string, value: unknown): RecordVerdict {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: `record ${key} is not an object` }
  const unfit = shapeOfValue(value, ContentLimits.maxRecordDepth)
  if (unfit) return { ok: false, reason: `record ${key} ${unfit}` }
  const size = JSON.stringify(value).length
  const limit = (value as { typeName?: unknown }).typeName === 'asset' ? ContentLimits.maxAssetRecordBytes : ContentLimits.maxRecordBytes
  if (size > limit) return { ok: false, reason: `record ${key} is ${size} bytes; at most ${limit}` }
  return { ok: true }
}

/**
 * A judge of the values written to the records map, for a board whose records are written in
 * `boardSchemaValue` (records of an older board are migrated before validation).
 */
export function recordJudge(boardSchemaValue: unknown): (key: string, value: unknown) => RecordVerdict {
  const olderBoard = isSerializedSchemaV2(boardSchemaValue) && compareSchemas(serverSchema, boardSchemaValue) === 'local-newer'
  return (key, value) => {
    const bounds = recordBounds(key, value)
    if (!bounds.ok) return bounds
    const record = value as { id?: unknown; typeName?: unknown; type?: unknown; props?: Record<string, unknown> }
    if (record.id !== key) return { ok: false, reason: `record under ${key} has id ${String(record.id).slice(0, 80)}` }
    const type = boardSchema.types[record.typeName as keyof typeof boardSchema.types]
    if (!type || type.scope !== 'document' || isPersonalRecord(record as TLRecord))
      return { ok: false, reason: `record ${key}: ${String(record.typeName).slice(0, 40)} is not a board record type` }
    if (record.typeName === 'asset') {
      for (const prop of Object.values(record.props ?? {})) {
        const unfit = unfitSource(record.type, prop)
        if (unfit) return { ok: false, reason: `asset ${key} ${unfit}` }
      }
    }
    let current = value as TLRecord
    if (olderBoard) {
      const migrated = boardSchema.migratePersistedRecord(current, boardSchemaValue as SerializedSchema)
      if (migrated.type !== 'success') return { ok: false, reason: `record ${key} cannot be migrated (${migrated.reason})` }
      current = migrated.value
    }
    try {
      type.validate(current)
    } catch (error) {
      return { ok: false, reason: `record ${key} is invalid: ${(error as Error).message.slice(0, 300)}` }
    }
    const problem = undrawable(current)
    if (problem) return { ok: false, reason: `record ${key} cannot be drawn: ${problem}` }
    return { ok: true }
  }
}

/** `meta.schema` may name only a tldraw schema this server knows (its own version is the ceiling). */
export function judgeSchema(value: unknown): RecordVerdict {
  if (!isSerializedSchemaV2(value)) return { ok: false, reason: 'meta.schema is not a tldraw schema' }
  if (compareSchemas(serverSchema, value) === 'board-newer') return { ok: false, reason: 'meta.schema is newer than this server knows' }
  return { ok: true }
}

/**
 * An imported asset without the sources a live change could not write (unfitSource): dropped, not
 * refused, so a file with one image from another site still imports; `dropped` counts them.
 */
export function withoutForeignSources(record: TLRecord): { record: TLRecord; dropped: number } {
  if (record.typeName !== 'asset') return { record, dropped: 0 }
  let dropped = 0
  const props = Object.fromEntries(
    Object.entries(record.props).map(([k, v]) => {
      if (!unfitSource(record.type, v)) return [k, v]
      dropped++
      return [k, k === 'src' ? null : '']
    }),
  )
  return { record: { ...record, props } as TLRecord, dropped }
}
