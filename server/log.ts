/**
 * Structured logs on pino (fast, the logger Fastify is built around): one JSON object per line in
 * production, coloured readable lines in development (pino-pretty). The rest of the server logs
 * through the small `Logger` interface — `log.info('message', { board, conn })` — and `child`
 * binds fields (a board id, a request id) to every line after it.
 */
import { pino, stdSerializers, type Logger as Pino } from 'pino'
import pretty from 'pino-pretty'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>
export type LogFormat = 'json' | 'pretty'

export interface Logger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger
  /** The pino instance underneath (Fastify logs requests through it). */
  readonly pino: Pino
}

function wrap(base: Pino): Logger {
  const at = (level: LogLevel) => (message: string, fields?: LogFields) => (fields ? base[level](fields, message) : base[level](message))
  return { pino: base, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (fields) => wrap(base.child(fields)) }
}

const options = (level: LogLevel) => ({
  level,
  // Our fields say `error`; give it pino's error serializer (message, stack, code).
  serializers: { error: stdSerializers.err, err: stdSerializers.err },
  base: undefined,
})

/** Logs to stderr: JSON lines, or readable ones for a person at a terminal. */
export function createLogger(level: LogLevel = 'info', format: LogFormat = 'json'): Logger {
  const destination =
    format === 'pretty'
      ? pretty({ destination: 2, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
      : pino.destination({ dest: 2, sync: true })
  return wrap(pino(options(level), destination))
}

/**
 * Collects lines in memory as `level message key=value…`; tests assert on what the server logged.
 * `records` keeps the parsed JSON objects for tests that look at fields.
 */
export function createMemoryLogger(): Logger & { lines: string[]; records: LogFields[] } {
  const lines: string[] = []
  const records: LogFields[] = []
  // pino takes any object with a `write(line)` method: this one is synchronous.
  const sink = {
    write(chunk: string) {
      for (const line of chunk.split('\n')) {
        if (!line) continue
        const record = JSON.parse(line) as LogFields
        records.push(record)
        const { level, time: _time, msg, ...fields } = record
        const text = Object.entries(fields).map(([key, value]) => {
          const shown = typeof value === 'string' ? value : JSON.stringify(value)
          return ` ${key}=${/\s/.test(shown ?? '') ? JSON.stringify(shown) : shown}`
        })
        lines.push(`${pino.levels.labels[level as number] ?? level} ${String(msg)}${text.join('')}`)
      }
    },
  }
  return { lines, records, ...wrap(pino(options('debug'), sink)) }
}
