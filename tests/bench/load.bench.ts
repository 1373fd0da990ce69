/**
 * A conference's worth of people on one board: the real server as its own process on
 * 127.0.0.1, and LOAD_CLIENTS (80) stock y-websocket clients that move their cursor
 * LOAD_CURSOR_HZ (4, crowd mode's rate) times a second and add a card every ~LOAD_EDIT_SECONDS (3),
 * for LOAD_SECONDS (20) — the workload of tests/bench/workload.ts. Prints how long a card takes to
 * reach everyone (p50/p95/max), whether every client ended with the same board, and the server's
 * CPU and memory. Stops by itself. (npm run bench:cluster runs the same on PostgreSQL + Redis.)
 *
 *   npm run bench:load
 */
import { CLIENTS, CURSOR_HZ, EDIT_SECONDS, run, SECONDS } from './workload.ts'

const result = await run('1 process, SQLite', [{}])
console.log(`${CLIENTS} clients, ${CURSOR_HZ} cursor updates/s each, a card every ~${EDIT_SECONDS} s each, for ${SECONDS} s (server on 127.0.0.1, own process)`)
console.table([
  {
    'all synced (ms)': Math.round(result.syncMs),
    cards: result.cards,
    'deliveries measured': result.deliveries,
    'card → others p50 (ms)': Math.round(result.p50),
    'p95 (ms)': Math.round(result.p95),
    'p99 (ms)': Math.round(result.p99),
    'identical boards': result.converged,
    'server CPU (% of one core)': Math.round(result.processes[0]!.cpu),
    'server peak RSS (MB)': Math.round(result.processes[0]!.rss),
  },
])
process.exit(result.converged ? 0 : 1)
