/**
 * The bench:load workload (tests/bench/workload.ts: LOAD_CLIENTS = 80 stock y-websocket clients on
 * one board, cursors LOAD_CURSOR_HZ = 4 times a second, a card every ~LOAD_EDIT_SECONDS = 3 s each,
 * for LOAD_SECONDS = 20) on three set-ups, one after the other in one run:
 *
 *   1. one process with SQLite (the default);
 *   2. one process with PostgreSQL + Redis;
 *   3. two processes with PostgreSQL + Redis, the clients alternating between them.
 *
 * Prints card fan-out latency p50/p95/p99 (and, for two processes, same-process against
 * cross-process deliveries: the Redis hop), cards and deliveries per second, and each process's
 * CPU and peak memory. Uses the machine's PostgreSQL and Redis (TEST_DATABASE_URL,
 * TEST_REDIS_URL) with a schema and key prefix of its own, removed afterwards. Stops by itself.
 *
 *   npm run bench:cluster
 */
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import pg from 'pg'
import { CLIENTS, CURSOR_HZ, EDIT_SECONDS, run, SECONDS, type Result } from './workload.ts'

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

async function main() {
  const schema = `bench_${randomBytes(4).toString('hex')}`
  const prefix = `bench-${randomBytes(4).toString('hex')}:`
  const admin = new pg.Client({ connectionString: DATABASE_URL })
  try {
    await admin.connect()
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${DATABASE_URL} (${(error as Error).message}); start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
    )
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 })
  await redis.connect().catch((error: unknown) => {
    throw new Error(`Redis is not reachable at ${REDIS_URL} (${(error as Error).message})`)
  })
  const shared = (n: number) => ({ DATABASE_URL, DATABASE_SCHEMA: `${schema}_${n}`, REDIS_URL, REDIS_PREFIX: `${prefix}${n}:` })
  const results: Result[] = []
  try {
    results.push(await run('1 process, SQLite', [{}]))
    results.push(await run('1 process, PostgreSQL + Redis', [shared(2)]))
    results.push(await run('2 processes, PostgreSQL + Redis', [shared(3), shared(3)]))
  } finally {
    for (const n of [2, 3]) await admin.query(`DROP SCHEMA IF EXISTS ${schema}_${n} CASCADE`)
    await admin.end()
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    redis.disconnect()
  }
  const ms = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '–' : `${Math.round(n)}`)
  console.log(
    `\n${CLIENTS} clients on one board, ${CURSOR_HZ} cursor updates/s each, a card every ~${EDIT_SECONDS} s each, ${SECONDS} s per set-up (all on this machine: ${navigatorCores()} cores shared by servers, PostgreSQL, Redis and the clients)\n`,
  )
  console.log(
    '| set-up | card → others p50 / p95 / p99 (ms) | same process / via Redis p50 (ms) | cards/s | deliveries/s | CPU per process (% of a core) | peak RSS per process (MB) | converged |',
  )
  console.log('|---|---|---|---|---|---|---|---|')
  for (const r of results) {
    console.log(
      `| ${r.setup} | ${ms(r.p50)} / ${ms(r.p95)} / ${ms(r.p99)} | ${r.crossP50 === undefined ? '–' : `${ms(r.sameP50)} / ${ms(r.crossP50)}`} | ${(r.cards / r.seconds).toFixed(1)} | ${Math.round(r.deliveries / r.seconds)} | ${r.processes.map((p) => Math.round(p.cpu)).join(' + ')} | ${r.processes.map((p) => Math.round(p.rss)).join(' + ')} | ${r.converged ? 'yes' : 'NO'} |`,
    )
  }
  const two = results[2]!
  if (two.crossP50 !== undefined)
    console.log(
      `\nThe Redis hop: a card from a client of the other process arrives ${Math.round(two.crossP50 - two.sameP50!)} ms later (p50) than one from a client of the same process.`,
    )
  process.exit(results.every((r) => r.converged) ? 0 : 1)
}

function navigatorCores(): number {
  return (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency ?? 2
}

void main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
