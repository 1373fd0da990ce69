/**
 * Which destination a new card goes to ("Waar komt het?"), as a pure function of what the
 * current phase offers (client/board/placement.ts destinationsIn) and what the person chose.
 */

export interface DestinationOption {
  id: string
  label: string
  /** The stakeholder group whose section this is (a trots & sorry row; '' for all groups). */
  groupId?: string
}

/** What the person picked from the list, and in which phase (its frame). */
export interface DestinationPick {
  phaseFrameId: string | undefined
  id: string
}

export interface DestinationContext<D extends DestinationOption = DestinationOption> {
  options: readonly D[]
  phaseFrameId: string | undefined
  chosen: DestinationPick | null
  /** The section in the middle of the person's view. */
  here: string | undefined
  /** The person's max-mix group frame. */
  myGroupFrameId: string | undefined
  /** The person's stakeholder group ('' for none). */
  myStakeholderGroup: string
}

/**
 * A pick made in this phase, if still offered (one made in another phase never carries over:
 * a phase-5 card went into the phase-4 group frame). Else, where a phase has a section per
 * stakeholder group, the person's own group's (the half in view, else the first); else the
 * section in view, the person's group frame, or the first.
 */
export function chooseDestination<D extends DestinationOption>(c: DestinationContext<D>): D | undefined {
  const offered = (id: string | undefined) => (id === undefined ? undefined : c.options.find((d) => d.id === id))
  const picked = pickedIn(c)
  if (picked) return picked
  const perGroup = c.options.filter((d) => d.groupId !== undefined)
  if (perGroup.length > 0) {
    const mine = perGroup.filter((d) => d.groupId === c.myStakeholderGroup)
    const own = mine.length > 0 ? mine : perGroup.filter((d) => d.groupId === '')
    if (own.length > 0) return own.find((d) => d.id === c.here) ?? own[0]
  }
  return offered(c.here) ?? offered(c.myGroupFrameId) ?? c.options[0]
}

/** The person's pick, if it was made in this phase and is still offered. */
export function pickedIn<D extends DestinationOption>(c: Pick<DestinationContext<D>, 'options' | 'phaseFrameId' | 'chosen'>): D | undefined {
  return c.chosen && c.chosen.phaseFrameId === c.phaseFrameId ? c.options.find((d) => d.id === c.chosen!.id) : undefined
}
