/**
 * A seed's plan: step after step, who does what with which parameters — drawn from the seed
 * alone, never from what the pages show, so `--seed N --steps K` replays the same first K steps
 * (the pages resolve "the 3rd shape on screen" the same way when they look the same).
 */
import { CAST, type Person } from './cast.ts'
import { canvasActions } from './actions-canvas.ts'
import { cardActions } from './actions-cards.ts'
import { facilitationActions } from './actions-facilitation.ts'
import { faultActions } from './faults.ts'
import { seededRng } from './random.ts'
import type { Action, Args } from './world.ts'

export const ACTIONS: readonly Action[] = [...canvasActions, ...cardActions, ...facilitationActions, ...faultActions]
const byName = new Map(ACTIONS.map((a) => [a.name, a]))

export interface Step {
  n: number
  actor: string
  action: string
  args: Args
}

export function actionNamed(name: string): Action {
  const action = byName.get(name)
  if (!action) throw new Error(`no action ${name}`)
  return action
}

export function* planSteps(seed: number, cast: readonly Person[] = CAST): Generator<Step> {
  const rng = seededRng(seed)
  const weights = Object.fromEntries(ACTIONS.filter((a) => cast.some(a.who)).map((a) => [a.name, a.weight]))
  for (let n = 1; ; n++) {
    const action = actionNamed(rng.weighted(weights))
    const actor = rng.pick(cast.filter(action.who))
    yield { n, actor: actor.name, action: action.name, args: action.args(rng) }
  }
}

/** One step as a line of the replay. */
export function describeStep(step: Step, outcome?: string): string {
  const args = Object.entries(step.args)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : v}`)
    .join(' ')
  return `${String(step.n).padStart(4)} ${step.actor.padEnd(5)} ${step.action}${args ? ` ${args}` : ''}${outcome ? `  → ${outcome}` : ''}`
}
