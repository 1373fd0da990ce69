/**
 * A conference session fuzzed in Chromium (tests/fuzz/session/): a facilitator, four
 * participants (one on a phone) and a viewer do seeded random things through the UI — tldraw's
 * tools, the board's panels, facilitation, network faults, reloads, language switches — and after
 * every step nobody sees an error, every page holds the server's records, nobody honest was
 * refused, and at the end the report counts what is on the board. A fixed seed and its first 110
 * steps here; `npm run fuzz:session -- --seed N --minutes M` runs others, `--steps K` replays.
 */
import { describe, expect, it } from 'vitest'
import { runSessionFuzz } from '../fuzz/session/run.ts'

const SEED = 20_261_203
// Steps 96–103 of this seed found, under load, a store that left its own doc: Pam grouped offline
// the text Piet moved meanwhile, and tldraw threw dissolving the group as his move came in
// (tests/shared/store-binding-offline-group.test.ts, store-binding-next-frame.test.ts).
const STEPS = 110

describe('a fuzzed session', () => {
  it(`holds every promise for seed ${SEED} (replay: npm run fuzz:session -- --seed ${SEED})`, { timeout: 270_000 }, async () => {
    // The seed's first STEPS steps: the same actions in every run, so a failure here is a regression
    // with its replay, not the luck of how far a busy machine got in 3 minutes (quiet runs reached
    // 316 steps, loaded ones 106, and each found something else). Exploring — other seeds, longer
    // runs, where new findings come from — is `npm run fuzz:session -- --seed N --minutes M`.
    // Time is a cap only: 110 steps take 1.5–2 minutes here, more under load.
    const result = await runSessionFuzz({ seed: SEED, steps: STEPS, minutes: 3.5 })
    // On failure the message is the replay: the seed, the failing step and every step before it.
    expect(result.failures, result.replay).toEqual([])
    expect(result.steps).toBeGreaterThan(60)
  })
})
