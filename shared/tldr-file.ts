/**
 * tldraw's `.tldr` file: `{ tldrawFileFormatVersion: 1, schema, records }`, the document's
 * records (pages, shapes, bindings, assets) in the schema they were written in. Reading one
 * checks the envelope, migrates the records to this app's schema and validates every record, so
 * a foreign or damaged file is refused with a message and nothing half-made remains.
 */
import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord, TLSchema, TLStoreSnapshot } from '@tldraw/tlschema'
import { z } from 'zod'

export const TLDR_FORMAT_VERSION = 1
/** Record types that belong in a board's document (tldraw's "document" scope). */
const DOCUMENT_TYPES = new Set(['document', 'page', 'shape', 'binding', 'asset'])
export const MAX_TLDR_BYTES = 32 * 1024 * 1024

const Envelope = z.object({
  tldrawFileFormatVersion: z.number({ error: 'not a tldraw file: tldrawFileFormatVersion missing' }),
  schema: z.union(
    [
      z.object({ schemaVersion: z.literal(2), sequences: z.record(z.string(), z.number()) }).passthrough(),
      z.object({ schemaVersion: z.literal(1), storeVersion: z.number(), recordVersions: z.record(z.string(), z.unknown()) }).passthrough(),
    ],
    { error: "schema: expected tldraw's schema with its versions" },
  ),
  records: z.array(z.object({ id: z.string(), typeName: z.string() }).passthrough(), { error: 'records: expected a list of records' }),
})

export interface TldrFile {
  tldrawFileFormatVersion: number
  schema: SerializedSchema
  records: TLRecord[]
}

export function toTldr(records: Iterable<TLRecord>, schema: SerializedSchema): TldrFile {
  return { tldrawFileFormatVersion: TLDR_FORMAT_VERSION, schema, records: [...records].filter((r) => DOCUMENT_TYPES.has(r.typeName)) }
}

export class TldrError extends Error {}

/**
 * The file's records in `schema`'s current version; throws TldrError naming what is wrong.
 * `checkRecord` sees each record as written, before any recursive code does (migrations and
 * validators recurse: a record nested 5 million deep blew their stack); it returns why the
 * record is refused, or null.
 */
export function readTldr(text: string, schema: TLSchema, checkRecord: (record: { id: string }) => string | null = () => null): TLRecord[] {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new TldrError('not a .tldr file: the content is not JSON')
  }
  const envelope = Envelope.safeParse(json)
  if (!envelope.success) throw new TldrError(`not a .tldr file: ${envelope.error.issues[0]?.message ?? 'unexpected shape'}`)
  const file = envelope.data
  if (file.tldrawFileFormatVersion > TLDR_FORMAT_VERSION)
    throw new TldrError(`.tldr format version ${file.tldrawFileFormatVersion} is newer than this app reads (${TLDR_FORMAT_VERSION})`)
  const documentRecords = file.records.filter((r) => DOCUMENT_TYPES.has(r.typeName))
  for (const record of documentRecords) {
    const refused = checkRecord(record)
    if (refused) throw new TldrError(refused)
  }
  const snapshot = { schema: file.schema, store: Object.fromEntries(documentRecords.map((r) => [r.id, r])) } as unknown as TLStoreSnapshot
  let migrated
  try {
    migrated = schema.migrateStoreSnapshot(snapshot)
  } catch (error) {
    throw new TldrError(`the file's records cannot be read: ${(error as Error).message}`)
  }
  if (migrated.type !== 'success')
    throw new TldrError(
      `the file was written by a ${migrated.reason === 'target-version-too-old' ? 'newer version of tldraw or this app' : 'tldraw with unknown shapes'} (${migrated.reason})`,
    )
  const records = Object.values(migrated.value) as TLRecord[]
  for (const record of records) {
    const type = schema.types[record.typeName as keyof typeof schema.types]
    if (!type) throw new TldrError(`record ${record.id}: unknown type ${record.typeName}`)
    try {
      type.validate(record)
    } catch (error) {
      throw new TldrError(`record ${record.id} is invalid: ${(error as Error).message}`)
    }
  }
  if (!records.some((r) => r.typeName === 'page')) throw new TldrError('the file has no page')
  return records
}
