/**
 * The session fuzzer from the command line (tests/fuzz/session/): a conference board with six
 * people in Chromium doing what people do, network faults included, checked after every step.
 *
 *   npm run fuzz:session -- --seed 7 --minutes 10   # a longer run
 *   npm run fuzz:session -- --seed 7 --steps 42     # replay the first 42 steps of seed 7
 *   npm run fuzz:session -- --seed 7 --keep-going 5 # go on after a failure, up to 5 different ones
 *
 * Without --seed a seed is drawn (and printed). Exits 1 when a check failed; the replay is
 * printed and written to test-results/session-fuzz-<seed>.txt, with a screenshot per person.
 * Needs the built client (`npm run build`). Holds a lot of CPU: run it alone.
 */
import { parseArgs } from 'node:util'
import { runCleanups } from '../helpers/server.ts'
import { runSessionFuzz } from './session/run.ts'

const { values } = parseArgs({
  options: { seed: { type: 'string' }, minutes: { type: 'string' }, steps: { type: 'string' }, 'keep-going': { type: 'string' }, quiet: { type: 'boolean' } },
})
const number = (name: string, value: string | undefined) => {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} wants a positive number, not ${value}`)
  return n
}
const seed = number('seed', values.seed) ?? Math.floor(Math.random() * 1_000_000)
const steps = number('steps', values.steps)
// A replay runs its steps however long they take; a plain run stops after --minutes (3).
const minutes = number('minutes', values.minutes) ?? (steps ? 60 : 3)

let code = 1
try {
  const result = await runSessionFuzz({
    seed,
    minutes,
    steps,
    maxFailures: number('keep-going', values['keep-going']) ?? 1,
    log: values.quiet ? undefined : (line) => console.log(line),
  })
  console.log(`\n${result.replay}\n\nwritten: ${result.artifacts.join(', ')}`)
  code = result.failures.length === 0 ? 0 : 1
} catch (error) {
  console.error(`seed ${seed}: the fuzzer itself failed:`, error)
} finally {
  await runCleanups()
}
process.exit(code)
