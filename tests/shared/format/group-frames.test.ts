/**
 * The max-mix groups in the facilitation list belong to the phase they were made in: the agenda
 * bar ("Jouw groep") and the default destination show only the current phase's groups.
 */
import { describe, expect, it } from 'vitest'
import { groupsInPhase } from '../../../shared/format/group-frames.ts'

const frame = (id: string, meta: Record<string, unknown>) => ({ id, type: 'frame', meta })
const board = new Map(
  [
    frame('shape:future', { phase: 'future' }),
    frame('shape:common', { phase: 'common-ground' }),
    frame('shape:g-future', { groupFrame: true, groupPhase: 'future', groupPhaseFrame: 'shape:future', members: ['Piet'] }),
    frame('shape:g-common', { groupFrame: true, groupPhase: 'common-ground', groupPhaseFrame: 'shape:common', members: ['Piet'] }),
    // Made before group frames named their phase's frame: matched by the phase's id.
    frame('shape:g-old', { groupFrame: true, groupPhase: 'future', members: [] }),
  ].map((f) => [f.id, f]),
)
const frameOf = (id: string) => board.get(id)
const group = (frameId: string) => ({ name: frameId, frameId, memberIds: ['piet'] })
const groups = [group('shape:g-future'), group('shape:g-common'), group('shape:g-old'), group('shape:deleted')]
const future = { phase: 'future', frameId: 'shape:future' }
const common = { phase: 'common-ground', frameId: 'shape:common' }

describe('max-mix groups of a phase', () => {
  it('a phase shows the groups made in it (and older ones of its phase id), not those of another phase', () => {
    expect(groupsInPhase(groups, future, frameOf).map((g) => g.frameId)).toEqual(['shape:g-future', 'shape:g-old'])
    expect(groupsInPhase(groups, common, frameOf).map((g) => g.frameId)).toEqual(['shape:g-common'])
  })

  it('a phase where no groups were made shows none; a group whose frame was deleted shows nowhere', () => {
    expect(groupsInPhase(groups, { phase: 'action', frameId: 'shape:action' }, frameOf)).toEqual([])
    expect(groupsInPhase([group('shape:deleted')], future, frameOf)).toEqual([])
  })

  it('a board without an agenda shows every group (there is no phase to tie them to)', () => {
    expect(groupsInPhase(groups, undefined, frameOf)).toEqual(groups)
  })
})
