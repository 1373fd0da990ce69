/**
 * Names the server gives things it makes by itself (snapshots, forks, imports). Stored with
 * them, so in the board's first language, Dutch; the words live in a data file.
 */
import names from './format/data/server-names.json' with { type: 'json' }

export type ServerName = keyof typeof names

export function serverName(key: ServerName, vars: Record<string, string | number> = {}): string {
  return names[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`))
}
