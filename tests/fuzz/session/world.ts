/** What every action and check of a fuzzed session can reach: the server, the board, the people. */
import type { Role } from '../../../shared/roles.ts'
import type { TestClient } from '../../helpers/client.ts'
import type { TestServer } from '../../helpers/server.ts'
import type { Actor, Person } from './cast.ts'
import type { Rng } from './random.ts'

export type Args = Record<string, number | string | boolean>

export interface World {
  server: TestServer
  boardId: string
  links: Record<Role, string>
  /** The board's tokens, by role (from the links). */
  tokens: Record<Role, string>
  actors: Actor[]
  /** A stock y-websocket client (viewer) holding the server's document. */
  mirror: TestClient
  /** The step running now. */
  step: number
  /** Each actor's member key hash: the owner stamp of their cards. */
  keyHash: Map<string, string>
  /** Broken promises an action saw (a card in the wrong place…): failures of the step. */
  findings: string[]
}

export interface Action {
  name: string
  /** How often it is picked, relative to the others. */
  weight: number
  /** Who may be picked to do it. */
  who(person: Person): boolean
  /** Its parameters, drawn from the seed only (never from the pages), so a plan replays. */
  args(rng: Rng): Args
  /** Does it through the UI; returns what it did (the shape it picked, or why it did nothing). */
  run(world: World, actor: Actor, args: Args): Promise<string>
}

export const isFacilitator = (p: Person) => p.role === 'facilitator'
export const canEdit = (p: Person) => p.role !== 'viewer'
export const onDesktop = (p: Person) => p.kind === 'desktop'
export const anyone = () => true
