/**
 * A connection that arrives as its board is let go (idle, or shutdown) waits for the board to be
 * loaded again instead of being refused: found by the room sync fuzz (tests/server/room-sync-fuzz.test.ts),
 * where a connection made in the same turn as an unload was closed with 1011 "room … is unloading".
 */
import { describe, expect, it } from 'vitest'
import { parseBoardId, type BoardId } from '../../shared/board-id.ts'
import { recordsOf } from '../../shared/doc-layout.ts'
import { localLeases } from '../../server/cluster/lease.ts'
import { createMemoryLogger } from '../../server/log.ts'
import { participantPolicy } from '../../server/policy/participant-policy.ts'
import { acceptConnection } from '../../server/room/connection.ts'
import { persistence } from '../../server/room/persistence.ts'
import { RoomRegistry } from '../../server/room/rooms.ts'
import { createMemoryStorage } from '../../server/storage/memory-storage.ts'
import { MemorySocketPair, ProtocolClient } from '../helpers/memory-socket.ts'
import { card } from '../helpers/records.ts'
import { waitFor } from '../helpers/wait.ts'

const BOARD = parseBoardId('unload-race') as BoardId

describe('a board being let go', () => {
  it('takes a connection that arrives in the same turn into the board loaded again', async () => {
    const storage = createMemoryStorage()
    const log = createMemoryLogger()
    const board = { flushMs: 5, idleUnloadMs: 60_000, compactEvery: 100, maxBoardBytes: 1e7 }
    const rooms = new RoomRegistry(storage, log, { room: board, policy: participantPolicy, extensions: [persistence(storage, localLeases(), log, board)] })
    const first = await rooms.open(BOARD)
    first.change((doc) => recordsOf(doc).set('shape:kept', card('shape:kept', 'Bewaard')))

    const client = new ProtocolClient(7, { member: { userId: 'Fien', name: 'Fien', role: 'facilitator', groupId: '', hand: false } })
    const pair = new MemorySocketPair()
    acceptConnection(pair.server, BOARD, 'fien-1', 'facilitator', undefined, rooms, log)
    client.connect(pair.client)
    await first.unload('idle')

    await waitFor(
      async () => {
        pair.deliverToServer()
        pair.deliverToClient()
        await new Promise((resolve) => setImmediate(resolve))
        return client.synced || !pair.isOpen
      },
      { what: 'the client synced or closed', timeout: 5_000 },
    )
    expect({ closes: client.closes, synced: client.synced, card: recordsOf(client.doc).has('shape:kept') }).toEqual({ closes: [], synced: true, card: true })
    expect(rooms.get(BOARD)).not.toBe(first)
    await rooms.unloadAll()
    client.destroy()
  })
})
