/** Configuration: a few environment variables with documented defaults, read once at start-up. */
import { resolve } from 'node:path'
import { trustOf, type TrustProxy } from './http/client-address.ts'
import type { LogFormat, LogLevel } from './log.ts'
import { DEFAULT_SOCKET_LIMITS } from './policy/socket-limits.ts'

/**
 * Every default, once: what the server does with no environment variable set. readConfig()
 * reads the variables over these; createServer(), the snapshot service and the HTTP app fall
 * back to them when a test or embedder leaves an option out.
 */
export const DEFAULTS = {
  port: 3000,
  host: '0.0.0.0',
  dataDir: 'data',
  staticDir: 'dist',
  logLevel: 'info',
  /** Changes are written to storage in batches this far apart. */
  flushMs: 50,
  /** A board nobody is connected to leaves memory after this long. */
  idleUnloadMs: 30_000,
  /** A board's update log is compacted into one state after this many updates. */
  compactEvery: 10_000,
  snapshotEveryMinutes: 10,
  databaseSchema: 'public',
  redisPrefix: 'samen:',
  createPerMinute: 30,
  importPerMinute: 10,
  maxBoardMb: 64,
  maxDataMb: 10_240,
  drainSeconds: 0,
  shutdownTimeoutSeconds: 30,
} as const

export interface Config {
  port: number
  host: string
  dataDir: string
  staticDir: string
  logLevel: LogLevel
  logFormat: LogFormat
  flushMs: number
  idleUnloadMs: number
  /** Secret for signing link tokens; when unset, one is made and kept in DATA_DIR/token-secret. */
  tokenSecret: string | undefined
  /** Automatic snapshots of a changing board at most this often (0: none; fractions allowed). */
  snapshotEveryMinutes: number
  /** PostgreSQL instead of the SQLite file (postgres://…); unset: SQLite in DATA_DIR. */
  databaseUrl: string | undefined
  /** The PostgreSQL schema the tables live in. */
  databaseSchema: string
  /** Bearer token for GET /metrics; unset: metrics are off. */
  metricsToken: string | undefined
  /** Whose X-Forwarded-For entries give client addresses: false, true, or the proxies' addresses. */
  trustProxy: TrustProxy
  /**
   * The origin people open the board at (https://bord.example.org): pages of it may connect and
   * change things. Unset: only localhost and IP addresses, as the Host says (server/http/origins.ts).
   */
  publicOrigin: string | undefined
  /** Origins besides the public one whose pages may connect and change things. */
  allowedOrigins: string[]
  /**
   * Redis: several processes share boards (server/cluster/cluster.ts) and rate limits; unset: one
   * process, limits per process.
   */
  redisUrl: string | undefined
  redisPrefix: string
  createPerMinute: number
  importPerMinute: number
  /** WebSockets one client address may hold open (a venue's NAT puts everyone behind one; server/policy/socket-limits.ts). */
  wsPerAddress: number
  /** WebSockets one board may hold open. */
  wsPerBoard: number
  /** When set, making boards (create, import) needs this key. */
  createKey: string | undefined
  maxBoardMb: number
  maxDataMb: number
  /** On SIGTERM, /readyz answers 503 this long before the server stops (load balancers notice). */
  drainSeconds: number
  /** SIGTERM always ends the process within this many seconds, saved or not (logged). */
  shutdownTimeoutSeconds: number
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`)
  }
  return value
}

function decimal(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number from ${min} to ${max}, got "${raw}"`)
  return value
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name] || fallback
  if (!(allowed as readonly string[]).includes(raw)) throw new Error(`${name} must be ${allowed.join(', ')}, got "${raw}"`)
  return raw as T
}

function origins(raw: string | undefined): string[] {
  const list = (raw ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
  for (const origin of list) {
    if (origin !== '*' && !/^https?:\/\/[^/]+$/.test(origin)) throw new Error(`ALLOWED_ORIGINS: "${origin}" is not an origin like https://example.org`)
  }
  return list
}

/** TRUST_PROXY: false (default), true, or a comma-separated list of the proxies' addresses. */
function trustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim()
  if (value === '' || value === 'false') return false
  if (value === 'true') return true
  if (/^\d+$/.test(value)) {
    throw new Error(
      `TRUST_PROXY: a hop count ("${value}") is not taken (a client that reaches a server directly forges hops; fastify 5.12.1 dropped them) — give the proxy's address, e.g. TRUST_PROXY=127.0.0.1`,
    )
  }
  const proxies = value
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
  try {
    trustOf(proxies)
  } catch (error) {
    throw new Error(`TRUST_PROXY must be true, false or the proxies' addresses (127.0.0.1, 10.0.0.0/8, loopback, …): ${(error as Error).message}`)
  }
  return proxies
}

