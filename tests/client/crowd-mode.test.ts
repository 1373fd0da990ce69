import { describe, expect, it } from 'vitest'
import { CROWD_THRESHOLD, isCrowded, showPresence } from '../../client/board/crowd-mode.ts'

const viewport = { x: 0, y: 0, w: 1000, h: 800 }

describe('crowd mode', () => {
  it('switches on above the threshold unless a facilitator decided otherwise', () => {
    expect(isCrowded('auto', CROWD_THRESHOLD)).toBe(false)
    expect(isCrowded('auto', CROWD_THRESHOLD + 1)).toBe(true)
    expect(isCrowded('off', 80)).toBe(false)
    expect(isCrowded('on', 3)).toBe(true)
  })

  it.each([
    [false, false, { x: 99_999, y: 0 }, true],
    [true, true, { x: 99_999, y: 0 }, true],
    [true, false, { x: 500, y: 400 }, true],
    [true, false, { x: 1_200, y: 400 }, true],
    [true, false, { x: 5_000, y: 400 }, false],
    [true, false, null, false],
  ])('crowded=%s facilitator=%s cursor=%j → shown=%s', (crowded, isFacilitator, cursor, shown) => {
    expect(showPresence({ crowded, isFacilitator, cursor, viewport })).toBe(shown)
  })
})
