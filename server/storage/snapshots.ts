/** Named, immutable copies of a board's state, with its outcome and a thumbnail. */
import type { BoardId } from '../../shared/board-id.ts'
import type { SnapshotKind } from '../../shared/snapshot.ts'

export type { SnapshotKind }

/** A snapshot as listed: everything but its content. */
export interface SnapshotInfo {
  id: string
  boardId: BoardId
  name: string
  kind: SnapshotKind
  /** Display name of who took it ('' for the server's automatic snapshots). */
  createdBy: string
  createdAt: number
  /** Bytes of the Yjs state. */
  size: number
  /** SHA-256 of the records, to skip automatic snapshots of an unchanged board. */
  contentHash: string
}

/** A snapshot with its content: the full Yjs state, the outcome (JSON) and a thumbnail (SVG). */
export interface Snapshot extends SnapshotInfo {
  state: Uint8Array
  outcome: string
  thumbnail: string
}

export interface SnapshotStore {
  /** Stores a snapshot (immutable: an id is never written twice). Deleted with the board. */
  add(snapshot: Snapshot): Promise<void>
  /** The board's snapshots without content, newest first. */
  list(id: BoardId): Promise<SnapshotInfo[]>
  get(id: BoardId, snapshotId: string): Promise<Snapshot | null>
}

/** A snapshot row as both databases return it (PostgreSQL's BIGINTs come as strings). */
export interface SnapshotRow {
  id: string
  board_id: string
  name: string
  kind: string
  created_by: string
  created_at: number | string
  size: number | string
  content_hash: string
}

export const SNAPSHOT_INFO_COLUMNS = 'id, board_id, name, kind, created_by, created_at, size, content_hash'

export function snapshotInfoOf(row: SnapshotRow): SnapshotInfo {
  return {
    id: row.id,
    boardId: row.board_id as BoardId,
    name: row.name,
    kind: row.kind as SnapshotKind,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    size: Number(row.size),
    contentHash: row.content_hash,
  }
}
