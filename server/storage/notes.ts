/**
 * Notes only facilitators see (the running order, who needs attention, what to bring up): kept
 * beside the board, never in its document, so no participant or viewer ever receives one.
 */
import type { BoardId } from '../../shared/board-id.ts'

export interface FacilitatorNote {
  id: string
  boardId: BoardId
  text: string
  /** Display name of the facilitator who wrote it. */
  createdBy: string
  createdAt: number
}

export interface NoteStore {
  /** Adds a note to a board in the catalogue; refuses an id the board has. */
  add(note: FacilitatorNote): Promise<void>
  /** The board's notes, oldest first; deleted with the board. */
  list(id: BoardId): Promise<FacilitatorNote[]>
  /** Whether the note existed. */
  delete(id: BoardId, noteId: string): Promise<boolean>
}
