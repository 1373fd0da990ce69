/**
 * The checks (checks.ts) put together: after every step on everyone whose network is up, and at
 * the end on everyone once the faults have healed, with the report and the .tldr export too.
 */
import type { Actor } from './cast.ts'
import { connectionState, differences, errorScreens, explained, pageState, refusals, reportProblems, serverRecords, stable, type PageState } from './checks.ts'
import { reconnected } from './faults.ts'
import type { World } from './world.ts'

export interface CheckState {
  /** How much of the server's log has been read. */
  logFrom: number
  /** How many of each actor's page problems have been read. */
  seen?: Map<string, number>
  /** Each actor's count of WebSocket connections at the last check. */
  sockets?: Map<string, number>
}

/** More new WebSocket connections than this from one page in one step is a reconnect storm. */
const STORM = 3

const STEP_CONVERGE_MS = 15_000
const FINAL_CONVERGE_MS = 30_000
/** y-websocket backs off up to 5 s (use-board-connection.ts); a frozen socket takes a watchdog round. */
const RECONNECT_MS = 40_000

export async function stepChecks(world: World, state: CheckState, converge = STEP_CONVERGE_MS): Promise<string[]> {
  const failures: string[] = []
  state.seen ??= new Map()
  for (const actor of world.actors) {
    for (const screen of await errorScreens(actor.page)) failures.push(`${actor.name} sees an error screen: ${screen}`)
    const from = state.seen.get(actor.name) ?? 0
    const faulty = actor.fault !== null || actor.faultEndedAt >= world.step - 1
    for (const problem of actor.problems.slice(from)) {
      if (!explained(problem, faulty, actor.kind === 'phone'))
        failures.push(`${actor.name}'s page ${problem.kind === 'pageerror' ? 'threw' : 'logged an error'} (step ${problem.step}): ${problem.text}`)
    }
    state.seen.set(actor.name, actor.problems.length)
  }
  // Someone whose fault just ended must be back.
  for (const actor of world.actors.filter((a) => a.fault === null && a.faultEndedAt === world.step)) {
    if (!(await reconnected(actor, RECONNECT_MS))) failures.push(`${actor.name} is not connected ${RECONNECT_MS / 1000} s after the network came back`)
  }
  state.sockets ??= new Map()
  for (const actor of world.actors) {
    const opened = actor.proxy.syncOpened - (state.sockets.get(actor.name) ?? actor.proxy.syncOpened)
    if (opened > STORM) failures.push(`${actor.name}'s page opened ${opened} WebSocket connections during step ${world.step} (a reconnect storm)`)
    state.sockets.set(actor.name, actor.proxy.syncOpened)
  }
  const records = world.server.log.records
  failures.push(...refusals(records, state.logFrom))
  state.logFrom = records.length
  if (failures.length > 0) return failures
  return convergence(
    world,
    world.actors.filter((a) => a.fault === null),
    converge,
  )
}

/** Every page holds the server's records, and the server none of anyone's private notes. */
async function convergence(world: World, actors: Actor[], timeout: number): Promise<string[]> {
  const deadline = Date.now() + timeout
  for (;;) {
    // The server first: a reveal between the two reads then cannot look like a leak.
    const server = serverRecords(world.mirror)
    const states = new Map<string, PageState | null>()
    for (const actor of actors) states.set(actor.name, await pageState(actor.page))
    const problems: string[] = []
    for (const [id, json] of Object.entries(server)) {
      if (json.includes('"privateRound":')) problems.push(`the server holds a note still marked private: ${id} ${json.slice(0, 200)}`)
    }
    for (const actor of actors) {
      const state = states.get(actor.name)
      if (!state) {
        problems.push(`${actor.name}'s page has no editor to read`)
        continue
      }
      for (const id of state.private)
        if (id in server) problems.push(`${actor.name}'s private note ${id} is on the server before the reveal: ${server[id]!.slice(0, 200)}`)
      const diff = differences(state.shared, server)
      if (diff.length > 0) {
        const why = actor.skipped.filter((line) => diff.some((d) => d.startsWith('missing') && line.includes(d.split(' ')[4]!)))
        const where = await whereItParts(actor, state, server)
        problems.push(
          `${actor.name}'s page (${await connectionState(actor.page)}, ${actor.proxy.syncOpened} sockets opened) differs from the server:\n    ${[...diff, ...why.map((w) => `the page left it out: ${w}`), ...where].join('\n    ')}`,
        )
      }
    }
    // A leak does not heal by waiting; a difference may still be on its way.
    if (problems.length === 0 || problems.some((p) => p.includes('private')) || Date.now() > deadline) return problems
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/**
 * Which link of page store → page doc → server broke: the page's own Y.Doc against its store
 * (the binding, shared/store-binding.ts) and against the server (the sync).
 */
async function whereItParts(actor: Actor, state: PageState, server: Record<string, string>): Promise<string[]> {
  const doc = await actor.page
    .evaluate(() => {
      const records = (window as unknown as { __boardTest?: { doc?: { getMap(name: string): { toJSON(): Record<string, unknown> } } } }).__boardTest?.doc
        ?.getMap('records')
        .toJSON()
      return records ? JSON.stringify(records) : null
    })
    .catch(() => null)
  if (doc === null) return ['(the page shows no doc to compare)']
  const inDoc = Object.fromEntries(Object.entries(JSON.parse(doc) as Record<string, unknown>).map(([id, r]) => [id, stable(r)]))
  const shared = Object.fromEntries(Object.entries(inDoc).filter(([id]) => !state.private.includes(id) && !id.startsWith('user:')))
  const storeVsDoc = differences(state.shared, shared)
  const docVsServer = differences(shared, server)
  return [
    storeVsDoc.length === 0
      ? "the store holds the page's doc"
      : `the store differs from the page's own doc (the binding):\n      ${storeVsDoc.join('\n      ')}`,
    docVsServer.length === 0
      ? "the page's doc holds the server's"
      : `the page's doc differs from the server (the sync):\n      ${docVsServer.join('\n      ')}`,
    ...actor.skipped.slice(-3).map((line) => `the binding warned: ${line}`),
  ]
}

export async function finalChecks(world: World, state: CheckState): Promise<string[]> {
  const failures: string[] = []
  for (const actor of world.actors) {
    if (!(await reconnected(actor, RECONNECT_MS)))
      failures.push(`${actor.name} is not connected at the end (${RECONNECT_MS / 1000} s after every fault healed)`)
  }
  failures.push(...(await stepChecks(world, state, FINAL_CONVERGE_MS)))
  if (failures.length > 0) return failures
  const server = serverRecords(world.mirror)
  failures.push(...(await reportProblems(world.server.url, world.boardId, world.tokens.facilitator, server)))
  // The download is made from what the server stored, not from the live document.
  const answer = await fetch(`${world.server.url}/api/boards/${world.boardId}/export.tldr?token=${encodeURIComponent(world.tokens.facilitator)}`)
  if (!answer.ok) return [...failures, `export.tldr answered ${answer.status}`]
  const file = (await answer.json()) as { records: { id: string }[] }
  const exported = Object.fromEntries(file.records.map((r) => [r.id, stable(r)]))
  const diff = differences(exported, server)
  if (diff.length > 0) failures.push(`the .tldr export differs from the live board:\n    ${diff.join('\n    ').replaceAll('page', 'export')}`)
  return failures
}
