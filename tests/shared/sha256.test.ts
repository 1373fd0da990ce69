import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../shared/sha256.ts'

describe('sha256Hex', () => {
  it('matches node:crypto on the empty string, non-ASCII text and every length around the block edges', () => {
    const node = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(sha256Hex('Samen aan de slag — één bord')).toBe(node('Samen aan de slag — één bord'))
    for (let n = 0; n < 200; n++) {
      const text = randomBytes(n).toString('hex').slice(0, n)
      expect(sha256Hex(text), `length ${n}`).toBe(node(text))
    }
  })
})
