/**
 * Max-mix group frames (client/board/agenda-bar.tsx makes them beside the board): they lie
 * outside every phase's frame, yet belong to the phase that was running when they were made —
 * a private round on that phase covers them, its destinations offer them, the report lists
 * their notes under it. One rule for all three, here.
 */

export interface FrameLike {
  id: string
  type?: string
  meta?: Record<string, unknown>
}

export const isGroupFrame = (shape: FrameLike): boolean => shape.type === 'frame' && shape.meta?.groupFrame === true

/** The meta of a new group frame: the phase it works in (its frame and its phase id) and who is in it. */
export function groupFrameMeta(phaseFrame: FrameLike | undefined, members: string[]) {
  const phase = phaseFrame?.meta?.phase
  return { groupFrame: true, groupPhase: typeof phase === 'string' ? phase : '', groupPhaseFrame: phaseFrame?.id ?? '', members }
}

/**
 * Whether a group frame works in the phase of `phaseFrame`: made while that frame's phase ran,
 * or — a frame made before group frames named their phase's frame — of the same phase id.
 */
export function isGroupFrameOf(group: FrameLike, phaseFrame: FrameLike): boolean {
  if (!isGroupFrame(group)) return false
  const made = group.meta?.groupPhaseFrame
  if (typeof made === 'string' && made !== '') return made === phaseFrame.id
  const phase = phaseFrame.meta?.phase
  return typeof phase === 'string' && phase !== '' && group.meta?.groupPhase === phase
}

/** The frame itself and the group frames of its phase, among `shapes`. */
export function framesOfPhase(phaseFrame: FrameLike, shapes: Iterable<FrameLike>): string[] {
  const ids = [phaseFrame.id]
  for (const s of shapes) if (s.id !== phaseFrame.id && isGroupFrameOf(s, phaseFrame)) ids.push(s.id)
  return ids
}
