/**
 * What closing a session does, in one place. A facilitator closes the session when the
 * conference is over (POST /api/boards/:id/close); the steps, in their order:
 *
 * 1. **Refused if it is closed already** (409): a second close would take a second final
 *    snapshot and hand the action lines over twice.
 * 2. **`closedAt` goes into the board's document** (meta), as a change everyone connected
 *    receives: their pages turn read-only, and from then on the Room refuses every change that
 *    adds something (server/room/room.ts) — one written offline, or typed as it closed, is kept
 *    aside by persistence (server/room/persistence.ts, `onLateChange`, bounded by
 *    Limits.maxLateUpdates) and goes into the archive zip as "after closing", not onto the board.
 * 3. **The catalogue records `closedAt`**: the lobby and the archive list show a closed board
 *    without loading its document.
 * 4. **The final snapshot** (kind `close`), after the document is closed so nothing lands
 *    between the two: the outcome as it was closed, which the archive and the report show.
 * 5. **The board's programme takes it over** (the vliegwiel, server/programmes/programmes.ts): a
 *    conference's action lines become the programme's lines, a terugkomdag's decisions flow
 *    back. Last, because it reads the closed board; its failure is logged and the close stands.
 *
 * What a close does not do: the board keeps its links, its snapshots and its exports; revert is
 * refused on it (fork a snapshot into a new, open board instead: fork-board.ts).
 */
import type { BoardId } from '../../shared/board-id.ts'
import { metaOf, MetaKey } from '../../shared/doc-layout.ts'
import { serverName } from '../../shared/server-names.ts'
import { HttpError } from '../http/http-error.ts'
import type { Logger } from '../log.ts'
import type { ProgrammeService } from '../programmes/programmes.ts'
import type { RoomRegistry } from '../room/rooms.ts'
import type { SnapshotInfo, Storage } from '../storage/storage.ts'
import type { SnapshotService } from './snapshots.ts'

export interface CloseSessionDeps {
  storage: Pick<Storage, 'catalogue'>
  rooms: RoomRegistry
  snapshots: SnapshotService
  programmes: Pick<ProgrammeService, 'onBoardClosed'>
  log: Logger
}

export async function closeSession(
  deps: CloseSessionDeps,
  id: BoardId,
  by: string,
  now: () => number = Date.now,
): Promise<{ closedAt: number; snapshot: SnapshotInfo }> {
  const { storage, rooms, snapshots, programmes, log } = deps
  if (!(await storage.catalogue.get(id))) throw new HttpError(404, `board ${id} does not exist`)
  // 1. Once.
  if (await rooms.isClosed(id)) throw new HttpError(409, 'the session is already closed')
  // 2. Read-only for everyone, in the document itself.
  const closedAt = now()
  await rooms.change(id, (doc) => metaOf(doc).set(MetaKey.closedAt, closedAt))
  // 3. The catalogue knows without loading the board.
  await storage.catalogue.setClosed(id, closedAt)
  // 4. The outcome as closed.
  const snapshot = await snapshots.take(id, { name: serverName('closed'), kind: 'close', by })
  log.info('session closed', { board: id })
  // 5. Handed over to its programme, if it has one (logs its own failure).
  await programmes.onBoardClosed(id)
  return { closedAt, snapshot }
}
