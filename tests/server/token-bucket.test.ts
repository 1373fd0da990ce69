/** The token bucket behind a connection's budget (server/policy/token-bucket.ts), on a clock the test moves. */
import { describe, expect, it } from 'vitest'
import { TokenBucket } from '../../server/policy/token-bucket.ts'

describe('token bucket', () => {
  it('gives its burst at once, then its rate; says how long until the next fits', () => {
    let now = 0
    const bucket = new TokenBucket(3, 10, () => now)
    for (let i = 0; i < 3; i++) {
      expect(bucket.waitMs(1)).toBe(0)
      bucket.take(1)
    }
    expect(bucket.waitMs(1)).toBe(100)
    now += 100
    expect(bucket.waitMs(1)).toBe(0)
    now += 10_000
    expect(bucket.level()).toBe(3)
  })

  it('lets an amount larger than the bucket through a full bucket, and the debt is paid back at the rate', () => {
    let now = 0
    const bucket = new TokenBucket(100, 50, () => now)
    expect(bucket.waitMs(250)).toBe(0)
    bucket.take(250)
    expect(bucket.level()).toBe(-150)
    expect(bucket.waitMs(1)).toBe(3_020)
    now += 3_020
    expect(bucket.waitMs(1)).toBe(0)
  })
})
