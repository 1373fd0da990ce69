/**
 * The soak: a 24-uursconferentie compressed into --minutes (40): --clients (80) stock y-websocket
 * clients — one facilitator walking the agenda (phases, timer, private rounds and reveals, dot
 * votes, a snapshot per phase; automatic snapshots every minute), the others following it with
 * cards, edits, moves, cursors and dots — through the real deploy/nginx.conf in front of two
 * server processes on the machine's PostgreSQL and Redis, one of them SIGKILLed every
 * --kill-every-minutes (10) and started again. Prints a line a minute, then memory over time,
 * edits sent against what PostgreSQL and every client hold, refusals of honest work, delivery
 * latency per phase and how long clients were out after each kill. Not part of npm test.
 *
 *   npm run soak [-- --minutes 40 --kill-every-minutes 10 --clients 80]
 *   (or SOAK_MINUTES, SOAK_KILL_EVERY_MINUTES, SOAK_CLIENTS)
 *
 * Everything listens on 127.0.0.1; the schema, Redis keys, data directories and processes are
 * removed at the end (also on Ctrl-C). Exits 1 when anything sent is missing or was refused.
 */
import { parseArgs } from 'node:util'
import * as Y from 'yjs'
import { openPostgresStorage } from '../../server/storage/postgres-storage.ts'
import { recordsOf } from '../../shared/doc-layout.ts'
import type { BoardId } from '../../shared/board-id.ts'
import { startCluster } from '../helpers/cluster.ts'
import { startNginx } from '../helpers/nginx.ts'
import { TEST_DATABASE_URL } from '../helpers/postgres.ts'
import { runCleanups } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'
import { readLayout } from './soak-board.ts'
import { SoakClient } from './soak-client.ts'
import { Facilitator } from './soak-facilitator.ts'
import { Ledger } from './soak-ledger.ts'
import { Participant } from './soak-participant.ts'
import { finalReport, MINUTE_HEADER, minuteLine } from './soak-report.ts'
import { SoakServers } from './soak-servers.ts'

const { values: flags } = parseArgs({
  options: { minutes: { type: 'string' }, 'kill-every-minutes': { type: 'string' }, clients: { type: 'string' } },
})
const number = (flag: string | undefined, env: string, fallback: number, min: number) => {
  const value = Number(flag ?? process.env[env] ?? fallback)
  if (!Number.isFinite(value) || value < min)
    throw new Error(`${env.toLowerCase().replace('soak_', '--').replaceAll('_', '-')} must be a number ≥ ${min}, got ${flag ?? process.env[env]}`)
  return value
}
const MINUTES = number(flags.minutes, 'SOAK_MINUTES', 40, 1)
const KILL_EVERY = number(flags['kill-every-minutes'], 'SOAK_KILL_EVERY_MINUTES', 10, 0.5)
const CLIENTS = Math.round(number(flags.clients, 'SOAK_CLIENTS', 80, 2))
/** After the session: how long the clients get to agree with each other and with what was sent. */
const CONVERGE_MS = 60_000

