/**
 * Deleting a board (a facilitator's DELETE /api/boards/:id), in its order: the tombstone first,
 * so a change still on its way to storage fails from then on; then whoever is connected is told
 * (CloseCode.boardDeleted) and the room is let go without saving; the snapshot timer forgets it;
 * last, its programme no longer lists it. Its links stay valid, and answer 410.
 */
import type { BoardId } from '../../shared/board-id.ts'
import { HttpError } from '../http/http-error.ts'
import type { Logger } from '../log.ts'
import type { ProgrammeService } from '../programmes/programmes.ts'
import type { RoomRegistry } from '../room/rooms.ts'
import type { Storage } from '../storage/storage.ts'
import type { SnapshotService } from './snapshots.ts'

export interface DeleteBoardDeps {
  storage: Pick<Storage, 'catalogue'>
  rooms: RoomRegistry
  snapshots: SnapshotService
  programmes: Pick<ProgrammeService, 'onBoardDeleted'>
  log: Logger
}

export async function deleteBoard(deps: DeleteBoardDeps, id: BoardId): Promise<void> {
  const { storage, rooms, snapshots, programmes, log } = deps
  if (!(await storage.catalogue.get(id))) throw new HttpError(404, `board ${id} does not exist`)
  await storage.catalogue.delete(id)
  await rooms.discard(id)
  snapshots.forget(id)
  log.info('board deleted', { board: id })
  await programmes.onBoardDeleted(id)
}
