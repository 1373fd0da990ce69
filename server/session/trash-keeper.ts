/**
 * Keeps the Prullenbak (shared/trash.ts) of a live board: every shape a connection deletes is put
 * in the `trash` map with who and when; a card written back (a facilitator's restore, or an undo)
 * leaves it. Changes the server makes itself (a revert to a snapshot) are not trashed: the
 * snapshot taken before the revert keeps them.
 */
import type * as Y from 'yjs'
import { recordsOf } from '../../shared/doc-layout.ts'
import { TRASH_LIMIT, trashOf, type TrashEntry } from '../../shared/trash.ts'

export interface Deleter {
  by: string
  role: string
  /** The member key hash the connection proved (server/room/room.ts Peer), when it proved one. */
  keyHash?: string
}

/**
 * Observes the board's records; `deleterOf` names the connection behind a transaction's origin
 * (undefined: not a connection); transactions `ignore` says so of are left alone. Returns the
 * function that stops it.
 */
export function keepTrash(
  doc: Y.Doc,
  deleterOf: (origin: unknown) => Deleter | undefined,
  origin: unknown,
  now: () => number = Date.now,
  ignore: (origin: unknown) => boolean = () => false,
): () => void {
  const records = recordsOf<TrashEntry['record']>(doc)
  const trash = trashOf(doc)
  const observer = (event: Y.YMapEvent<TrashEntry['record']>, transaction: Y.Transaction) => {
    // Changes relayed from another server: that server keeps its connections' trash.
    if (ignore(transaction.origin)) return
    const deleter = deleterOf(transaction.origin)
    const deleted: TrashEntry['record'][] = []
    const restored: string[] = []
    event.changes.keys.forEach((change, key) => {
      const old = change.oldValue as TrashEntry['record'] | undefined
      if (change.action === 'delete' && deleter && old?.typeName === 'shape' && typeof old.id === 'string') deleted.push(old)
      else if (change.action !== 'delete' && trash.has(key)) restored.push(key)
    })
    if (deleted.length === 0 && restored.length === 0) return
    doc.transact(() => {
      const at = now()
      for (const key of restored) trash.delete(key)
      for (const record of deleted) {
        const { by, role, keyHash } = deleter!
        trash.set(record.id, keyHash === undefined ? { record, by, role, at } : { record, by, role, keyHash, at })
      }
      if (trash.size > TRASH_LIMIT) {
        const oldest = [...trash.entries()].sort(([, a], [, b]) => (a?.at ?? 0) - (b?.at ?? 0))
        for (const [key] of oldest.slice(0, trash.size - TRASH_LIMIT)) trash.delete(key)
      }
    }, origin)
  }
  records.observe(observer)
  return () => records.unobserve(observer)
}
