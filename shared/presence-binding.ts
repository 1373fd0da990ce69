/**
 * Presence over the awareness protocol: the local user's tldraw presence (cursor, selection,
 * camera, name, colour) is published as the awareness field `presence`; every other client's
 * field becomes an `instance_presence` record in the store, which is what tldraw draws as
 * live cursors and lists in its people menu (with "follow").
 */
import type { Awareness } from 'y-protocols/awareness'
import { react, type Signal } from '@tldraw/state'
import { createPresenceStateDerivation, InstancePresenceRecordType, type TLInstancePresence, type TLStore, type TLUser } from '@tldraw/tlschema'

export const PRESENCE_FIELD = 'presence'

export interface PresenceOptions {
  /**
   * Minimum time between two published presence updates (cursor moves arrive per frame); a
   * function, so crowd mode can slow the sending down as well as the drawing.
   */
  throttleMs?: number | (() => number)
  /** Whether to draw a peer at all (crowd mode hides most cursors); re-checked on each update. */
  showPeer?: (state: Record<string, unknown>, presence: TLInstancePresence) => boolean
  /** Minimum time between two applied updates of one peer; 0 applies every update. */
  peerThrottleMs?: () => number
}

export function bindPresence(
  store: TLStore,
  awareness: Awareness,
  user: Signal<TLUser | null>,
  { throttleMs = 50, showPeer = () => true, peerThrottleMs = () => 0 }: PresenceOptions = {},
): () => void {
  const presence = createPresenceStateDerivation(user)(store)
  let lastSent = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  const publish = () => {
    timer = undefined
    lastSent = Date.now()
    awareness.setLocalStateField(PRESENCE_FIELD, presence.get())
  }
  const stopReacting = react('publish presence', () => {
    presence.get()
    if (timer !== undefined) return
    const wait = lastSent + (typeof throttleMs === 'function' ? throttleMs() : throttleMs) - Date.now()
    if (wait <= 0) publish()
    else timer = setTimeout(publish, wait)
  })

  const recordIdOf = (clientId: number) => InstancePresenceRecordType.createId(String(clientId))

  const lastApplied = new Map<number, number>()
  const deferred = new Map<number, ReturnType<typeof setTimeout>>()

  const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    const toPut: TLInstancePresence[] = []
    removed = [...removed]
    for (const clientId of [...added, ...updated]) {
      if (clientId === awareness.clientID) continue
      const wait = (lastApplied.get(clientId) ?? 0) + peerThrottleMs() - Date.now()
      if (wait > 0) {
        if (!deferred.has(clientId)) {
          deferred.set(
            clientId,
            setTimeout(() => {
              deferred.delete(clientId)
              onChange({ added: [], updated: [clientId], removed: [] })
            }, wait),
          )
        }
        continue
      }
      lastApplied.set(clientId, Date.now())
      const whole = awareness.getStates().get(clientId) ?? {}
      const state = whole[PRESENCE_FIELD] as TLInstancePresence | null | undefined
      if (state && showPeer(whole, state)) toPut.push({ ...state, id: recordIdOf(clientId) })
      else removed.push(clientId)
    }
    const toRemove = removed.map(recordIdOf).filter((id) => store.has(id))
    if (toPut.length === 0 && toRemove.length === 0) return
    store.mergeRemoteChanges(() => {
      if (toRemove.length > 0) store.remove(toRemove)
      for (const record of toPut) {
        try {
          store.put([record])
        } catch {
          // A peer sending presence we cannot validate is simply not drawn.
        }
      }
    })
  }
  awareness.on('change', onChange)
  onChange({ added: [...awareness.getStates().keys()], updated: [], removed: [] })

  return () => {
    stopReacting()
    if (timer !== undefined) clearTimeout(timer)
    for (const pending of deferred.values()) clearTimeout(pending)
    awareness.off('change', onChange)
    const ids = store.query.ids('instance_presence').get()
    store.mergeRemoteChanges(() => store.remove([...ids]))
  }
}
