/** Dot votes in PostgreSQL: `votes`, `vote_dots` and `dot_requests`. */
import type { BoardId } from '../../../shared/board-id.ts'
import { DOT_REQUESTS_KEPT, voteStateOf, type VoteStore } from '../votes.ts'
import type { PostgresConnection } from './database.ts'

export function postgresVotes({ pool, one, transaction }: PostgresConnection): VoteStore {
  return {
    async open(id, state) {
      try {
        await pool.query('INSERT INTO votes (id, board_id, frame_id, dots, ends_at, open) VALUES ($1, $2, $3, $4, $5, TRUE)', [
          state.id,
          id,
          state.frameId,
          state.dots,
          state.endsAt,
        ])
        return true
      } catch (error) {
        if ((error as { code?: string }).code === '23505') return false
        throw error
      }
    },
    async current(id) {
      const row = await one<{ id: string; frame_id: string; dots: number; ends_at: string | null }>(
        'SELECT id, frame_id, dots, ends_at FROM votes WHERE board_id = $1 AND open',
        [id],
      )
      return row ? voteStateOf(row, true) : null
    },
    async castDot(id, voteId, voter, shapeId, delta, requestId) {
      return transaction(async (client) => {
        // The vote's row lock: casts on one vote, from any process, take turns.
        const vote = (
          await client.query<{ dots: number; open: boolean }>('SELECT dots, open FROM votes WHERE id = $1 AND board_id = $2 FOR UPDATE', [voteId, id])
        ).rows[0]
        if (!vote?.open) return { ok: false, reason: 'no-vote' } as const
        const { rows } = await client.query<{ shape_id: string; count: number }>(
          'SELECT shape_id, count FROM vote_dots WHERE vote_id = $1 AND voter = $2 ORDER BY first_at',
          [voteId, voter],
        )
        const mine = new Map(rows.map((r) => [r.shape_id, Number(r.count)]))
        if (
          requestId &&
          (await client.query('SELECT 1 FROM dot_requests WHERE vote_id = $1 AND voter = $2 AND request_id = $3', [voteId, voter, requestId])).rowCount
        ) {
          return { ok: true, mine: Object.fromEntries(mine) } as const
        }
        const used = [...mine.values()].reduce((a, b) => a + b, 0)
        const current = mine.get(shapeId) ?? 0
        if (delta === 1 && used >= Number(vote.dots)) return { ok: false, reason: 'all-placed' } as const
        if (delta === -1 && current === 0) return { ok: false, reason: 'none-there' } as const
        if (current + delta === 0) {
          await client.query('DELETE FROM vote_dots WHERE vote_id = $1 AND voter = $2 AND shape_id = $3', [voteId, voter, shapeId])
          mine.delete(shapeId)
        } else {
          await client.query(
            `INSERT INTO vote_dots (vote_id, voter, shape_id, count) VALUES ($1, $2, $3, $4)
            ON CONFLICT (vote_id, voter, shape_id) DO UPDATE SET count = EXCLUDED.count`,
            [voteId, voter, shapeId, current + delta],
          )
          mine.set(shapeId, current + delta)
        }
        if (requestId) {
          await client.query('INSERT INTO dot_requests (vote_id, voter, request_id) VALUES ($1, $2, $3)', [voteId, voter, requestId])
          await client.query(
            `DELETE FROM dot_requests WHERE vote_id = $1 AND voter = $2 AND seq NOT IN
            (SELECT seq FROM dot_requests WHERE vote_id = $1 AND voter = $2 ORDER BY seq DESC LIMIT ${DOT_REQUESTS_KEPT})`,
            [voteId, voter],
          )
        }
        return { ok: true, mine: Object.fromEntries(mine) } as const
      })
    },
    async dotsOf(id, voteId, voter) {
      const { rows } = await pool.query<{ shape_id: string; count: number }>(
        'SELECT d.shape_id, d.count FROM vote_dots d JOIN votes v ON v.id = d.vote_id WHERE v.id = $1 AND v.board_id = $2 AND d.voter = $3 ORDER BY d.first_at',
        [voteId, id, voter],
      )
      return Object.fromEntries(rows.map((r) => [r.shape_id, Number(r.count)]))
    },
    async close(id, voteId) {
      return transaction(async (client) => {
        // Only the one UPDATE that finds it open gets the tallies.
        const row = (
          await client.query<{ id: string; frame_id: string; dots: number; ends_at: string | null }>(
            'UPDATE votes SET open = FALSE WHERE id = $1 AND board_id = $2 AND open RETURNING id, frame_id, dots, ends_at',
            [voteId, id],
          )
        ).rows[0]
        if (!row) return null
        await client.query('DELETE FROM dot_requests WHERE vote_id = $1', [voteId])
        const { rows } = await client.query<{ shape_id: string; n: string }>(
          'SELECT shape_id, SUM(count) AS n, MIN(first_at) AS first FROM vote_dots WHERE vote_id = $1 GROUP BY shape_id ORDER BY first',
          [voteId],
        )
        const voters = (await client.query<{ n: string }>('SELECT COUNT(DISTINCT voter) AS n FROM vote_dots WHERE vote_id = $1', [voteId])).rows[0]!
        return { state: voteStateOf(row, false), tallies: new Map(rows.map((r) => [r.shape_id, Number(r.n)])), voters: Number(voters.n) }
      })
    },
    async due(now) {
      const { rows } = await pool.query<{ id: string; board_id: string }>(
        'SELECT id, board_id FROM votes WHERE open AND ends_at IS NOT NULL AND ends_at <= $1',
        [now],
      )
      return rows.map((r) => ({ boardId: r.board_id as BoardId, voteId: r.id }))
    },
  }
}
