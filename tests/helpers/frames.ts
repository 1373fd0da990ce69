/** Raw y-websocket frames and hand-made Yjs updates, for tests that play a hostile client. */
import * as encoding from 'lib0/encoding'
import { MessageType, SyncMessageType } from '../../shared/protocol.ts'

export function syncUpdateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.sync)
  encoding.writeVarUint(e, SyncMessageType.update)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

export function awarenessFrame(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, entries.length)
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(inner, clientId)
    encoding.writeVarUint(inner, clock)
    encoding.writeVarString(inner, JSON.stringify(state))
  }
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.awareness)
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
  return encoding.toUint8Array(e)
}

/** A Yjs (v1) update holding one garbage-collected struct of `client` at `clock`, `length` long. */
export function gcUpdate(client: number, clock: number, length: number): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1) // clients
  encoding.writeVarUint(e, 1) // structs of this client
  encoding.writeVarUint(e, client)
  encoding.writeVarUint(e, clock)
  encoding.writeUint8(e, 0) // GC
  encoding.writeVarUint(e, length)
  encoding.writeVarUint(e, 0) // empty delete set
  return encoding.toUint8Array(e)
}

/**
 * Long chains of items, one new client, each holding `value` (ContentAny) in `records` under `key`.
 * - `to-last`: every item's origin is the update's last item — what made the old participant
 *   check quadratic (and what Yjs itself cannot integrate: an origin later than the item).
 * - `to-previous`: each item's origin is the one before it — a valid chain, the deepest walk.
 */
export function chainUpdate(client: number, n: number, key: string, value: unknown, shape: 'to-last' | 'to-previous'): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1) // clients
  encoding.writeVarUint(e, n)
  encoding.writeVarUint(e, client)
  encoding.writeVarUint(e, 0) // first clock
  const CONTENT_ANY = 8
  const rooted = shape === 'to-last' ? n - 1 : 0
  for (let clock = 0; clock < n; clock++) {
    if (clock !== rooted) {
      encoding.writeUint8(e, CONTENT_ANY | 0x80) // has an origin
      encoding.writeVarUint(e, client)
      encoding.writeVarUint(e, shape === 'to-last' ? n - 1 : clock - 1)
    } else {
      encoding.writeUint8(e, CONTENT_ANY | 0x20) // parent info and a key
      encoding.writeVarUint(e, 1) // parent is a root type, by name
      encoding.writeVarString(e, 'records')
      encoding.writeVarString(e, key)
    }
    encoding.writeVarUint(e, 1)
    encoding.writeAny(e, value as never)
  }
  encoding.writeVarUint(e, 0) // empty delete set
  return encoding.toUint8Array(e)
}
