/**
 * Starts the server from the environment. SIGINT/SIGTERM: /readyz answers 503 for DRAIN_SECONDS,
 * then every board is flushed and the process exits 0 — or 1 after SHUTDOWN_TIMEOUT_SECONDS,
 * whatever is still unsaved (logged; every client keeps its own copy and sends it again).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { readConfig } from './config.ts'
import { createLogger } from './log.ts'
import { createServer } from './server.ts'
import { openSqliteStorage } from './storage/sqlite-storage.ts'
import { openPostgresStorage } from './storage/postgres-storage.ts'
import { RedisCluster } from './cluster/cluster.ts'
import type { Storage } from './storage/storage.ts'
import { ARCHIVE_SCOPE, createTokens, loadOrCreateSecret } from './policy/tokens.ts'

let config
try {
  config = readConfig()
} catch (error) {
  console.error(`Configuration error: ${(error as Error).message}`)
  process.exit(2)
}
const log = createLogger(config.logLevel, config.logFormat)
// The last resort: an error no handler caught is logged, and the server keeps serving everyone.
process.on('uncaughtException', (error) => log.error('uncaught exception', { error }))
process.on('unhandledRejection', (error) => log.error('unhandled rejection', { error }))

// A DATA_DIR that has run before (it has the secret of the links) but lost its database must not
// start empty: every link people hold would open an empty board.
if (!config.databaseUrl && !config.tokenSecret && existsSync(join(config.dataDir, 'token-secret')) && !existsSync(join(config.dataDir, 'boards.sqlite'))) {
  console.error(
    `Storage error: ${join(config.dataDir, 'boards.sqlite')} is missing while the links' secret is there: restore the database, or remove token-secret too to start with no boards`,
  )
  process.exit(3)
}
let storage: Storage
try {
  // DATABASE_URL: PostgreSQL (several processes can share it); otherwise the SQLite file in DATA_DIR.
  storage = config.databaseUrl ? await openPostgresStorage({ url: config.databaseUrl, schema: config.databaseSchema }) : openSqliteStorage(config.dataDir)
} catch (error) {
  log.error('cannot open the data', { error })
  console.error(`Storage error: ${(error as Error).message}`)
  process.exit(3)
}
let cluster: RedisCluster | undefined
if (config.redisUrl) {
  if (!config.databaseUrl) log.warn('REDIS_URL without DATABASE_URL: processes share boards only if they also share one DATA_DIR on one machine')
  try {
    cluster = await RedisCluster.connect({ url: config.redisUrl, prefix: config.redisPrefix, log })
  } catch (error) {
    console.error(`Cluster error: ${(error as Error).message}`)
    await storage.close()
    process.exit(3)
  }
}
const tokens = createTokens(loadOrCreateSecret(config.dataDir, config.tokenSecret))
// ioredis: the client @fastify/rate-limit is built for; short timeouts so a Redis outage skips
// the limit (skipOnError) instead of holding requests.
const redis = config.redisUrl ? new Redis(config.redisUrl, { connectTimeout: 1_000, maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined
redis?.on('error', (error) => log.warn('redis unavailable: rate limits are skipped until it is back', { error: error.message }))
const server = createServer({
  port: config.port,
  host: config.host,
  storage,
  log,
  staticDir: config.staticDir,
  tokens,
  room: { flushMs: config.flushMs, idleUnloadMs: config.idleUnloadMs, maxBoardBytes: config.maxBoardMb * 1024 * 1024 },
  snapshots: { autoEveryMs: config.snapshotEveryMinutes * 60_000 },
  limits: { createPerMinute: config.createPerMinute, importPerMinute: config.importPerMinute },
  redis,
  redisPrefix: config.redisPrefix,
  metricsToken: config.metricsToken,
  trustProxy: config.trustProxy,
  publicOrigin: config.publicOrigin,
  allowedOrigins: config.allowedOrigins,
  sockets: { perAddress: config.wsPerAddress, perBoard: config.wsPerBoard },
  createKey: config.createKey,
  maxDataBytes: config.maxDataMb * 1024 * 1024,
  cluster,
})

const { url } = await server.listen()
log.info('listening', {
  url,
  storage: config.databaseUrl ? `postgresql (schema ${config.databaseSchema})` : config.dataDir,
  cluster: cluster ? `redis, process ${cluster.id}` : 'off',
  metrics: config.metricsToken ? '/metrics (bearer METRICS_TOKEN)' : 'off (set METRICS_TOKEN)',
})
// Whoever can read the server's log may open the archive of every session.
log.info('archive of all sessions', { url: `${url}/archive?key=${tokens.sign(ARCHIVE_SCOPE, 'facilitator')}` })
// One machine-readable line on stdout: tests and scripts wait for it.
process.stdout.write(`listening on ${url}\n`)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    log.info('stopping', { signal, drainSeconds: config.drainSeconds })
    const deadline = setTimeout(
      () => {
        // Those edits are still in the browsers that made them, which send them again on reconnect.
        log.error('shutdown took too long: exiting with these edits unsaved on this server', {
          seconds: config.shutdownTimeoutSeconds,
          unsaved: server.rooms.unsaved(),
        })
        process.exit(1)
      },
      (config.drainSeconds + config.shutdownTimeoutSeconds) * 1000,
    )
    deadline.unref()
    server.drain()
    setTimeout(() => {
      server.close().then(
        async () => {
          await redis?.quit().catch(() => {})
          process.exit(0)
        },
        (error: unknown) => {
          log.error('error while stopping', { error })
          process.exit(1)
        },
      )
    }, config.drainSeconds * 1000)
  })
}
