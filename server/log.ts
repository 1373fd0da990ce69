/** A small structured logger: one line per event, `level message key=value…`. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

export interface Logger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 }

function format(fields: LogFields | undefined): string {
  if (!fields) return ''
  return Object.entries(fields)
    .map(([key, value]) => {
      const text = value instanceof Error ? value.message : typeof value === 'string' ? value : JSON.stringify(value)
      return ` ${key}=${/\s/.test(text ?? '') ? JSON.stringify(text) : text}`
    })
    .join('')
}

export function createLogger(minLevel: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const at = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (ORDER[level] < ORDER[minLevel]) return
    write(`${new Date().toISOString()} ${level} ${message}${format(fields)}`)
  }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/** Collects lines in memory; tests assert on what the server logged. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return { lines, ...createLogger('debug', (line) => lines.push(line)) }
}
