import { describe, expect, it } from 'vitest'
import { chooseDestination, type DestinationOption } from '../../client/board/destination-choice.ts'

const phase5 = 'shape:common-ground'
const plain: DestinationOption[] = [
  { id: phase5, label: 'The Common Ground' },
  { id: 'shape:park', label: 'Parkeerplaats' },
]
const rows: DestinationOption[] = [
  { id: 'shape:all-proud', label: 'Alle groepen — Trots op', groupId: '' },
  { id: 'shape:all-sorry', label: 'Alle groepen — Sorry voor', groupId: '' },
  { id: 'shape:zorg-proud', label: 'Zorg — Trots op', groupId: 'zorg' },
  { id: 'shape:zorg-sorry', label: 'Zorg — Sorry voor', groupId: 'zorg' },
  { id: 'shape:park', label: 'Parkeerplaats' },
]
const base = { options: plain, phaseFrameId: phase5, chosen: null, here: undefined, myGroupFrameId: undefined, myStakeholderGroup: '' }

describe('where a new card goes', () => {
  it('keeps what the person chose in this phase, never a choice made in another phase', () => {
    expect(chooseDestination({ ...base, chosen: { phaseFrameId: phase5, id: 'shape:park' } })?.id).toBe('shape:park')
    expect(chooseDestination({ ...base, chosen: { phaseFrameId: 'shape:future', id: 'shape:park' } })?.id).toBe(phase5)
    // A choice that is no longer offered (its frame was deleted) falls back to the default.
    expect(chooseDestination({ ...base, chosen: { phaseFrameId: phase5, id: 'shape:gone' } })?.id).toBe(phase5)
  })

  it("by default: the section in the middle of the view, else the person's group frame, else the first", () => {
    expect(chooseDestination({ ...base, here: 'shape:park' })?.id).toBe('shape:park')
    // The view on a frame this phase does not offer (the previous phase's group frame): not there.
    expect(chooseDestination({ ...base, here: 'shape:group-of-phase-4', myGroupFrameId: 'shape:group-of-phase-4' })?.id).toBe(phase5)
    const groups = [...plain, { id: 'shape:g1', label: 'Groep 1' }]
    expect(chooseDestination({ ...base, options: groups, myGroupFrameId: 'shape:g1' })?.id).toBe('shape:g1')
    expect(chooseDestination({ ...base, options: [] })).toBeUndefined()
  })

  it("in a phase with a section per stakeholder group: the person's own group's, whatever the view shows", () => {
    const rowsBase = { ...base, options: rows, phaseFrameId: 'shape:proud-sorry', myStakeholderGroup: 'zorg' }
    expect(chooseDestination(rowsBase)?.id).toBe('shape:zorg-proud')
    expect(chooseDestination({ ...rowsBase, here: 'shape:all-proud' })?.id).toBe('shape:zorg-proud')
    // In their own row, the half they look at.
    expect(chooseDestination({ ...rowsBase, here: 'shape:zorg-sorry' })?.id).toBe('shape:zorg-sorry')
    // Someone without a group (or whose group has no row): the row for all groups.
    expect(chooseDestination({ ...rowsBase, myStakeholderGroup: '' })?.id).toBe('shape:all-proud')
    expect(chooseDestination({ ...rowsBase, myStakeholderGroup: 'kermis' })?.id).toBe('shape:all-proud')
    // What they chose still wins.
    expect(chooseDestination({ ...rowsBase, chosen: { phaseFrameId: 'shape:proud-sorry', id: 'shape:park' } })?.id).toBe('shape:park')
  })
})
