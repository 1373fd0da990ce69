/**
 * What a browser tells the server when one of its panels, a shape or the whole canvas failed
 * (POST /api/client-errors): enough for an operator to find the bug, no personal data — no
 * names, no card text, and URLs lose their query (board links carry tokens there).
 */
import { z } from 'zod'
import { BOARD_ID_RULE, parseBoardId } from './board-id.ts'

export const CLIENT_ERRORS_PATH = '/api/client-errors'
/** Per client address; a venue's NAT puts a whole conference behind one address. */
export const CLIENT_ERRORS_PER_MINUTE = 60
export const ClientErrorLimits = { message: 300, stack: 2000 } as const

export const ClientErrorReport = z
  .object({
    /** Where it happened: a panel's name (`trash`, `card-panel`), `shape`, `canvas`, a page. */
    where: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'where: a panel name (a-z, 0-9 and -, at most 40)'),
    message: z.string().max(ClientErrorLimits.message),
    stack: z.string().max(ClientErrorLimits.stack).default(''),
    board: z
      .string()
      .refine((id) => parseBoardId(id) !== null, `board: ${BOARD_ID_RULE}`)
      .optional(),
    /** The page's Yjs client id: the one its presence carries. */
    connection: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/, 'connection: letters, digits, - and _')
      .optional(),
  })
  .strict()
export type ClientErrorReport = z.input<typeof ClientErrorReport>

/** Where a report comes from: the board and connection of the page, when it shows a board. */
export interface ClientErrorScope {
  board?: string
  connection?: string
}

/** URLs without their query and fragment (`?token=…` must not reach a log); a stack's `:line:column` stays. */
const withoutQueries = (text: string) => text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#)]*)[?#][^\s)]*?((?::\d+){0,2})(?=[\s)]|$)/gi, '$1$2')

/** A report of `error`, cut to the limits. */
export function clientErrorReport(where: string, error: unknown, scope: ClientErrorScope): ClientErrorReport {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  const stack = error instanceof Error ? (error.stack ?? '') : ''
  return {
    where,
    message: withoutQueries(message).slice(0, ClientErrorLimits.message),
    stack: withoutQueries(stack).slice(0, ClientErrorLimits.stack),
    ...scope,
  }
}