function publicOrigin(raw: string | undefined): string | undefined {
  if (!raw) return undefined
  if (!/^https?:\/\/[^/]+\/?$/.test(raw))
    throw new Error(`PUBLIC_ORIGIN: "${raw}" is not an origin like https://bord.example.org (scheme, name, optional port; no path)`)
  return new URL(raw).origin
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, interactive = Boolean(process.stderr.isTTY)): Config {
  const metricsToken = env.METRICS_TOKEN || undefined
  if (metricsToken !== undefined && metricsToken.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters')
  if (env.CREATE_KEY && env.CREATE_KEY.length < 12) throw new Error('CREATE_KEY must be at least 12 characters')
  const redisUrl = env.REDIS_URL || undefined
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) throw new Error(`REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"`)
  const databaseUrl = env.DATABASE_URL || undefined
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error('DATABASE_URL must start with postgres:// or postgresql://')
  // Every process of a cluster must check the links the others signed.
  if (databaseUrl && redisUrl && !env.TOKEN_SECRET)
    throw new Error('with DATABASE_URL and REDIS_URL (several processes), set TOKEN_SECRET to the same secret of at least 32 characters on every process')
  const databaseSchema = env.DATABASE_SCHEMA || DEFAULTS.databaseSchema
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) throw new Error(`DATABASE_SCHEMA must be lower-case letters, digits and _, got "${databaseSchema}"`)
  return {
    port: int(env, 'PORT', DEFAULTS.port, 0, 65535),
    host: env.HOST || DEFAULTS.host,
    dataDir: resolve(env.DATA_DIR || DEFAULTS.dataDir),
    staticDir: resolve(env.STATIC_DIR || DEFAULTS.staticDir),
    logLevel: oneOf<LogLevel>(env, 'LOG_LEVEL', DEFAULTS.logLevel, ['debug', 'info', 'warn', 'error']),
    // A person at a terminal reads lines; everything else (files, collectors) gets JSON.
    logFormat: oneOf<LogFormat>(env, 'LOG_FORMAT', interactive && env.NODE_ENV !== 'production' ? 'pretty' : 'json', ['json', 'pretty']),
    flushMs: int(env, 'FLUSH_MS', DEFAULTS.flushMs, 0, 10_000),
    idleUnloadMs: int(env, 'IDLE_UNLOAD_MS', DEFAULTS.idleUnloadMs, 0, 3_600_000),
    tokenSecret: env.TOKEN_SECRET || undefined,
    snapshotEveryMinutes: decimal(env, 'SNAPSHOT_EVERY_MINUTES', DEFAULTS.snapshotEveryMinutes, 0, 24 * 60),
    databaseUrl,
    databaseSchema,
    metricsToken,
    trustProxy: trustProxy(env.TRUST_PROXY),
    publicOrigin: publicOrigin(env.PUBLIC_ORIGIN),
    allowedOrigins: origins(env.ALLOWED_ORIGINS),
    redisUrl,
    redisPrefix: env.REDIS_PREFIX || DEFAULTS.redisPrefix,
    createPerMinute: int(env, 'CREATE_PER_MINUTE', DEFAULTS.createPerMinute, 1, 100_000),
    importPerMinute: int(env, 'IMPORT_PER_MINUTE', DEFAULTS.importPerMinute, 1, 100_000),
    wsPerAddress: int(env, 'WS_PER_ADDRESS', DEFAULT_SOCKET_LIMITS.perAddress, 1, 1_000_000),
    wsPerBoard: int(env, 'WS_PER_BOARD', DEFAULT_SOCKET_LIMITS.perBoard, 1, 1_000_000),
    createKey: env.CREATE_KEY || undefined,
    maxBoardMb: int(env, 'MAX_BOARD_MB', DEFAULTS.maxBoardMb, 1, 4096),
    maxDataMb: int(env, 'MAX_DATA_MB', DEFAULTS.maxDataMb, 0, 10_000_000),
    drainSeconds: int(env, 'DRAIN_SECONDS', DEFAULTS.drainSeconds, 0, 600),
    shutdownTimeoutSeconds: int(env, 'SHUTDOWN_TIMEOUT_SECONDS', DEFAULTS.shutdownTimeoutSeconds, 1, 3600),
  }
}
