/**
 * The records of a `.tldr` file as a board may hold them: read and migrated (readTldr), then
 * judged by the rules of live changes (record-rules.ts, shared/drawable.ts), so an import holds
 * nothing a participant could not have written.
 */
import type { TLRecord } from '@tldraw/tlschema'
import { undrawableAmong } from '../shared/drawable.ts'
import { createBoardSchema } from '../shared/shapes/board-schema.ts'
import { readTldr, TldrError } from '../shared/tldr-file.ts'
import { recordJudge, withoutExternalUrls } from './record-rules.ts'

const boardSchema = createBoardSchema()

/** Throws TldrError naming the first record that is wrong, and what is wrong with it. */
export function importableRecords(text: string): TLRecord[] {
  // An image that lives on another site would be fetched by every browser that opens the board.
  const records = readTldr(text, boardSchema).map(withoutExternalUrls)
  const judge = recordJudge(boardSchema.serialize())
  for (const record of records) {
    const verdict = judge(record.id, record)
    if (!verdict.ok) throw new TldrError(verdict.reason)
  }
  const byId = new Map<string, TLRecord>(records.map((r) => [r.id, r]))
  const unfit = undrawableAmong(records, { get: (id) => byId.get(id), before: () => undefined, bindings: () => records })
  if (unfit) throw new TldrError(`record ${unfit.id} cannot be drawn: ${unfit.reason}`)
  return records
}
