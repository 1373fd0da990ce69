/** A dot vote as it appears in the doc's facilitation map (tallies only after it closes). */
import { z } from 'zod'

export const VoteState = z.object({
  id: z.string(),
  frameId: z.string(),
  dots: z.number().int(),
  endsAt: z.number().nullable(),
  open: z.boolean(),
  /** After closing: every voted shape and its dots, most first. */
  results: z.array(z.object({ shapeId: z.string(), title: z.string(), count: z.number().int() })).default([]),
})
export type VoteState = z.infer<typeof VoteState>

export const VOTE_KEY = 'vote'

/** Ranks tallies: most dots first, ties in the order the shapes were first voted on. */
export function rankTallies(tallies: Map<string, number>): { shapeId: string; count: number }[] {
  return [...tallies.entries()]
    .filter(([, n]) => n > 0)
    .map(([shapeId, count]) => ({ shapeId, count }))
    .sort((a, b) => b.count - a.count)
}
