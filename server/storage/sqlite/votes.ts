/** Dot votes in SQLite: `votes`, `vote_dots` and `dot_requests`. */
import type { BoardId } from '../../../shared/board-id.ts'
import { DOT_REQUESTS_KEPT, voteStateOf, type VoteStore } from '../votes.ts'
import type { SqliteConnection } from './database.ts'

type VoteRow = { id: string; frame_id: string; dots: number; ends_at: number | null }

export function sqliteVotes({ db, inTransaction }: SqliteConnection): VoteStore {
  const insertVote = db.prepare('INSERT INTO votes (id, board_id, frame_id, dots, ends_at, open) VALUES (?, ?, ?, ?, ?, 1)')
  const selectOpenVote = db.prepare('SELECT id, frame_id, dots, ends_at FROM votes WHERE board_id = ? AND open = 1')
  const selectVote = db.prepare('SELECT id, frame_id, dots, ends_at, open FROM votes WHERE id = ? AND board_id = ?')
  const selectDots = db.prepare('SELECT shape_id, count FROM vote_dots WHERE vote_id = ? AND voter = ? ORDER BY first_at, rowid')
  const upsertDot = db.prepare(`INSERT INTO vote_dots (vote_id, voter, shape_id, count, first_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (vote_id, voter, shape_id) DO UPDATE SET count = excluded.count`)
  const removeDot = db.prepare('DELETE FROM vote_dots WHERE vote_id = ? AND voter = ? AND shape_id = ?')
  const closeOpenVote = db.prepare('UPDATE votes SET open = 0 WHERE id = ? AND board_id = ? AND open = 1')
  const selectTallies = db.prepare('SELECT shape_id, SUM(count) AS n, MIN(first_at) AS first FROM vote_dots WHERE vote_id = ? GROUP BY shape_id ORDER BY first')
  const countVoters = db.prepare('SELECT COUNT(DISTINCT voter) AS n FROM vote_dots WHERE vote_id = ?')
  const selectRequest = db.prepare('SELECT 1 FROM dot_requests WHERE vote_id = ? AND voter = ? AND request_id = ?')
  const insertRequest = db.prepare('INSERT INTO dot_requests (vote_id, voter, request_id) VALUES (?, ?, ?)')
  const trimRequests = db.prepare(`DELETE FROM dot_requests WHERE vote_id = ? AND voter = ? AND seq NOT IN
    (SELECT seq FROM dot_requests WHERE vote_id = ? AND voter = ? ORDER BY seq DESC LIMIT ${DOT_REQUESTS_KEPT})`)
  const forgetRequests = db.prepare('DELETE FROM dot_requests WHERE vote_id = ?')
  const selectDue = db.prepare('SELECT id, board_id FROM votes WHERE open = 1 AND ends_at IS NOT NULL AND ends_at <= ?')
  let dotOrder = 0

  return {
    async open(id, state) {
      try {
        insertVote.run(state.id, id, state.frameId, state.dots, state.endsAt)
        return true
      } catch (error) {
        if (String(error).includes('UNIQUE')) return false
        throw error
      }
    },
    async current(id) {
      const row = selectOpenVote.get(id) as VoteRow | undefined
      return row ? voteStateOf(row, true) : null
    },
    async castDot(id, voteId, voter, shapeId, delta, requestId) {
      // One transaction (BEGIN IMMEDIATE): the check and the write cannot interleave with another's.
      return inTransaction(() => {
        const vote = selectVote.get(voteId, id) as { dots: number; open: number } | undefined
        if (!vote || !vote.open) return { ok: false, reason: 'no-vote' } as const
        const mine = new Map((selectDots.all(voteId, voter) as { shape_id: string; count: number }[]).map((r) => [r.shape_id, Number(r.count)]))
        if (requestId && selectRequest.get(voteId, voter, requestId)) return { ok: true, mine: Object.fromEntries(mine) } as const
        const used = [...mine.values()].reduce((a, b) => a + b, 0)
        const current = mine.get(shapeId) ?? 0
        if (delta === 1 && used >= Number(vote.dots)) return { ok: false, reason: 'all-placed' } as const
        if (delta === -1 && current === 0) return { ok: false, reason: 'none-there' } as const
        if (current + delta === 0) {
          removeDot.run(voteId, voter, shapeId)
          mine.delete(shapeId)
        } else {
          upsertDot.run(voteId, voter, shapeId, current + delta, Date.now() * 1000 + (dotOrder++ % 1000))
          mine.set(shapeId, current + delta)
        }
        if (requestId) {
          insertRequest.run(voteId, voter, requestId)
          trimRequests.run(voteId, voter, voteId, voter)
        }
        return { ok: true, mine: Object.fromEntries(mine) } as const
      })
    },
    async dotsOf(id, voteId, voter) {
      if (!selectVote.get(voteId, id)) return {}
      return Object.fromEntries((selectDots.all(voteId, voter) as { shape_id: string; count: number }[]).map((r) => [r.shape_id, Number(r.count)]))
    },
    async close(id, voteId) {
      return inTransaction(() => {
        const row = selectVote.get(voteId, id) as VoteRow | undefined
        if (!row || Number(closeOpenVote.run(voteId, id).changes) === 0) return null
        forgetRequests.run(voteId)
        const tallies = new Map((selectTallies.all(voteId) as { shape_id: string; n: number }[]).map((r) => [r.shape_id, Number(r.n)]))
        return { state: voteStateOf(row, false), tallies, voters: Number((countVoters.get(voteId) as { n: number }).n) }
      })
    },
    async due(now) {
      return (selectDue.all(now) as { id: string; board_id: string }[]).map((r) => ({ boardId: r.board_id as BoardId, voteId: r.id }))
    },
  }
}
