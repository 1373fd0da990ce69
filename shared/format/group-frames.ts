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

/**
 * The max-mix groups (facilitation's list) that work in `phase`: those whose frame on the board
 * is a group frame of that phase — groups made in phase 4 are not "your group" in phase 5. A
 * group whose frame was deleted works nowhere; a board without an agenda keeps every group.
 */
export function groupsInPhase<G extends { frameId: string }>(
  groups: G[],
  phase: { phase: string; frameId: string } | undefined,
  frameOf: (id: string) => FrameLike | undefined,
): G[] {
  if (!phase) return groups
  const phaseFrame: FrameLike = { id: phase.frameId, type: 'frame', meta: { phase: phase.phase } }
  return groups.filter((g) => {
    const frame = frameOf(g.frameId)
    return frame !== undefined && isGroupFrameOf(frame, phaseFrame)
  })
}
