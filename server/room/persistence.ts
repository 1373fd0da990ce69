/**
 * Persistence as a Room extension: loads the board from storage, writes the changes made on this
 * server (batched, one transaction per batch, retried while storage fails), compacts the log and
 * keeps changes written after the session closed. Changes another server applied first
 * (RemoteOrigin) are that server's to store, not written twice — except when that server died
 * before it could (`onSourceLost`): then what storage lacks is written from the document here,
 * once (under the board's repair lease; an update already stored is harmless in Yjs).
 */
import * as Y from 'yjs'
import { Limits } from '../../shared/protocol.ts'
import { once, type Leases } from '../cluster/lease.ts'
import type { Logger } from '../log.ts'
import { isLocalChange, RemoteOrigin, type Room, type RoomExtension, type RoomExtensionFactory } from './room.ts'
import { BoardDeletedError, isStorageFull, type Storage } from '../storage/storage.ts'

export interface PersistenceOptions {
  /** How long updates may wait before they are written (one transaction per batch). */
  flushMs: number
  /**
   * Compact the stored log when it has grown by this many updates — or, before that, when the
   * bytes appended since the last compaction reach the board's own size (at least
   * `compactMinBytes`): a big board is not re-encoded every few hundred small edits.
   */
  compactEvery: number
  compactMinBytes?: number
  /**
   * Encodes the state the stored log makes, for compaction, away from the event loop
   * (server/room/board-work.ts). Without it the log is merged here.
   */
  compactState?: (updates: Uint8Array[]) => Promise<Uint8Array>
}

const RETRY_MS = 1_000
/** A log smaller than this is never worth compacting by size. */
const COMPACT_MIN_BYTES = 1024 * 1024
/** Longest a compaction or a repair may hold its lease. */
const LEASE_MS = 60_000

