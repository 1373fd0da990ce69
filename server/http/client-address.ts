/**
 * The client address the server counts by: the HTTP rate limits (server/http/app.ts) and the
 * WebSockets per address (server/policy/socket-limits.ts) ask this one function, with the one trust
 * rule Fastify is given too. Behind a proxy the address comes from X-Forwarded-For, read the way
 * Fastify reads it (its own @fastify/proxy-addr), and is grouped the way @fastify/rate-limit
 * groups it (an IPv6 address by its /64).
 */
import type { IncomingMessage } from 'node:http'
import proxyAddr from '@fastify/proxy-addr'
import { normalizeIP } from '@fastify/rate-limit'

/** TRUST_PROXY: false (no proxy), true (believe every hop), or the proxies' addresses (127.0.0.1, 10.0.0.0/8, loopback, …). */
export type TrustProxy = boolean | readonly string[]

export type ProxyTrust = (address: string, hop: number) => boolean

/** Which hops' X-Forwarded-For entries to believe; throws on an address proxy-addr cannot read. */
export function trustOf(trustProxy: TrustProxy): ProxyTrust {
  if (trustProxy === true) return () => true
  if (trustProxy === false) return () => false
  return proxyAddr.compile([...trustProxy])
}

/** A request's client address; a request whose socket already closed has none, and such requests share one. */
export function clientAddress(req: IncomingMessage, trust: ProxyTrust): string {
  const address = req.socket?.remoteAddress === undefined ? undefined : proxyAddr(req, trust)
  return address ? normalizeIP(address) : 'no-address'
}
