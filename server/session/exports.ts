/**
 * What a board or snapshot can be taken away as, and brought back from: tldraw's `.tldr` file,
 * the outcome report, a schematic map (SVG), and one zip archive holding all of them.
 */
import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { OUTCOME_FORMATS } from '../../shared/api.ts'
import { boardRecords, metaOf, MetaKey } from '../../shared/doc-layout.ts'
import { renderHtml, renderMarkdown } from '../../shared/format/report.ts'
import { createBoardSchema } from '../../shared/shapes/board-schema.ts'
import { schematicSvg } from '../../shared/snapshot.ts'
import { toTldr, type TldrFile } from '../../shared/tldr-file.ts'
import { outcomeOf } from './outcome.ts'
// fflate: a maintained, dependency-free zip implementation (replaces our own writer).
import { strToU8, zipSync } from 'fflate'

const boardSchema = createBoardSchema()

/** The downloads of a document (the live board's or a snapshot's), by file name. */
export const EXPORTS = ['export.tldr', 'archive.zip', 'map.svg', ...OUTCOME_FORMATS.map((f) => `outcome.${f}` as const), 'outcome.pdf'] as const
export type ExportName = (typeof EXPORTS)[number]

export function tldrOf(doc: Y.Doc): TldrFile {
  const stored = metaOf(doc).get(MetaKey.schema) as SerializedSchema | undefined
  return toTldr(boardRecords<TLRecord>(doc), stored ?? boardSchema.serialize())
}

/**
 * The board as it would be with the changes that arrived after the session was closed, as a
 * .tldr file (import it to continue from there); null when there were none.
 */
function withLateEdits(doc: Y.Doc, late: Uint8Array[]): TldrFile | null {
  if (late.length === 0) return null
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  for (const update of late) {
    try {
      Y.applyUpdate(copy, update)
    } catch {
      // A damaged late update is skipped; the others still count.
    }
  }
  const file = tldrOf(copy)
  copy.destroy()
  return file
}

export interface ZipEntry {
  name: string
  data: Uint8Array | string
}

/** A zip (deflate) of the entries, in the order given. */
export function zip(entries: ZipEntry[]): Buffer {
  const files = Object.fromEntries(entries.map((e) => [e.name, typeof e.data === 'string' ? strToU8(e.data) : e.data] as const))
  return Buffer.from(zipSync(files, { level: 6 }))
}

/**
 * The files of a board's or snapshot's archive: .tldr, outcome (JSON), report (Markdown, HTML),
 * map (SVG), and — when changes arrived after closing — the board with them (`na-sluiting.tldr`).
 */
export function archiveFiles(doc: Y.Doc, title: string, lang: 'nl' | 'en' = 'nl', late: Uint8Array[] = []): ZipEntry[] {
  const outcome = outcomeOf(doc, title)
  const afterClosing = withLateEdits(doc, late)
  return [
    { name: 'bord.tldr', data: JSON.stringify(tldrOf(doc)) },
    { name: 'uitkomst.json', data: JSON.stringify(outcome, null, 2) },
    { name: 'verslag.md', data: renderMarkdown(outcome, lang) },
    { name: 'verslag.html', data: renderHtml(outcome, lang) },
    { name: 'overzicht.svg', data: schematicSvg(boardRecords<TLRecord>(doc) as never) },
    ...(afterClosing ? [{ name: 'na-sluiting.tldr', data: JSON.stringify(afterClosing) }] : []),
  ]
}

/** The archive as one zip file. */
export function archiveOf(doc: Y.Doc, title: string, lang: 'nl' | 'en' = 'nl', late: Uint8Array[] = []): Buffer {
  return zip(archiveFiles(doc, title, lang, late))
}
