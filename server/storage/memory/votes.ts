/** Dot votes in memory. */
import { DOT_REQUESTS_KEPT, type VoteStore } from '../votes.ts'
import type { MemoryState } from './state.ts'

export function memoryVotes({ votes }: MemoryState): VoteStore {
  return {
    async open(id, state) {
      if ([...votes.values()].some((v) => v.boardId === id && v.state.open)) return false
      votes.set(state.id, { boardId: id, state: { ...state, results: [] }, dots: new Map(), requests: new Map() })
      return true
    },
    async current(id) {
      return [...votes.values()].find((v) => v.boardId === id && v.state.open)?.state ?? null
    },
    async castDot(id, voteId, voter, shapeId, delta, requestId) {
      const vote = votes.get(voteId)
      if (!vote || vote.boardId !== id || !vote.state.open) return { ok: false, reason: 'no-vote' }
      const mine = vote.dots.get(voter) ?? new Map<string, number>()
      const taken = vote.requests.get(voter) ?? []
      if (requestId && taken.includes(requestId)) return { ok: true, mine: Object.fromEntries(mine) }
      const used = [...mine.values()].reduce((a, b) => a + b, 0)
      const current = mine.get(shapeId) ?? 0
      if (delta === 1 && used >= vote.state.dots) return { ok: false, reason: 'all-placed' }
      if (delta === -1 && current === 0) return { ok: false, reason: 'none-there' }
      if (current + delta === 0) mine.delete(shapeId)
      else mine.set(shapeId, current + delta)
      vote.dots.set(voter, mine)
      if (requestId) vote.requests.set(voter, [...taken, requestId].slice(-DOT_REQUESTS_KEPT))
      return { ok: true, mine: Object.fromEntries(mine) }
    },
    async dotsOf(id, voteId, voter) {
      const vote = votes.get(voteId)
      return vote && vote.boardId === id ? Object.fromEntries(vote.dots.get(voter) ?? []) : {}
    },
    async close(id, voteId) {
      const vote = votes.get(voteId)
      if (!vote || vote.boardId !== id || !vote.state.open) return null
      vote.state = { ...vote.state, open: false }
      vote.requests.clear()
      const tallies = new Map<string, number>()
      for (const dots of vote.dots.values()) for (const [shapeId, n] of dots) tallies.set(shapeId, (tallies.get(shapeId) ?? 0) + n)
      return { state: vote.state, tallies, voters: [...vote.dots.values()].filter((d) => d.size > 0).length }
    },
    async due(now) {
      return [...votes.values()]
        .filter((v) => v.state.open && v.state.endsAt !== null && v.state.endsAt <= now)
        .map((v) => ({ boardId: v.boardId, voteId: v.state.id }))
    },
  }
}
