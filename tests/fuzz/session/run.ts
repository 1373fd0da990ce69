/**
 * One fuzzed session: the built app on a real server, a conference board, the cast in one
 * Chromium, then the seed's steps until the step or time budget is spent — each followed by the
 * checks — and the final checks once every fault has healed. The first broken promise stops the
 * run; the result carries the replay (seed, step number, every step as a line).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Role } from '../../../shared/roles.ts'
import { ARTIFACTS, createConferenceBoard, launchBrowser } from '../../helpers/browser.ts'
import { makeClient } from '../../helpers/client.ts'
import { onCleanup, startServer } from '../../helpers/server.ts'
import { CAST, openCast, type Stage } from './cast.ts'
import { finalChecks, stepChecks } from './step-checks.ts'
import { healFaults } from './faults.ts'
import { actionNamed, describeStep, planSteps } from './plan.ts'
import { keyHashOf } from './ui.ts'
import type { World } from './world.ts'

export interface FuzzOptions {
  seed: number
  /** Stop starting steps after this long (from the start of the run, set-up included). */
  minutes?: number
  /** Stop after this many steps (a replay). */
  steps?: number
  /** Go on after a failure (to see what else breaks), up to this many different ones; 1: stop at the first. */
  maxFailures?: number
  log?: (line: string) => void
}

export interface FuzzResult {
  seed: number
  steps: number
  failures: string[]
  /** The seed, the failing step and every step run, as lines to read or replay. */
  replay: string
  /** Where the replay and the screenshots were written. */
  artifacts: string[]
}

/** A single action may take this long (a revert, a reload on a busy machine). */
const STEP_TIMEOUT_MS = 45_000

export async function runSessionFuzz({ seed, minutes = 3, steps: maxSteps = Infinity, maxFailures = 1, log = () => {} }: FuzzOptions): Promise<FuzzResult> {
  const startedAt = Date.now()
  const deadline = startedAt + minutes * 60_000
  const dist = join(process.cwd(), 'dist')
  if (!existsSync(join(dist, 'index.html'))) throw new Error('run `npm run build` first (npm test does)')
  const server = await startServer({ staticDir: dist })
  const links = await createConferenceBoard(server.url)
  const boardId = links.facilitator.split('/')[2]!.split('?')[0]!
  const tokens = Object.fromEntries(Object.entries(links).map(([role, link]) => [role, new URL(link, server.url).searchParams.get('token')!])) as Record<
    Role,
    string
  >
  const browser = await launchBrowser()
  const stage: Stage = { step: 0 }
  log(`seed ${seed}: board ${boardId}, joining ${CAST.map((p) => p.name).join(', ')}`)
  const actors = await openCast(browser, server.port, links, stage)
  for (const actor of actors) onCleanup(() => actor.proxy.close())
  const mirror = makeClient(server.wsUrl, boardId, { role: 'viewer' })
  await mirror.synced()
  const keyHash = new Map<string, string>()
  for (const actor of actors) keyHash.set(actor.name, await keyHashOf(actor.page))
  const world: World = { server, boardId, links, tokens, actors, mirror, step: 0, keyHash, findings: [] }
  log(`joined in ${Math.round((Date.now() - startedAt) / 1000)} s`)

  const lines: string[] = []
  const failures: string[] = []
  // With maxFailures > 1 a failure that repeats step after step (a page that stays behind) is
  // listed once, under the step where it began.
  const seen = new Set<string>()
  const fail = (lines: string[], where: string) => {
    for (const line of lines) {
      const key = line.replace(/\d+/g, '#').slice(0, 120)
      if (!seen.has(key)) failures.push(`${where}: ${line}`)
      seen.add(key)
    }
  }
  let ran = 0
  const check = { logFrom: 0 }
  fail(await stepChecks(world, check), 'after joining')
  for (const step of planSteps(seed)) {
    if (failures.length >= maxFailures || step.n > maxSteps || Date.now() > deadline) break
    world.step = stage.step = step.n
    world.findings = []
    await healFaults(world)
    const actor = actors.find((a) => a.name === step.actor)!
    let outcome: string
    try {
      outcome = await withTimeout(
        actionNamed(step.action).run(world, actor, step.args),
        STEP_TIMEOUT_MS,
        `${step.action} took over ${STEP_TIMEOUT_MS / 1000} s`,
      )
    } catch (error) {
      outcome = `FAILED: ${(error as Error).message.split('\n')[0]}`
      fail([`${actor.name} could not do ${step.action}: ${(error as Error).message.slice(0, 800)}`], `step ${step.n}`)
    }
    lines.push(describeStep(step, outcome))
    log(`${lines[lines.length - 1]!}  [${((Date.now() - startedAt) / 1000).toFixed(1)} s]`)
    ran = step.n
    fail(world.findings, `step ${step.n}`)
    if (failures.length < maxFailures) fail(await stepChecks(world, check), `after step ${step.n}`)
  }
  if (failures.length < maxFailures) {
    world.step = stage.step = ran + 1
    await healFaults(world, true)
    fail(await finalChecks(world, check), 'at the end')
  }
  const replay = [
    `session fuzz, seed ${seed}: ${failures.length === 0 ? `${ran} steps, all checks held` : `${failures.length} failure(s), the run stopped at step ${ran}`}`,
    ...failures.map((f) => `  ✗ ${f}`),
    `replay: npm run fuzz:session -- --seed ${seed} --steps ${ran}`,
    'steps:',
    ...lines,
  ].join('\n')
  const artifacts = await keepArtifacts(world, seed, replay, failures.length > 0)
  return { seed, steps: ran, failures, replay, artifacts }
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  return Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer))
}

/** The replay as a file, and on failure every page's screen, in test-results/. */
async function keepArtifacts(world: World, seed: number, replay: string, failed: boolean): Promise<string[]> {
  mkdirSync(ARTIFACTS, { recursive: true })
  const file = join(ARTIFACTS, `session-fuzz-${seed}.txt`)
  writeFileSync(file, `${replay}\n`)
  const out = [file]
  if (failed) {
    for (const actor of world.actors) {
      const path = join(ARTIFACTS, `session-fuzz-${seed}-${actor.name}.png`)
      if (
        await actor.page.screenshot({ path, timeout: 10_000 }).then(
          () => true,
          () => false,
        )
      )
        out.push(path)
    }
  }
  return out
}
