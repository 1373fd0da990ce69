/**
 * Which web pages may talk to this server: its own (the Origin's host is the request's Host) and
 * those listed in ALLOWED_ORIGINS. Checked on WebSocket upgrades and on every API call that
 * changes something, so that a page elsewhere cannot use a leaked token from someone's browser.
 * Requests without an Origin (curl, scripts, the stock y-websocket client in Node) are not
 * browsers acting for someone else, and pass.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true
  if (allowed.includes('*') || allowed.includes(origin)) return true
  try {
    return host !== undefined && new URL(origin).host === host
  } catch {
    return false
  }
}