export function persistence(storage: Pick<Storage, 'log' | 'members'>, leases: Leases, log: Logger, options: PersistenceOptions): RoomExtensionFactory {
  return (room: Room): RoomExtension => {
    const id = room.id
    let pending: Uint8Array[] = []
    /** The batch being written. */
    let writing: Uint8Array[] = []
    let appendedSinceCompact = 0
    /** Bytes appended since the last compaction, and the board's size then. */
    let appendedBytes = 0
    let compactedBytes = 0
    let flushTimer: ReturnType<typeof setTimeout> | undefined
    let persisting: Promise<void> = Promise.resolve()
    let lateKeeping: Promise<void> = Promise.resolve()
    let discarded = false
    /** Changes from other servers are in the document (they store them; if one dies, we do). */
    let holdsRemote = false

    const flush = (): Promise<void> => {
      clearTimeout(flushTimer)
      flushTimer = undefined
      persisting = persisting.then(async () => {
        if (pending.length === 0 || discarded) return
        const batch = pending
        pending = []
        writing = batch
        try {
          await storage.log.append(id, batch)
          appendedSinceCompact += batch.length
          appendedBytes += batch.reduce((n, u) => n + u.length, 0)
        } catch (error) {
          if (error instanceof BoardDeletedError) {
            // Deleted meanwhile (through another server): nothing more is written, everyone goes.
            log.warn('board was deleted while changes were on their way: they are dropped', { board: id, updates: batch.length })
            room.discard()
            return
          }
          pending = [...batch, ...pending]
          log.error(
            isStorageFull(error)
              ? 'saving board failed: storage is full (SQLITE_FULL or disk_full); edits are kept in memory and retried'
              : 'saving board failed; will retry',
            { board: id, updates: pending.length, error },
          )
          if (!discarded) flushTimer ??= setTimeout(() => void flush(), RETRY_MS)
          return
        } finally {
          writing = []
        }
        const byBytes = appendedSinceCompact > 1 && appendedBytes >= Math.max(options.compactMinBytes ?? COMPACT_MIN_BYTES, compactedBytes)
        if (appendedSinceCompact >= options.compactEvery || byBytes) await compactNow()
      })
      return persisting
    }

    /**
     * Replaces the stored log, through what was read, by the state it makes. Runs in the
     * persisting chain (nothing of ours is appended between reading and replacing), holding the
     * board's compaction lease (one compactor in the cluster); another server's appends meanwhile
     * stay, past the watermark. The state is encoded in a worker when the server gives one (a
     * 5,000-card board takes ~60 ms to encode, ~150 ms to load).
     */
    const compactNow = async () => {
      try {
        const ran = await once(leases, `compact:${id}`, LEASE_MS, async () => {
          const { updates, through } = await storage.log.loadLog(id)
          if (updates.length <= 1) return
          const state = options.compactState ? await options.compactState(updates) : Y.mergeUpdates(updates)
          await storage.log.compact(id, state, through)
          compactedBytes = state.length
        })
        if (ran) {
          appendedSinceCompact = 1
          appendedBytes = 0
        }
      } catch (error) {
        if (error instanceof BoardDeletedError) return
        log.error('compacting board failed', { board: id, error })
      }
    }

    /** Writes what the document holds and storage lacks (changes only a dead server had). */
    const keepWhatStorageLacks = () =>
      once(leases, `repair:${id}`, LEASE_MS, async () => {
        const stored = await storage.log.load(id)
        const storedState = options.compactState ? await options.compactState(stored) : Y.mergeUpdates(stored)
        const missing = Y.encodeStateAsUpdate(room.doc, Y.encodeStateVectorFromUpdate(storedState))
        await storage.log.append(id, [missing])
        log.info('kept the changes of a server that is gone', { board: id, bytes: missing.length })
      })

    return {
      async load() {
        const { updates } = await storage.log.loadLog(id)
        appendedSinceCompact = updates.length
        appendedBytes = updates.reduce((n, u) => n + u.length, 0)
        return updates
      },
      onChange(update, origin) {
        if (origin instanceof RemoteOrigin) {
          holdsRemote = true
          return
        }
        if (!isLocalChange(origin) || discarded) return
        pending.push(update)
        flushTimer ??= setTimeout(() => void flush(), options.flushMs)
      },
      onMember(keyHash, role) {
        // Counted for the archive ("how many took part"); a failed write loses only that count.
        storage.members.add(id, keyHash, role).catch((error: unknown) => log.warn('recording a member failed', { board: id, error }))
      },
      onLateChange(update) {
        // Kept in order, and bounded: a closed board's late changes cannot fill the disk.
        lateKeeping = lateKeeping
          .then(async () => {
            const { count, bytes } = await storage.log.lateUpdateStats(id)
            if (count >= Limits.maxLateUpdates || bytes + update.length > Limits.maxLateBytes) {
              log.warn('change after closing dropped: this board keeps no more of them', { board: id, count, bytes })
              return
            }
            await storage.log.addLateUpdate(id, update)
            log.warn('change after closing kept aside', { board: id, bytes: update.length })
          })
          .catch((error: unknown) => log.error('keeping a late change failed', { board: id, error }))
      },
      unsaved: () => [...writing, ...pending],
      flush,
      async compact() {
        await flush()
        persisting = persisting.then(compactNow)
        await persisting
      },
      async onSourceLost() {
        if (!holdsRemote) return
        await flush()
        await keepWhatStorageLacks().catch((error: unknown) => log.error("keeping a gone server's changes failed", { board: id, error }))
      },
      async onUnload() {
        await flush()
        while (pending.length > 0 && !discarded) {
          // Storage is failing: keep trying rather than drop what people wrote.
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
          await flush()
        }
        if (appendedSinceCompact > 1 && !discarded) {
          persisting = persisting.then(compactNow)
          await persisting
        }
      },
      onDiscard() {
        discarded = true
        clearTimeout(flushTimer)
        pending = []
      },
    }
  }
}
