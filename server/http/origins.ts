/**
 * Which web pages may talk to this server: the public origin people open it at (PUBLIC_ORIGIN)
 * and those listed in ALLOWED_ORIGINS. Checked on WebSocket upgrades and on every API call that
 * changes something, so that a page elsewhere cannot use a leaked token from someone's browser.
 * Requests without an Origin (curl, scripts, the stock y-websocket client in Node) are not
 * browsers acting for someone else, and pass.
 *
 * The Host header is no proof of who we are: a page at http://evil.example:3000 whose name the
 * attacker pointed at 127.0.0.1 (DNS rebinding) sends Origin and Host of evil.example alike
 * (issue 20, finding 10). So without PUBLIC_ORIGIN an Origin equal to the Host passes only for
 * an address no name stands in for — localhost or an IP literal — which is what `npm start` on a
 * laptop, a venue's LAN by address and a proxy on another port of 127.0.0.1 send.
 */
import { isIP } from 'node:net'

export interface OriginRules {
  /** The origin people open the board at (https://bord.example.org); unset: see above. */
  publicOrigin?: string
  /** Further origins whose pages may connect and change things; `*` allows any. */
  allowed?: readonly string[]
}

/** The origin of an `http(s)://host[:port]` string, normalised as browsers send it; null if none. */
export function originOf(raw: string): string | null {
  try {
    const url = new URL(raw)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null
  } catch {
    return null
  }
}

const isLiteral = (hostname: string) => hostname === 'localhost' || isIP(hostname.replace(/^\[(.*)\]$/, '$1')) !== 0

/** A check of (Origin, Host) by the rules; one per server, made at start-up. */
export function originCheck({ publicOrigin, allowed = [] }: OriginRules): (origin: string | undefined, host: string | undefined) => boolean {
  const listed = new Set([...(publicOrigin ? [publicOrigin] : []), ...allowed].map((o) => (o === '*' ? o : originOf(o))).filter((o): o is string => o !== null))
  return (origin, host) => {
    if (origin === undefined) return true
    if (listed.has('*')) return true
    const given = originOf(origin)
    if (given === null) return false
    if (listed.has(given)) return true
    if (publicOrigin) return false
    const url = new URL(given)
    return host !== undefined && url.host === host.toLowerCase() && isLiteral(url.hostname)
  }
}
