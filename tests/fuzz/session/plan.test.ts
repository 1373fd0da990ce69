/** The fuzzer's plan is the seed's alone: a replay of K steps is the first K steps of the run. */
import { describe, expect, it } from 'vitest'
import { CAST } from './cast.ts'
import { ACTIONS, describeStep, planSteps, type Step } from './plan.ts'
import { seededRng } from './random.ts'

const take = (seed: number, n: number): Step[] => {
  const out: Step[] = []
  for (const step of planSteps(seed)) {
    if (out.length === n) break
    out.push(step)
  }
  return out
}

describe('the session fuzzer plan', () => {
  it('is the same for a seed every time, and another for another seed', () => {
    expect(take(42, 300).map((s) => describeStep(s))).toEqual(take(42, 300).map((s) => describeStep(s)))
    expect(take(43, 50)).not.toEqual(take(42, 50))
  })

  it('gives every action to someone who may do it, and reaches every action and person', () => {
    const steps = take(7, 3_000)
    for (const step of steps) expect(ACTIONS.find((a) => a.name === step.action)!.who(CAST.find((p) => p.name === step.actor)!)).toBe(true)
    expect(new Set(steps.map((s) => s.action))).toEqual(new Set(ACTIONS.map((a) => a.name)))
    expect(new Set(steps.map((s) => s.actor))).toEqual(new Set(CAST.map((p) => p.name)))
  })

  it('draws integers in range, fractions with two decimals, and weights as asked', () => {
    const rng = seededRng(1)
    const counts = { a: 0, b: 0 }
    for (let i = 0; i < 10_000; i++) {
      const n = rng.int(3, 5)
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true)
      const x = rng.fraction()
      expect(Math.round(x * 100) / 100 === x && x >= 0 && x < 1).toBe(true)
      counts[rng.weighted({ a: 3, b: 1 })]++
    }
    expect(counts.a / counts.b).toBeGreaterThan(2.5)
    expect(counts.a / counts.b).toBeLessThan(3.5)
  })
})
