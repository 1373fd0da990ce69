/**
 * The records of a `.tldr` file as a board may hold them: read and migrated (readTldr), then
 * judged by the rules of live changes (record-rules.ts, shared/drawable.ts), so an import holds
 * nothing a participant could not have written. Runs in a board worker (board-worker.ts): reading
 * a 10 MB file of nested arrays or one of 80,000 shapes took the event loop 2.9 s and 2.4 s.
 */
import type { TLRecord } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { metaOf, MetaKey, recordsOf } from '../../shared/doc-layout.ts'
import { undrawableAmong } from '../../shared/drawable.ts'
import { createBoardSchema } from '../../shared/shapes/board-schema.ts'
import { readTldr, TldrError } from '../../shared/tldr-file.ts'
import { recordBounds, recordJudge, withoutForeignSources } from './record-rules.ts'

const boardSchema = createBoardSchema()

export interface ImportableRecords {
  records: TLRecord[]
  /** Asset sources left out: URLs of other sites, inline data that is no image (or video). */
  droppedSources: number
}

/** Throws TldrError naming the first record that is wrong, and what is wrong with it. */
export function importableRecords(text: string): ImportableRecords {
  // Size and depth before tldraw's migrations and validators recurse into a record.
  const read = readTldr(text, boardSchema, (raw) => {
    const bounds = recordBounds(raw.id, raw)
    return bounds.ok ? null : bounds.reason
  })
  // A source a live change could not write is dropped, as an image from another site always was.
  let droppedSources = 0
  const records = read.map((r) => {
    const { record, dropped } = withoutForeignSources(r)
    droppedSources += dropped
    return record
  })
  const judge = recordJudge(boardSchema.serialize())
  for (const record of records) {
    const verdict = judge(record.id, record)
    if (!verdict.ok) throw new TldrError(verdict.reason)
  }
  const byId = new Map<string, TLRecord>(records.map((r) => [r.id, r]))
  const unfit = undrawableAmong(records, { get: (id) => byId.get(id), before: () => undefined, bindings: () => records })
  if (unfit) throw new TldrError(`record ${unfit.id} cannot be drawn: ${unfit.reason}`)
  return { records, droppedSources }
}

/** A new board's first state made of an importable file (throws TldrError as above). */
export function importedState(text: string): { state: Uint8Array; droppedSources: number } {
  const { records, droppedSources } = importableRecords(text)
  const doc = new Y.Doc()
  try {
    doc.transact(() => {
      const map = recordsOf<TLRecord>(doc)
      for (const record of records) map.set(record.id, record)
      metaOf(doc).set(MetaKey.schema, boardSchema.serialize())
    })
    return { state: Y.encodeStateAsUpdate(doc), droppedSources }
  } finally {
    doc.destroy()
  }
}
