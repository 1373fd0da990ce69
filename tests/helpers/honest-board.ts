/** A board under attack in tests: an honest writer, what was stored, and a check that all carries on. */
import { expect } from 'vitest'
import type { BoardId } from '../../shared/board-id.ts'
import { makeClient, recordsJson } from './client.ts'
import { card } from './records.ts'
import type { TestServer } from './server.ts'
import { waitFor } from './wait.ts'

/** A board with an honest writer and its stored state, and a check that all carries on afterwards. */
export async function honestBoard(server: TestServer, board: string) {
  const honest = makeClient(server.wsUrl, board)
  await honest.synced()
  honest.records.set('shape:good', card('shape:good', 'voor de aanval'))
  const probe = makeClient(server.wsUrl, board)
  await probe.synced()
  await waitFor(() => probe.records.has('shape:good'))
  probe.destroy()
  const room = () => server.server.rooms.get(board as BoardId)!
  await room().flush()
  const stored = await server.storage.log.load(board as BoardId)
  return {
    honest,
    room,
    /** Nothing stored changed, the honest client still edits, a newcomer converges, another board works. */
    async carriesOn() {
      await room().flush()
      expect(await server.storage.log.load(board as BoardId)).toEqual(stored)
      honest.records.set('shape:after', card('shape:after', 'na de aanval'))
      const late = makeClient(server.wsUrl, board)
      await late.synced()
      await waitFor(() => late.records.has('shape:after'), { what: 'an edit after the attack' })
      expect(recordsJson(late.doc)).toEqual(recordsJson(honest.doc))
      const other = makeClient(server.wsUrl, `${board}-other`)
      await other.synced()
      other.records.set('shape:x', card('shape:x', 'elders'))
      const otherLate = makeClient(server.wsUrl, `${board}-other`)
      await otherLate.synced()
      await waitFor(() => otherLate.records.has('shape:x'), { what: 'another board to work' })
    },
  }
}
