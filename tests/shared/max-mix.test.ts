import { describe, expect, it } from 'vitest'
import { maxMix, type Member } from '../../shared/format/max-mix.ts'

/** A small deterministic PRNG, so a failure can be replayed from its seed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed / 2_147_483_648
  }
}

const spread = (values: number[]) => Math.max(...values) - Math.min(...values)

describe('max-mix groups (property test over 500 random rooms)', () => {
  for (let seed = 1; seed <= 500; seed++) {
    const rnd = random(seed)
    const stakeholderGroups = 1 + Math.floor(rnd() * 8)
    const people: Member[] = Array.from({ length: Math.floor(rnd() * 90) }, (_, i) => ({
      id: `p${i}`,
      groupId: `g${Math.floor(rnd() ** 2 * stakeholderGroups)}`,
    }))
    const k = 1 + Math.floor(rnd() * 12)
    it(`seed ${seed}: ${people.length} people, ${k} groups`, () => {
      const groups = maxMix(people, k)
      // Everyone exactly once.
      expect(groups.flat().sort()).toEqual(people.map((p) => p.id).sort())
      if (people.length === 0) return
      expect(groups).toHaveLength(Math.min(k, people.length))
      expect(spread(groups.map((g) => g.length))).toBeLessThanOrEqual(1)
      const groupOf = new Map(people.map((p) => [p.id, p.groupId]))
      for (const sg of new Set(people.map((p) => p.groupId))) {
        expect(spread(groups.map((g) => g.filter((id) => groupOf.get(id) === sg).length)), `stakeholder group ${sg}`).toBeLessThanOrEqual(1)
      }
    })
  }
})
