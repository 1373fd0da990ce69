/**
 * Private rounds: while a facilitator has a round open on a frame, the notes people create there
 * carry `meta.privateRound` and stay in their own browser (the store binding does not write
 * them to the shared document). When the facilitator reveals, every browser drops the tag from
 * its own notes, which publishes them at once.
 */
import { z } from 'zod'
import { framesOfPhase, type FrameLike } from './format/group-frames.ts'

export const PRIVATE_ROUND_META = 'privateRound'
export const PRIVATE_ROUND_KEY = 'privateRound'

export const PrivateRound = z.object({ id: z.string().max(200), frameId: z.string().max(200), open: z.boolean() })
export type PrivateRound = z.infer<typeof PrivateRound>

interface RecordLike {
  typeName: string
  meta?: Record<string, unknown>
}

export function isPrivateRecord(record: RecordLike): boolean {
  return record.typeName === 'shape' && typeof record.meta?.[PRIVATE_ROUND_META] === 'string'
}

/** The meta of a shape created now: tagged when a round is open and the shape lands in its frame. */
export function tagIfPrivate<M extends object>(meta: M, round: PrivateRound | null, inFrame: boolean): M {
  return round?.open && inFrame ? { ...meta, [PRIVATE_ROUND_META]: round.id } : meta
}

/**
 * The frames an open round covers: its own frame and, when that is a phase's frame, the max-mix
 * group frames of the phase (they lie beside the board, outside the phase's frame).
 */
export function roundFrames(round: PrivateRound | null, shapes: readonly FrameLike[]): string[] {
  if (!round?.open) return []
  const frame = shapes.find((s) => s.id === round.frameId)
  return frame ? framesOfPhase(frame, shapes) : [round.frameId]
}

/** The meta without the round's tag: what revealing does to a note. */
export function untag<M extends object>(meta: M): M {
  const { [PRIVATE_ROUND_META]: _round, ...rest } = meta as Record<string, unknown>
  return rest as M
}

/**
 * The private records a browser should publish now: all of them, unless they belong to the round
 * that is still open. Run on every change of the round (the reveal closes it) and after a
 * reload restores notes kept in the browser (the round may have closed meanwhile).
 */
export function toPublish<R extends RecordLike>(records: readonly R[], round: PrivateRound | null): R[] {
  return records
    .filter((r) => isPrivateRecord(r) && !(round?.open && r.meta?.[PRIVATE_ROUND_META] === round.id))
    .map((r) => ({ ...r, meta: untag(r.meta ?? {}) }))
}
