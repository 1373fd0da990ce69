/** Starts the server from the environment; SIGINT/SIGTERM flush every board and exit 0. */
import { readConfig } from './config.ts'
import { createLogger } from './log.ts'
import { createServer } from './server.ts'
import { openSqliteStorage } from './sqlite-storage.ts'
import { ARCHIVE_SCOPE } from './snapshot-api.ts'
import { createTokens, loadOrCreateSecret } from './tokens.ts'

let config
try {
  config = readConfig()
} catch (error) {
  console.error(`Configuration error: ${(error as Error).message}`)
  process.exit(2)
}
const log = createLogger(config.logLevel)
const storage = openSqliteStorage(config.dataDir)
const tokens = createTokens(loadOrCreateSecret(config.dataDir, config.tokenSecret))
const server = createServer({
  port: config.port,
  host: config.host,
  storage,
  log,
  staticDir: config.staticDir,
  tokens,
  room: { flushMs: config.flushMs, idleUnloadMs: config.idleUnloadMs },
  snapshots: { autoEveryMs: config.snapshotEveryMinutes * 60_000 },
})

const { url } = await server.listen()
log.info('listening', { url, dataDir: config.dataDir })
// Whoever can read the server's log may open the archive of every session.
log.info('archive of all sessions', { url: `${url}/archive?key=${tokens.sign(ARCHIVE_SCOPE, 'facilitator')}` })
// One machine-readable line on stdout: tests and scripts wait for it.
process.stdout.write(`listening on ${url}\n`)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    log.info('stopping', { signal })
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('error while stopping', { error })
        process.exit(1)
      },
    )
  })
}
