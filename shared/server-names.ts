/**
 * Names the server gives things it makes by itself (snapshots, forks, imports). Stored with
 * them, so in the board's first language, Dutch; the words live in a data file.
 */
import names from './format/data/server-names.json' with { type: 'json' }
import { formatMessage, type MessageValues } from './messages.ts'

export type ServerName = keyof typeof names

export function serverName(key: ServerName, vars: MessageValues = {}): string {
  return formatMessage('nl', names[key], vars)
}
