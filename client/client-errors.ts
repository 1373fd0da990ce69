/**
 * Tells the server about errors our boundaries caught (server/http/routes/client-errors.ts), so an
 * operator sees them in the log. A bug that fires on every render must not flood the server: the
 * same error of the same panel goes once a minute, bursts wait a second, and a page sends at most
 * MAX_PER_MINUTE reports a minute. Sending never throws.
 */
import { CLIENT_ERRORS_PATH, clientErrorReport, type ClientErrorReport, type ClientErrorScope } from '../shared/client-error.ts'

const MINUTE_MS = 60_000
const MAX_PER_MINUTE = 5
const DEBOUNCE_MS = 1_000

// One page, one reporter: the page's scope, what it sent in the last minute, what waits.
let scope: ClientErrorScope = {}
const lastSent = new Map<string, number>()
const sentAt: number[] = []
const waiting: ClientErrorReport[] = []
let timer: ReturnType<typeof setTimeout> | undefined

/** The board and connection the page shows; returns the function that forgets them. */
export function setErrorScope(next: ClientErrorScope): () => void {
  scope = next
  return () => {
    if (scope === next) scope = {}
  }
}

export function reportClientError(where: string, error: unknown): void {
  const report = clientErrorReport(where, error, scope)
  const key = `${where}\n${report.message}`
  const now = Date.now()
  if (now - (lastSent.get(key) ?? -Infinity) < MINUTE_MS) return
  // Forget what is older than the window: a page that runs for a day keeps a small map.
  for (const [seen, at] of lastSent) if (now - at >= MINUTE_MS) lastSent.delete(seen)
  lastSent.set(key, now)
  waiting.push(report)
  if (timer === undefined) timer = setTimeout(send, DEBOUNCE_MS)
}

function send() {
  timer = undefined
  const now = Date.now()
  while (sentAt.length > 0 && now - sentAt[0]! >= MINUTE_MS) sentAt.shift()
  for (const report of waiting.splice(0)) {
    if (sentAt.length >= MAX_PER_MINUTE) break
    sentAt.push(now)
    // keepalive: a report sent just before a reload still arrives.
    fetch(CLIENT_ERRORS_PATH, { method: 'POST', keepalive: true, headers: { 'content-type': 'application/json' }, body: JSON.stringify(report) }).catch(
      () => {},
    )
  }
}
