/**
 * Whole-board work — encoding a board's state, a snapshot's hash, outcome and thumbnail, the
 * downloads, the archive's summary of a board — as plain functions of the board's stored bytes.
 * The server runs them in worker threads (server/room/board-work.ts), so a 5,000-card board being
 * snapshotted, compacted or exported does not hold up anyone's cursor or card. None of them
 * touches a live document. Reading an imported `.tldr` file runs here too.
 */
import * as Y from 'yjs'
import { boardRecords, templateOf } from '../../shared/doc-layout.ts'
import type { AnyRecord } from '../../shared/format/extract-outcome.ts'
import type { Outcome } from '../../shared/format/model.ts'
import { contentHash, schematicSvg } from '../../shared/snapshot.ts'
import { archiveOf, tldrOf, type ExportName } from '../session/exports.ts'
import { outcomeOf, renderOutcome } from '../session/outcome.ts'
import { renderPdf } from '../session/report-pdf.ts'

/** A board as stored: its log of Yjs updates (or one state), in order. */
export interface BoardBytes {
  updates: Uint8Array[]
}

/** The document the updates make; the caller destroys it. */
export function docOf(updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  Y.transact(doc, () => {
    for (const update of updates) Y.applyUpdate(doc, update)
  })
  return doc
}

function withDocOf<T>(updates: readonly Uint8Array[], fn: (doc: Y.Doc) => T): T {
  const doc = docOf(updates)
  try {
    return fn(doc)
  } finally {
    doc.destroy()
  }
}

/** The board's state as one update: what compaction stores instead of the log. */
export function compactState({ updates }: BoardBytes): Uint8Array {
  return withDocOf(updates, (doc) => Y.encodeStateAsUpdate(doc))
}

export interface SnapshotParts {
  state: Uint8Array
  contentHash: string
  /** The outcome as JSON. */
  outcome: string
  thumbnail: string
  /** Records left out because they are malformed (from before the server validated content). */
  skipped: number
}

export function snapshotParts({ updates, title }: BoardBytes & { title: string }): SnapshotParts {
  return withDocOf(updates, (doc) => {
    const skipped = { count: 0 }
    const records = boardRecords<AnyRecord>(doc, skipped)
    return {
      state: Y.encodeStateAsUpdate(doc),
      contentHash: contentHash(records),
      outcome: JSON.stringify(outcomeOf(doc, title)),
      thumbnail: schematicSvg(records),
      skipped: skipped.count,
    }
  })
}

export interface ExportRequest extends BoardBytes {
  title: string
  what: ExportName
  lang: 'nl' | 'en'
  /** Changes that arrived after the session was closed (archive.zip only). */
  late?: Uint8Array[]
}

/** The body of one download (the route adds type and file name). */
export async function exportFile({ updates, title, what, lang, late = [] }: ExportRequest): Promise<string | Uint8Array> {
  const doc = docOf(updates)
  try {
    switch (what) {
      case 'export.tldr':
        return JSON.stringify(tldrOf(doc))
      case 'archive.zip':
        return archiveOf(doc, title, lang, late)
      case 'map.svg':
        return schematicSvg(boardRecords<AnyRecord>(doc))
      case 'outcome.json':
        return renderOutcome(outcomeOf(doc, title), 'json', lang)
      case 'outcome.md':
        return renderOutcome(outcomeOf(doc, title), 'md', lang)
      case 'outcome.html':
        return renderOutcome(outcomeOf(doc, title), 'html', lang)
      case 'outcome.pdf':
        return await renderPdf(outcomeOf(doc, title), lang)
      default: {
        const unreachable: never = what
        throw new Error(`unknown export ${String(unreachable)}`)
      }
    }
  } finally {
    doc.destroy()
  }
}

/** What the archive lists of a board. */
export interface BoardSummaryParts {
  outcome: Outcome
  template: string
}

export function boardSummary({ updates, title }: BoardBytes & { title: string }): BoardSummaryParts {
  return withDocOf(updates, (doc) => ({ outcome: outcomeOf(doc, title), template: templateOf(doc) }))
}

/** A `.tldr` file read and judged (import-rules.ts): the new board's state, or why the file is refused. */
export type ImportVerdict = { ok: true; state: Uint8Array; droppedSources: number } | { ok: false; reason: string }

export async function importState({ text }: { text: string }): Promise<ImportVerdict> {
  // Loaded on the first import, not with this module: the rules load tldraw, which exports never need.
  const [{ importedState }, { TldrError }] = await Promise.all([import('../policy/import-rules.ts'), import('../../shared/tldr-file.ts')])
  try {
    return { ok: true, ...importedState(text) }
  } catch (error) {
    // A refusal crosses the thread as a value: an Error's class does not survive the copy.
    if (error instanceof TldrError) return { ok: false, reason: error.message }
    throw error
  }
}
