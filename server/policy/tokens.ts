/**
 * Access tokens: `<payload>.<signature>`, both base64url; the payload names the board, the role
 * and the expiry, the signature is an HMAC-SHA256 with the server's secret. No accounts: whoever
 * holds a link has its role.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isRole, LINK_LIFETIME_DAYS, type Role } from '../../shared/roles.ts'

/** The pseudo board id archive keys are signed for (not a valid board id, so never a board's). */
export const ARCHIVE_SCOPE = '*archive*'

export interface TokenClaims {
  boardId: string
  role: Role
  /** Expiry, ms since the epoch. */
  exp: number
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: 'missing' | 'malformed' | 'bad-signature' | 'expired' | 'other-board' }

export interface Tokens {
  sign(boardId: string, role: Role, now?: number): string
  verify(token: string | null | undefined, boardId: string, now?: number): TokenCheck
}

export function createTokens(secret: string): Tokens {
  if (secret.length < 32) throw new Error('the token secret must be at least 32 characters')
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url')
  return {
    sign(boardId, role, now = Date.now()) {
      const payload = Buffer.from(JSON.stringify({ b: boardId, r: role, e: now + LINK_LIFETIME_DAYS * 86_400_000 })).toString('base64url')
      return `${payload}.${mac(payload)}`
    },
    verify(token, boardId, now = Date.now()) {
      if (!token) return { ok: false, reason: 'missing' }
      const [payload, signature, ...rest] = token.split('.')
      if (!payload || !signature || rest.length > 0) return { ok: false, reason: 'malformed' }
      const expected = Buffer.from(mac(payload))
      const given = Buffer.from(signature)
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad-signature' }
      let claims: { b?: unknown; r?: unknown; e?: unknown }
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
      } catch {
        return { ok: false, reason: 'malformed' }
      }
      if (typeof claims.b !== 'string' || !isRole(claims.r) || typeof claims.e !== 'number') return { ok: false, reason: 'malformed' }
      if (claims.b !== boardId) return { ok: false, reason: 'other-board' }
      if (claims.e <= now) return { ok: false, reason: 'expired' }
      return { ok: true, claims: { boardId: claims.b, role: claims.r, exp: claims.e } }
    },
  }
}

/**
 * The board id (scope) a token says it is for, unverified: check the token against it with
 * `verify` before trusting it. For links whose scope the caller cannot know in advance (a
 * trekker's link names its action line).
 */
export function claimedScope(token: string): string | null {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { b?: unknown }
    return typeof claims.b === 'string' ? claims.b : null
  } catch {
    return null
  }
}

/** The secret from TOKEN_SECRET, else the one kept in DATA_DIR/token-secret (made on first start). */
export function loadOrCreateSecret(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv
  const path = join(dataDir, 'token-secret')
  if (existsSync(path)) return readFileSync(path, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const secret = randomBytes(32).toString('base64url')
  writeFileSync(path, secret + '\n', { mode: 0o600 })
  return secret
}
