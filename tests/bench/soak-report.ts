/** What the soak prints: a line a minute while it runs, and the tables at the end. */
import type { SoakClient } from './soak-client.ts'
import type { Ledger, Presence, Tally } from './soak-ledger.ts'
import { NAMES, type SoakServers } from './soak-servers.ts'
import { percentile } from './workload.ts'

/** Disconnections that began this long after a kill are put down to it. */
const KILL_WINDOW_MS = 15_000

const clock = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`
const mb = (n: number | null | undefined) => (n === null || n === undefined ? 'down' : String(Math.round(n)))
const ms = (n: number) => (Number.isNaN(n) ? '–' : String(Math.round(n)))
const s = (n: number) => (Number.isNaN(n) ? '–' : (n / 1000).toFixed(1))

export const MINUTE_HEADER = 'time  phase                     RSS A / B (MB)  online   cards sent (held) / seen min–avg  edits  moves  dots  refusals  kills'

export function minuteLine(elapsed: number, phase: string, servers: SoakServers, clients: SoakClient[], ledger: Ledger): string {
  const rss = servers.cluster.nodes.map((_, i) => mb(servers.rss(i))).join(' / ')
  const online = clients.filter((c) => c.online).length
  const seen = clients.map((c) => {
    let n = 0
    for (const id of ledger.cards.keys()) if (c.records.has(id)) n++
    return n
  })
  const avg = seen.reduce((a, b) => a + b, 0) / Math.max(1, seen.length)
  return [
    clock(elapsed).padEnd(5),
    phase.padEnd(25),
    rss.padEnd(15),
    `${online}/${clients.length}`.padEnd(8),
    `${ledger.cards.size} (${ledger.held}) / ${Math.min(...seen)}–${Math.round(avg)}`.padEnd(33),
    String(ledger.edits).padEnd(6),
    String(ledger.moves).padEnd(6),
    String(ledger.dots).padEnd(5),
    String(ledger.refused).padEnd(9),
    servers.kills.length,
  ].join(' ')
}

export interface Final {
  setup: string
  phases: string[]
  servers: SoakServers
  ledger: Ledger
  clients: SoakClient[]
  /** When the session ended and the checks began (performance.now()). */
  endedAt: number
  converged: { ok: boolean; ms: number }
  present: { clients: Presence[]; postgres: Presence; restarted: Presence }
  snapshots: Record<string, number>
  votes: { started: number; closed: number }
  manualSnapshots: number
}

function tallyRows(where: string, tally: Tally): string[] {
  return tally.sorted().map(([reason, n]) => `| ${where} | ${n} | ${reason.replaceAll('|', '/')} |`)
}

export function finalReport(r: Final): string {
  const out: string[] = [`\n## Soak: ${r.setup}\n`]
  const { ledger, servers } = r

  out.push('### Memory (RSS, MB)\n', '| process | start | max | end | restarts |', '|---|---|---|---|---|')
  servers.cluster.nodes.forEach((_, i) => {
    const values = servers.samples.map((x) => x.rss[i]).filter((v): v is number => typeof v === 'number')
    out.push(`| ${NAMES[i]} | ${mb(values[0])} | ${mb(Math.max(...values))} | ${mb(values.at(-1))} | ${servers.restarts[i]} |`)
  })
  const minutes = servers.samples.filter((_, k) => k % 12 === 0).map((x) => `${clock(Math.max(0, x.at - ledger.t0))} ${x.rss.map(mb).join('/')}`)
  out.push('', `Over time (A/B, every minute): ${minutes.join(' · ')}`)

  const range = (pick: (p: Presence) => number) => {
    const values = r.present.clients.map(pick)
    return `${Math.min(...values)}–${Math.max(...values)}`
  }
  out.push(
    '',
    '### Edits sent vs. present at the end\n',
    `Clients converged (all online, every card, identical documents): ${r.converged.ok ? 'yes' : 'NO'} (${s(r.converged.ms)} s after the session ended)\n`,
    '| what | sent | PostgreSQL (after both restarted) | a new client of the restarted servers | every client (min–max) |',
    '|---|---|---|---|---|',
    `| cards | ${ledger.cards.size} (+${ledger.held} never revealed) | ${r.present.postgres.cards} | ${r.present.restarted.cards} | ${range((p) => p.cards)} |`,
    `| cards with their last text (${ledger.edits} edits) | ${ledger.cards.size} | ${r.present.postgres.texts} | ${r.present.restarted.texts} | ${range((p) => p.texts)} |`,
    `| cards where their last writer put them (${ledger.moves} moves) | ${ledger.cards.size} | ${r.present.postgres.positions} | ${r.present.restarted.positions} | ${range((p) => p.positions)} |`,
  )
  const { missing, misplaced } = r.present.postgres
  if (missing.length > 0)
    out.push(
      '',
      `Missing in PostgreSQL (${missing.length}): ${missing
        .slice(0, 20)
        .map((id) => `${id} by ${ledger.cards.get(id)!.by} at ${ledger.clock(ledger.cards.get(id)!.at)}`)
        .join('; ')}`,
    )
  if (misplaced.length > 0)
    out.push('', `Not where their last writer put them, in PostgreSQL (${misplaced.length}):`, ...misplaced.slice(0, 20).map((m) => `- ${m}`))

  out.push(
    '',
    '### Refusals of honest work\n',
    `${ledger.refused} in all; clients reloaded after a refusal: ${r.clients.reduce((a, c) => a + c.reloads, 0)}\n`,
    '| where | count | reason |',
    '|---|---|---|',
    ...tallyRows('client saw', ledger.refusals.clients),
    ...tallyRows('HTTP', ledger.refusals.http),
    ...tallyRows('server log', ledger.refusals.servers),
  )
  if (ledger.refused === 0) out.push('| – | 0 | none |')
  if (ledger.serverErrors.total > 0) out.push('', 'Errors in the server logs:', ...ledger.serverErrors.sorted().map(([m, n]) => `- ${n} × ${m}`))
  out.push(
    '',
    `Other closes (processes killed or restarted): ${
      ledger.drops
        .sorted()
        .map(([m, n]) => `${n} × ${m}`)
        .join(', ') || 'none'
    }`,
  )

  out.push('', '### Delivery: a card → every other client (ms)\n', '| phase | deliveries | p50 | p95 | p99 | max |', '|---|---|---|---|---|---|')
  for (const p of ledger.latencyByPhase(r.phases)) out.push(`| ${p.phase} | ${p.n} | ${ms(p.p50)} | ${ms(p.p95)} | ${ms(p.p99)} | ${ms(p.max)} |`)

  out.push(
    '',
    '### Disconnected after each kill\n',
    '| kill | at | process | clients dropped | back in p50 / p95 / max (s) | still out |',
    '|---|---|---|---|---|---|',
  )
  const outages = r.clients.flatMap((c) => c.outages)
  servers.kills.forEach((kill, k) => {
    const mine = outages.filter((o) => o.from >= kill.at && o.from < kill.at + KILL_WINDOW_MS)
    const back = mine
      .filter((o) => o.to !== undefined)
      .map((o) => o.to! - o.from)
      .sort((a, b) => a - b)
    out.push(
      `| ${k + 1} | ${clock(kill.at - ledger.t0)} | ${NAMES[kill.index]} (down ${s((kill.back ?? NaN) - kill.at)} s) | ${mine.length} | ${s(percentile(back, 50))} / ${s(percentile(back, 95))} / ${s(back.at(-1) ?? NaN)} | ${mine.length - back.length} |`,
    )
  })
  const other = outages.filter((o) => o.from < r.endedAt && !servers.kills.some((k) => o.from >= k.at && o.from < k.at + KILL_WINDOW_MS))
  out.push('', `Disconnections not after a kill: ${other.length}${other.length ? ` (${other.filter((o) => o.to === undefined).length} still out)` : ''}`)

  const slow = ledger.slowCards()
  if (slow.length > 0) out.push('', `Cards some client got more than 5 s late (${slow.length}):`, ...slow.slice(0, 15).map((c) => `- ${c}`))

  out.push(
    '',
    `Votes started / closed: ${r.votes.started} / ${r.votes.closed}; dots placed: ${ledger.dots}. Snapshots: ${
      Object.entries(r.snapshots)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ') || 'none'
    } (the facilitator took ${r.manualSnapshots}).`,
  )
  out.push('', '### Timeline\n', ...ledger.events.map((e) => `    ${e}`), ...(ledger.eventsLeftOut > 0 ? [`    … and ${ledger.eventsLeftOut} more`] : []))
  return out.join('\n')
}
