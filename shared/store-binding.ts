/**
 * Two-way binding between a tldraw store and a board's Y.Doc (layout in doc-layout.ts).
 *
 * - Local changes go to Yjs only when the store reports them with `source: 'user'`, in one
 *   Yjs transaction tagged with this binding's origin.
 * - Remote changes enter the store through `mergeRemoteChanges`, so they never reach the
 *   local undo stack and are not echoed back.
 * - A record tldraw cannot draw (shared/drawable.ts: a stroke without points, a loop of parents),
 *   which a board may hold from before the server refused them, stays out of the store, with a
 *   warning: one such record froze or crashed every browser on the board. The doc keeps it.
 * - The doc's `meta.schema` says which tldraw schema the records are written in. A client older
 *   than the board goes `outdated`: it stops writing and the UI asks the user to reload.
 *   A newer client migrates the records up and writes them back with its schema.
 *
 * No DOM: runs in the browser, in jsdom tests and in Node.
 */
import type * as Y from 'yjs'
import type { TLRecord, TLStore } from '@tldraw/tlschema'
import { metaOf, MetaKey, recordsOf } from './doc-layout.ts'
import { compareSchemas, isSerializedSchemaV2, type SchemaCompat, type SerializedSchemaV2 } from './schema-compat.ts'
import { undrawable, undrawableAmong, type BoardView } from './drawable.ts'
import { sameJson } from './ownership.ts'

export type BindingState = { kind: 'live' } | { kind: 'outdated'; reason: 'board-schema-newer' | 'migration-failed' }

/** The Yjs transaction origin of the binding's own writes. */
export interface StoreOrigin {
  kind: 'tldraw-store'
  binding: number
}

export interface StoreDocBinding {
  getState(): BindingState
  onStateChange(listener: (state: BindingState) => void): () => void
  dispose(): void
}

export type BindingLog = (message: string, detail?: unknown) => void

let nextBindingId = 1

/**
 * Document-scoped tldraw records that belong to one person, not to the board: tldraw 5 keeps the
 * current `user:` record in the document scope, but a person's name and colour travel in
 * presence (awareness), and a board document holds board content only.
 */
const PERSONAL_TYPES = new Set(['user'])
export const isPersonalRecord = (record: { typeName: string }) => PERSONAL_TYPES.has(record.typeName)

export interface BindingOptions {
  /** Records that stay in this store only (private-round notes); written once this turns false. */
  isLocalOnly?: (record: TLRecord) => boolean
  /**
   * A viewer's binding (or a closed session's): it reads the board and writes nothing — not even
   * the records tldraw makes by itself (the `user:` record of the person), which the server would
   * refuse from a viewer and close the connection for.
   */
  readOnly?: boolean
}

/**
 * Runs `fn` with the store's side effects (tldraw's repairs, the board's own handlers) off.
 * tldraw has no public switch for this; `setIsEnabled` is the one its store uses for the same
 * purpose (atomic with runCallbacks false), kept out of its published types.
 */
function withoutSideEffects(store: TLStore, fn: () => void): void {
  const effects = store.sideEffects as unknown as { isEnabled(): boolean; setIsEnabled(enabled: boolean): void }
  const before = effects.isEnabled()
  effects.setIsEnabled(false)
  try {
    fn()
  } finally {
    effects.setIsEnabled(before)
  }
}

