/** Configuration: a few environment variables with documented defaults, read once at start-up. */
import { resolve } from 'node:path'
import type { LogLevel } from './log.ts'

export interface Config {
  port: number
  host: string
  dataDir: string
  staticDir: string
  logLevel: LogLevel
  flushMs: number
  idleUnloadMs: number
  /** Secret for signing link tokens; when unset, one is made and kept in DATA_DIR/token-secret. */
  tokenSecret: string | undefined
  /** Automatic snapshots of a changing board at most this often (0: none). */
  snapshotEveryMinutes: number
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

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new Error(`LOG_LEVEL must be debug, info, warn or error, got "${logLevel}"`)
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir: resolve(env.DATA_DIR || 'data'),
    staticDir: resolve(env.STATIC_DIR || 'dist'),
    logLevel,
    flushMs: int(env, 'FLUSH_MS', 50, 0, 10_000),
    idleUnloadMs: int(env, 'IDLE_UNLOAD_MS', 30_000, 0, 3_600_000),
    tokenSecret: env.TOKEN_SECRET || undefined,
    snapshotEveryMinutes: int(env, 'SNAPSHOT_EVERY_MINUTES', 10, 0, 24 * 60),
  }
}
