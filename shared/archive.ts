/** One session as the archive lists it (GET /api/archive). */
import type { SnapshotSummary } from './snapshot.ts'

export interface ArchiveEntry {
  id: string
  title: string
  template: string
  createdAt: number
  updatedAt: number
  closedAt: number | null
  /** People who wrote on the board or signed up on an action line (by name). */
  participants: number
  actionLines: number
  lastSnapshot: SnapshotSummary | null
  viewerLink: string
  reportPath: string
}
