import { describe, expect, it } from 'vitest'
import { newBoardId, parseBoardId } from '../../shared/board-id.ts'

describe('board ids', () => {
  it('generates unambiguous ids that pass validation', () => {
    const ids = new Set(Array.from({ length: 500 }, () => newBoardId()))
    expect(ids.size).toBe(500)
    for (const id of ids) {
      expect(id).toMatch(/^[2-9a-hjkmnp-z]{10}$/)
      expect(parseBoardId(id)).toBe(id)
    }
  })

  it.each(['', 'abc', 'a'.repeat(65), 'has space', '../etc', 'ok?x', 'café'])('refuses %j', (raw) => {
    expect(parseBoardId(raw)).toBeNull()
  })

  it.each(['abcd', 'Board_2018-nov', 'a'.repeat(64)])('accepts %j', (raw) => {
    expect(parseBoardId(raw)).toBe(raw)
  })
})
