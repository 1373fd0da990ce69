/**
 * `npm run bench:compare` — this server side by side with a plain `ws` relay (the floor) and the
 * stock `@y/websocket-server` (the reference), one at a time, interleaved, on 127.0.0.1, driven
 * by raw y-websocket protocol clients in separate generator processes. Prints numbers; it is not
 * a test. Stops by itself.
 *
 * Environment (defaults): COMPARE_N (50,100,200,300,500), COMPARE_REPS (3), COMPARE_SECONDS (10),
 * COMPARE_GENERATORS (2), COMPARE_SERVERS (relay,reference,this), COMPARE_EXTRAS (1: also the
 * edit-rate ceiling, cold load, durable appends, memory, event-loop delay and the browser run; 0:
 * none; or a list of ceiling,cold,appends,memory,loop,browser). COMPARE_N= (empty) skips the fan-out.
 */
import { loadavg } from 'node:os'
import { fanOutRun, type FanOutResult } from './fanout.ts'
import { extras } from './extras.ts'
import { removeData, SERVER_NAMES, startBenchServer, type ServerKind } from './servers.ts'

const NS = (process.env.COMPARE_N ?? '50,100,200,300,500')
  .split(',')
  .map(Number)
  .filter((n) => n > 0)
const REPS = Number(process.env.COMPARE_REPS ?? 3)
const SECONDS = Number(process.env.COMPARE_SECONDS ?? 10)
const GENERATORS = Math.max(2, Number(process.env.COMPARE_GENERATORS ?? 2))
const SERVERS = (process.env.COMPARE_SERVERS ?? 'relay,reference,this').split(',') as ServerKind[]
const CURSOR_HZ = 4
const EDIT_SECONDS = 3

const median = (values: number[]) => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : NaN
}
const fmt = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '–')
/** Median with the range of the repetitions: "38 (35–41)". */
function summary(values: number[], digits = 0): string {
  const finite = values.filter(Number.isFinite)
  if (finite.length <= 1) return fmt(finite[0] ?? NaN, digits)
  return `${fmt(median(finite), digits)} (${fmt(Math.min(...finite), digits)}–${fmt(Math.max(...finite), digits)})`
}
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')

async function main() {
  const started = Date.now()
  console.log(`bench:compare — ${new Date().toISOString()} — Node ${process.version}, load average ${load()}`)
  console.log(
    `N = ${NS.join(', ')}; ${REPS} repetitions of ${SECONDS} s; ${GENERATORS} generator processes; each client: cursor ${CURSOR_HZ}×/s, a card every ~${EDIT_SECONDS} s\n`,
  )
  const results = new Map<string, FanOutResult[]>()
  for (const n of NS) {
    for (let rep = 0; rep < REPS; rep++) {
      // Rotated per repetition: no server always runs first (or on a warmer machine).
      const order = SERVERS.map((_, i) => SERVERS[(i + rep) % SERVERS.length]!)
      for (const kind of order) {
        const server = await startBenchServer(kind)
        try {
          const result = await fanOutRun(server, 'bench-board', {
            clients: n,
            generators: GENERATORS,
            seconds: SECONDS,
            cursorHz: CURSOR_HZ,
            editSeconds: EDIT_SECONDS,
            drainMs: 10_000,
          })
          const key = `${n}/${kind}`
          results.set(key, [...(results.get(key) ?? []), result])
          console.log(
            `N=${n} rep ${rep + 1} ${SERVER_NAMES[kind].padEnd(20)} p50 ${fmt(result.p50, 1)} p95 ${fmt(result.p95, 1)} p99 ${fmt(result.p99, 1)} max ${fmt(result.max)} ms, delivered ${(result.delivered * 100).toFixed(2)} %, converged ${result.converged}, CPU ${fmt(result.cpuPercent)} %, ${fmt(result.cpuMsPer1000, 1)} ms/1000 deliveries, RSS ${fmt(result.rssMb)} MB, ${fmt(result.framesPerClientSecond)} frames & ${fmt(result.kbPerClientSecond, 1)} KB /client/s, generators ${fmt(result.generatorCpuPercent)} % CPU${result.loop ? `, event loop lag max ${fmt(result.loop.lagMaxMs)} p99 ${fmt(result.loop.lagP99Ms)} ms, GC ${fmt(result.loop.gcPercent, 1)} %` : ''} (load ${load()})`,
          )
        } catch (error) {
          console.log(`N=${n} rep ${rep + 1} ${SERVER_NAMES[kind]}: failed — ${(error as Error).message}`)
        } finally {
          await server.stop()
          removeData(server)
        }
      }
    }
  }

  console.log(`\nFan-out: median of ${REPS} (range); latency = card sent → card received by each other client, in ms`)
  const rows: Record<string, string | number>[] = []
  for (const n of NS) {
    const reference = results.get(`${n}/reference`) ?? []
    for (const kind of SERVERS) {
      const runs = results.get(`${n}/${kind}`) ?? []
      if (runs.length === 0) continue
      const cpuPer = median(runs.map((r) => r.cpuMsPer1000))
      rows.push({
        N: n,
        server: SERVER_NAMES[kind],
        p50: summary(
          runs.map((r) => r.p50),
          1,
        ),
        p95: summary(
          runs.map((r) => r.p95),
          1,
        ),
        p99: summary(
          runs.map((r) => r.p99),
          1,
        ),
        max: summary(runs.map((r) => r.max)),
        'delivered %': summary(
          runs.map((r) => r.delivered * 100),
          2,
        ),
        converged: runs.map((r) => (r.converged === null ? 'n/a' : r.converged ? 'yes' : 'NO')).join(' '),
        'CPU %': summary(runs.map((r) => r.cpuPercent)),
        'CPU ms/1000 del.': summary(
          runs.map((r) => r.cpuMsPer1000),
          1,
        ),
        'vs reference': kind === 'reference' || reference.length === 0 ? '' : `${fmt(cpuPer / median(reference.map((r) => r.cpuMsPer1000)), 2)}×`,
        'RSS MB': summary(runs.map((r) => r.rssMb)),
        'frames/client/s': summary(runs.map((r) => r.framesPerClientSecond)),
        'KB/client/s': summary(
          runs.map((r) => r.kbPerClientSecond),
          1,
        ),
        'generators CPU %': summary(runs.map((r) => r.generatorCpuPercent)),
      })
    }
  }
  console.table(rows)
  if (process.env.COMPARE_EXTRAS !== '0') await extras()
  console.log(`\nDone in ${Math.round((Date.now() - started) / 1000)} s; load average ${load()}`)
  process.exit(0)
}

void main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
