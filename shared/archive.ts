/** One session as the archive lists it (GET /api/archive). */
import type { SnapshotSummary } from './snapshot.ts'

export interface ArchiveEntry {
  id: string
  title: string
  template: string
  createdAt: number
  updatedAt: number
  closedAt: number | null
  /** Different people (browsers) who joined the board; for a board nobody joined, the names on it. */
  participants: number
  actionLines: number
  lastSnapshot: SnapshotSummary | null
  viewerLink: string
  reportPath: string
}
