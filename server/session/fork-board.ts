/**
 * A new board whose content is a snapshot's (POST /api/boards/:id/snapshots/:sid/fork); the
 * original is left alone. A fork is a new, open session: not closed, nobody presenting, no
 * round or vote running, and the original's co-facilitators are not the fork's.
 */
import * as Y from 'yjs'
import { newBoardId, type BoardId } from '../../shared/board-id.ts'
import { metaOf, MetaKey } from '../../shared/doc-layout.ts'
import { facilitationOf, FacilitationKey } from '../../shared/facilitation.ts'
import { PRIVATE_ROUND_KEY } from '../../shared/private-round.ts'
import { serverName } from '../../shared/server-names.ts'
import { VOTE_KEY } from '../../shared/voting.ts'
import { HttpError } from '../http/http-error.ts'
import type { Logger } from '../log.ts'
import type { BoardInfo, Storage } from '../storage/storage.ts'
import { snapshotDoc, type SnapshotService } from './snapshots.ts'

/** What a fork starts without: the original's live facilitation. */
const FORK_RESETS = [FacilitationKey.presenter, FacilitationKey.summon, FacilitationKey.spotlight, FacilitationKey.cofacilitators, VOTE_KEY, PRIVATE_ROUND_KEY]

export interface ForkBoardDeps {
  storage: Pick<Storage, 'catalogue' | 'log'>
  snapshots: SnapshotService
  log: Logger
}

export async function forkBoard(deps: ForkBoardDeps, id: BoardId, snapshotId: string): Promise<BoardInfo> {
  const { storage, snapshots, log } = deps
  const info = await storage.catalogue.get(id)
  if (!info) throw new HttpError(404, `board ${id} does not exist`)
  const source = await snapshots.get(id, snapshotId)
  const doc = snapshotDoc(source)
  doc.transact(() => {
    metaOf(doc).delete(MetaKey.closedAt)
    const facilitation = facilitationOf(doc)
    for (const key of FORK_RESETS) facilitation.delete(key)
  })
  const state = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  const newId = newBoardId()
  const created = await storage.catalogue.create(newId, serverName('forkTitle', { title: info.title || serverName('untitledBoard'), name: source.name }))
  await storage.log.append(newId, [state])
  log.info('board forked', { board: id, snapshot: snapshotId, into: newId })
  return created
}
