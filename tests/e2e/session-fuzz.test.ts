/**
 * A conference session fuzzed in Chromium (tests/fuzz/session/): a facilitator, four
 * participants (one on a phone) and a viewer do seeded random things through the UI — tldraw's
 * tools, the board's panels, facilitation, network faults, reloads, language switches — and after
 * every step nobody sees an error, every page holds the server's records, nobody honest was
 * refused, and at the end the report counts what is on the board. A fixed seed and a ~3 minute
 * budget here; `npm run fuzz:session -- --seed N --minutes M` runs others, `--steps K` replays.
 */
import { describe, expect, it } from 'vitest'
import { runSessionFuzz } from '../fuzz/session/run.ts'

const SEED = 20_261_203

describe('a fuzzed session', () => {
  it(`holds every promise for seed ${SEED} (replay: npm run fuzz:session -- --seed ${SEED})`, { timeout: 270_000 }, async () => {
    const result = await runSessionFuzz({ seed: SEED, minutes: 3 })
    // On failure the message is the replay: the seed, the failing step and every step before it.
    expect(result.failures, result.replay).toEqual([])
    expect(result.steps).toBeGreaterThan(20)
  })
})
