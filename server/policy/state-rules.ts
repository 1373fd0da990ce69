/**
 * What a client may write in a board's `facilitation` and `meta` maps (issue 20, finding 10: a
 * facilitator link wrote any JSON there, and every reader re-parsed with fallbacks). Judged for
 * every role; participants write neither map at all (update-policy.ts refuses them first).
 *
 * - `facilitation`: each key by its schema in shared/facilitation.ts, the one readers use. The
 *   vote is the server's (the votes API counts the dots): a client's vote state would be a forged
 *   result.
 * - `meta`: the tldraw schema (record-rules.ts judges it); the session, template, programme link
 *   and closing time are written by the server when the board is made or closed.
 * - A key may not be removed: a value replaced by a new one is (Yjs deletes the old value), a key
 *   left with none is not — readers would fall back to defaults (no agenda, a blank session).
 */
import type { z } from 'zod'
import { DocKey, MetaKey } from '../../shared/doc-layout.ts'
import { FacilitationEntry } from '../../shared/facilitation.ts'
import { VOTE_KEY } from '../../shared/voting.ts'

export type EntryVerdict = { ok: true } | { ok: false; kind: 'forbidden' | 'invalid'; reason: string }

/** Keys only the server writes: a client's write of one is refused as forbidden. */
const SERVER_ONLY: Record<string, ReadonlySet<string>> = {
  [DocKey.facilitation]: new Set([VOTE_KEY]),
  [DocKey.meta]: new Set([MetaKey.session, MetaKey.template, MetaKey.closedAt, 'programme']),
}

const ENTRIES: Record<string, Readonly<Record<string, z.ZodType>>> = {
  [DocKey.facilitation]: FacilitationEntry,
  // The schema's value is judged by record-rules.ts (judgeSchema): here only that the key exists.
  [DocKey.meta]: {},
}

const OK: EntryVerdict = { ok: true }

/** The first schema complaint, as `path: message`. */
function complaint(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'is not valid'
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`
}

/** A value written at `root.key` (root is `facilitation` or `meta`); `meta.schema` passes here. */
export function judgeEntry(root: string, key: string, value: unknown): EntryVerdict {
  if (root === DocKey.meta && key === MetaKey.schema) return OK
  if (SERVER_ONLY[root]?.has(key)) return { ok: false, kind: 'forbidden', reason: `${root}.${key} is written by the server only` }
  const schema = ENTRIES[root]?.[key]
  if (!schema) return { ok: false, kind: 'invalid', reason: `${root}.${key} is no part of a board` }
  const result = schema.safeParse(value)
  return result.success ? OK : { ok: false, kind: 'invalid', reason: `${root}.${key} ${complaint(result.error)}` }
}

/** Whether `root` is one of the maps judged here. */
export const isStateRoot = (root: string): boolean => root === DocKey.facilitation || root === DocKey.meta
