/**
 * Bringing a board back from tldraw's `.tldr` file. Apart from exports.ts because it runs the
 * board worker, which itself builds the exports: in one module the two imported each other.
 */
import { newBoardId } from '../../shared/board-id.ts'
import { TldrError } from '../../shared/tldr-file.ts'
import type { BoardWork } from '../room/board-work.ts'
import type { BoardInfo, Storage } from '../storage/storage.ts'

/**
 * A new board from a `.tldr` file. The file is read and judged completely, in a board worker
 * (board-work.ts), before anything is stored (a refusal throws TldrError), so a bad file leaves no
 * board behind and a big one does not hold up anyone's edits.
 */
export async function importTldr(
  storage: Pick<Storage, 'catalogue' | 'log'>,
  work: BoardWork,
  text: string,
  title: string,
): Promise<{ info: BoardInfo; droppedSources: number }> {
  const made = await work.importState(text)
  if (!made.ok) throw new TldrError(made.reason)
  const info = await storage.catalogue.create(newBoardId(), title)
  await storage.log.append(info.id, [made.state])
  return { info, droppedSources: made.droppedSources }
}