export function bindStoreToDoc(
  store: TLStore,
  doc: Y.Doc,
  log: BindingLog = () => {},
  { isLocalOnly: isPrivate = () => false, readOnly = false }: BindingOptions = {},
): StoreDocBinding {
  const isLocalShape = (record: TLRecord) => isPersonalRecord(record) || isPrivate(record)
  /**
   * A binding goes with its ends: one to or from a shape kept in this browser (an arrow drawn from
   * a note of a private round) stays here too. Only shapes carried the tag, and such a binding
   * reached everyone bound to a note nobody else had; tldraw dropped it in every other browser and
   * never took it back after the reveal. `gone`: shapes removed in the same change.
   */
  const isLocalOnly = (record: TLRecord, gone?: Record<string, TLRecord>) => {
    if (isLocalShape(record)) return true
    if (record.typeName !== 'binding') return false
    return [record.fromId, record.toId].some((id) => {
      const end = store.get(id) ?? gone?.[id]
      return end !== undefined && isLocalShape(end)
    })
  }
  /** The bindings of shapes that were kept here and are shared now (a reveal): they go too. */
  const bindingsOfShared = (shared: ReadonlySet<string>) =>
    shared.size === 0 ? [] : store.allRecords().filter((r) => r.typeName === 'binding' && (shared.has(r.fromId) || shared.has(r.toId)) && !isLocalOnly(r))
  const records = recordsOf<TLRecord>(doc)
  const meta = metaOf(doc)
  const origin: StoreOrigin = { kind: 'tldraw-store', binding: nextBindingId++ }
  const localSchema = store.schema.serialize() as SerializedSchemaV2
  const listeners = new Set<(state: BindingState) => void>()
  let state: BindingState = { kind: 'live' }

  const setState = (next: BindingState) => {
    state = next
    for (const listener of listeners) listener(next)
  }

  const boardSchema = (): SerializedSchemaV2 | undefined => {
    const value = meta.get(MetaKey.schema)
    return isSerializedSchemaV2(value) ? value : undefined
  }

  /** The records of a remote change that tldraw can draw, and why the others cannot be. */
  const drawableOf = (toPut: TLRecord[], toRemove: TLRecord['id'][]) => {
    const skipped: { id: TLRecord['id']; reason: string }[] = []
    let put = toPut.filter((record) => {
      let reason: string | null
      try {
        reason = undrawable(record)
      } catch (error) {
        reason = `it is not a valid record (${(error as Error).message})`
      }
      if (reason) skipped.push({ id: record.id, reason })
      return !reason
    })
    const absent = new Set<string>([...toRemove, ...skipped.map((s) => s.id)])
    for (;;) {
      const batch = new Map<string, TLRecord>(put.map((r) => [r.id, r]))
      const view: BoardView = {
        get: (id) => batch.get(id) ?? (absent.has(id) ? undefined : store.get(id as TLRecord['id'])),
        before: (id) => store.get(id as TLRecord['id']),
        bindings: () => [...store.allRecords().filter((r) => r.typeName === 'binding' && !batch.has(r.id) && !absent.has(r.id)), ...put],
      }
      const unfit = undrawableAmong(put, view)
      if (!unfit) return { put, skipped }
      skipped.push(unfit as { id: TLRecord['id']; reason: string })
      absent.add(unfit.id)
      put = put.filter((r) => r.id !== unfit.id)
    }
  }

  const applyRemote = (remotePut: TLRecord[], toRemove: TLRecord['id'][]) => {
    const { put: toPut, skipped } = drawableOf(remotePut, toRemove)
    for (const { id, reason } of skipped) log(`skipped a record tldraw cannot draw: ${id}: ${reason}`)
    const merge = () => {
      const present = [...toRemove, ...skipped.map((s) => s.id)].filter((id) => store.has(id))
      if (present.length > 0) store.remove(present)
      if (toPut.length === 0) return
      try {
        store.put(toPut)
      } catch {
        // One bad record must not keep the good ones out: retry one by one.
        for (const record of toPut) {
          try {
            store.put([record])
          } catch (error) {
            log(`skipped invalid remote record ${record.id}`, error)
          }
        }
      }
    }
    try {
      store.mergeRemoteChanges(merge)
    } catch (error) {
      // tldraw's own repairs after the change threw, and the throw rolled the whole change back:
      // the store kept its old records for good while the doc had moved on. Seen: a group that
      // concurrent edits left with one child, dissolved between two siblings with one index
      // ('a3 >= a3', session fuzzer seed 20261203). The doc's records go in as they are instead.
      log(`tldraw could not follow a remote change; applied without its side effects: ${(error as Error).message}`)
      withoutSideEffects(store, () => store.mergeRemoteChanges(merge))
    }
  }

  const loadFromDoc = (compat: SchemaCompat, schema: SerializedSchemaV2) => {
    const migrated = store.schema.migrateStoreSnapshot({
      store: Object.fromEntries(records.entries()) as Record<TLRecord['id'], TLRecord>,
      schema,
    })
    if (migrated.type === 'error') {
      log(`board records could not be migrated: ${migrated.reason}`)
      setState({ kind: 'outdated', reason: 'migration-failed' })
      return
    }
    const next = Object.fromEntries(Object.entries(migrated.value as Record<string, TLRecord>).filter(([, r]) => !isPersonalRecord(r)))
    const stale = store
      .allRecords()
      .filter((r) => store.scopedTypes.document.has(r.typeName) && !(r.id in next) && !isLocalOnly(r))
      .map((r) => r.id)
    applyRemote(Object.values(next), stale)
    if (compat === 'local-newer' && !readOnly) {
      doc.transact(() => {
        for (const [id, record] of Object.entries(next)) {
          if (JSON.stringify(records.get(id)) !== JSON.stringify(record)) records.set(id, record)
        }
        meta.set(MetaKey.schema, localSchema)
      }, origin)
    }
  }

  const writeLocalToEmptyDoc = () => {
    doc.transact(() => {
      meta.set(MetaKey.schema, localSchema)
      for (const record of store.allRecords()) {
        if (store.scopedTypes.document.has(record.typeName) && !isLocalOnly(record)) records.set(record.id, record)
      }
    }, origin)
  }

  // Initial state: the doc is expected to hold the server's state already (bind after sync).
  const initialSchema = boardSchema()
  if (records.size === 0) {
    if (!readOnly) writeLocalToEmptyDoc()
  } else {
    const schema = initialSchema ?? localSchema
    const compat = compareSchemas(localSchema, schema)
    if (compat === 'board-newer') setState({ kind: 'outdated', reason: 'board-schema-newer' })
    else loadFromDoc(compat, schema)
    if (initialSchema === undefined && compat !== 'board-newer' && !readOnly) {
      doc.transact(() => meta.set(MetaKey.schema, localSchema), origin)
    }
  }

  const onRecords = (event: Y.YMapEvent<TLRecord>, transaction: Y.Transaction) => {
    if (transaction.origin === origin || state.kind !== 'live') return
    const toPut: TLRecord[] = []
    const toRemove: TLRecord['id'][] = []
    event.changes.keys.forEach((change, id) => {
      if (change.action === 'delete') {
        toRemove.push(id as TLRecord['id'])
        return
      }
      const record = records.get(id)
      if (record && !isPersonalRecord(record)) toPut.push(record)
    })
    applyRemote(toPut, toRemove)
  }

  const onMeta = (_event: Y.YMapEvent<unknown>, transaction: Y.Transaction) => {
    if (transaction.origin === origin) return
    const schema = boardSchema()
    if (schema && compareSchemas(localSchema, schema) === 'board-newer') {
      setState({ kind: 'outdated', reason: 'board-schema-newer' })
    }
  }

  const stopListening = store.listen(
    ({ changes }) => {
      if (state.kind !== 'live' || readOnly) return
      // tldraw reports local changes on the next animation frame; a remote change that came in
      // before it has already replaced them in the store. So what goes to the doc is the record
      // as the store holds it now, not as the change left it: writing the change's own record
      // put a stale one in the doc (a text in a group tldraw had just dissolved) while the store
      // kept the remote one.
      const write = (id: TLRecord['id']) => {
        const now = store.get(id)
        if (now && !isLocalOnly(now) && !sameJson(records.get(id), now)) records.set(id, now)
      }
      doc.transact(() => {
        const nowShared = new Set<string>()
        for (const record of Object.values(changes.added)) if (!isLocalOnly(record)) write(record.id)
        for (const [from, to] of Object.values(changes.updated)) {
          if (isLocalOnly(to)) continue
          write(to.id)
          if (to.typeName === 'shape' && isLocalShape(from)) nowShared.add(to.id)
        }
        for (const binding of bindingsOfShared(nowShared)) if (!records.has(binding.id)) records.set(binding.id, binding)
        for (const [id, record] of Object.entries(changes.removed)) {
          if (!isLocalOnly(record, changes.removed) && !store.has(id as TLRecord['id'])) records.delete(id)
        }
      }, origin)
    },
    { source: 'user', scope: 'document' },
  )
  records.observe(onRecords)
  meta.observe(onMeta)

  return {
    getState: () => state,
    onStateChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    dispose() {
      stopListening()
      records.unobserve(onRecords)
      meta.unobserve(onMeta)
      listeners.clear()
    },
  }
}
