/**
 * The Prullenbak: cards deleted from a board, kept by the server in the board's document (the
 * `trash` map, written by nobody else) with who deleted them and when. A facilitator restores
 * one card by writing it back into `records`; the server then takes it out of the trash. Nothing
 * else of the board is reverted.
 */
import type * as Y from 'yjs'
import { DocKey } from './doc-layout.ts'
import { shapeText, type AnyRecord } from './format/extract-outcome.ts'

export interface TrashEntry {
  /** The shape as it was when deleted. */
  record: { id: string; typeName: string; type?: string; parentId?: string; props?: Record<string, unknown>; meta?: Record<string, unknown> }
  /** The name the deleting person went by ('' when unknown). */
  by: string
  /** Their role on the board. */
  role: string
  /**
   * The hash of the member key their connection proved (absent: none, or an older entry): the
   * name is what they typed, this is who they are (issue 20).
   */
  keyHash?: string
  /** When (server time, ms since epoch). */
  at: number
}

/** Cards kept; the oldest go first. A conference deletes a few hundred at most. */
export const TRASH_LIMIT = 500

export const trashOf = (doc: Y.Doc): Y.Map<TrashEntry> => doc.getMap<TrashEntry>(DocKey.trash)

/** The trash, newest first; malformed entries are skipped. */
export function readTrash(doc: Y.Doc): TrashEntry[] {
  const list: TrashEntry[] = []
  for (const entry of trashOf(doc).values()) {
    if (entry && typeof entry === 'object' && typeof entry.at === 'number' && entry.record && typeof entry.record.id === 'string') list.push(entry)
  }
  return list.sort((a, b) => b.at - a.at)
}

/** A short text of a deleted card for the list: what the card says (the report's reading of it). */
export function trashLabel(entry: TrashEntry): string {
  return shapeText(entry.record as AnyRecord).slice(0, 120)
}