async function main(): Promise<number> {
  const setup = `${MINUTES} min, ${CLIENTS} clients (1 facilitator), 2 processes behind nginx, one SIGKILLed every ${KILL_EVERY} min`
  console.log(`soak: ${setup}`)
  const cluster = await startCluster(2, { LOG_LEVEL: 'warn', SNAPSHOT_EVERY_MINUTES: '1', TRUST_PROXY: 'true' })
  const nginx = await startNginx(cluster.nodes.map((n) => n.port))
  const ledger = new Ledger()
  const servers = new SoakServers(cluster, ledger)
  const wsUrl = `ws://127.0.0.1:${nginx.port}/sync`
  const created = await fetch(`${nginx.url}/api/boards`, {
    method: 'POST',
    body: JSON.stringify({ template: '24-uursconferentie', centraleOpgave: 'Iedereen telt mee en doet mee', targetYear: 2030 }),
  })
  if (created.status !== 201) throw new Error(`creating the board answered ${created.status}: ${await created.text()}`)
  const board = ((await created.json()) as { id: string }).id

  const facilitator = new Facilitator(wsUrl, nginx.url, board, ledger)
  facilitator.connect()
  await waitFor(() => facilitator.online, { what: 'the facilitator to sync', timeout: 30_000 })
  const layout = readLayout(facilitator.doc)
  const participants = Array.from(
    { length: CLIENTS - 1 },
    (_, index) =>
      new Participant({
        index,
        wsUrl,
        httpUrl: nginx.url,
        board,
        layout,
        ledger,
        group: layout.groups[index % layout.groups.length]!,
        castWithinMs: () => facilitator.castWithinMs,
      }),
  )
  for (const p of participants) p.connect()
  const clients: SoakClient[] = [facilitator, ...participants]
  await waitFor(() => clients.every((c) => c.online), { what: `all ${CLIENTS} clients to sync`, timeout: 60_000 })

  const phases = layout.agenda.map((a) => a.phase)
  const totalMinutes = layout.agenda.reduce((sum, a) => sum + a.minutes, 0)
  const sessionMs = MINUTES * 60_000
  const t0 = performance.now()
  ledger.t0 = t0
  let phaseLabel = ''
  servers.sample()
  const sampler = setInterval(() => servers.sample(), 5_000)
  console.log(
    `board ${board}; phases: ${layout.agenda.map((a) => `${a.phase} ${((sessionMs * a.minutes) / totalMinutes / 60_000).toFixed(1)} min`).join(', ')}\n\n${MINUTE_HEADER}`,
  )
  const minute = setInterval(() => console.log(minuteLine(performance.now() - t0, phaseLabel, servers, clients, ledger)), 60_000)
  const stopKills = servers.schedule(KILL_EVERY * 60_000, t0 + sessionMs)
  for (const p of participants) p.start()
  for (const [index, item] of layout.agenda.entries()) {
    phaseLabel = `${item.phase} (${index + 1}/${layout.agenda.length})`
    await facilitator.runPhase(index, item, (sessionMs * item.minutes) / totalMinutes)
  }
  for (const p of participants) p.stop()
  await stopKills()
  clearInterval(minute)
  const endedAt = performance.now()
  console.log(minuteLine(endedAt - t0, 'end of the session', servers, clients, ledger))

  // Everyone back, holding every card sent and the same document, or the time is up: what each holds now.
  const same = () => {
    const first = fingerprint(clients[0]!.records)
    return clients.every((c) => fingerprint(c.records) === first)
  }
  const converged = await waitFor(() => clients.every((c) => c.online && ledger.presentIn(c.records).cards === ledger.cards.size) && same(), {
    timeout: CONVERGE_MS,
    interval: 1_000,
  }).then(
    () => true,
    () => false,
  )
  const convergedMs = performance.now() - endedAt
  const presentClients = clients.map((c) => ledger.presentIn(c.records))
  const snapshots: Record<string, number> = {}
  for (const snap of (await facilitator.api<{ kind: string }[]>('GET', '/snapshots')) ?? []) snapshots[snap.kind] = (snapshots[snap.kind] ?? 0) + 1
  for (const c of clients) c.destroy()
  clearInterval(sampler)
  servers.sample()

  await servers.restartAll()
  const storage = await openPostgresStorage({ url: TEST_DATABASE_URL, schema: cluster.schema })
  const stored = new Y.Doc()
  for (const update of await storage.log.load(board as BoardId)) Y.applyUpdate(stored, update)
  await storage.close()
  const fresh = new SoakClient(wsUrl, board, 'viewer', 'Nakijker', '', ledger)
  fresh.connect()
  await waitFor(() => fresh.online, { what: 'a new client of the restarted servers to sync', timeout: 30_000 })
  const present = { clients: presentClients, postgres: ledger.presentIn(recordsOf(stored)), restarted: ledger.presentIn(fresh.records) }
  fresh.destroy()

  console.log(
    finalReport({
      setup,
      phases,
      servers,
      ledger,
      clients,
      endedAt,
      converged: { ok: converged, ms: convergedMs },
      present,
      snapshots,
      votes: facilitator.votes,
      manualSnapshots: facilitator.snapshots.taken,
    }),
  )
  const all = ledger.cards.size
  return present.postgres.cards === all && present.postgres.texts === all && ledger.refused === 0 ? 0 : 1
}

/** A document's records in key order (a Y.Map's own order depends on the order updates arrived in). */
function fingerprint(records: Y.Map<unknown>): string {
  return JSON.stringify([...records.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
}

let stopping = false
const finish = async (code: number) => {
  if (stopping) return
  stopping = true
  await runCleanups().catch((error: unknown) => console.error('cleaning up failed:', error))
  process.exit(code)
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void finish(130))
// Bounded whatever happens: a restart that never listens, a wait that never ends.
setTimeout(
  () => {
    console.error(`soak: not finished ${MINUTES + 10} minutes after it started; stopping`)
    void finish(1)
  },
  (MINUTES + 10) * 60_000,
).unref()
main().then(finish, (error: unknown) => {
  console.error(error)
  void finish(1)
})
