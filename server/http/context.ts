/**
 * What every route module needs: the server's services, and how a request proves its role.
 * The caller's credential comes from `Authorization: Bearer <token>` or a query parameter
 * (`?token=` for board links, `?key=` for the archive) — parsed here, once.
 */
import { timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { BOARD_ID_RULE, parseBoardId, type BoardId } from '../../shared/board-id.ts'
import { boardLink, ROLES, type Role } from '../../shared/roles.ts'
import type { BoardLinks } from '../../shared/api.ts'
import { HttpError } from './http-error.ts'
import type { BoardWork } from '../room/board-work.ts'
import type { Logger } from '../log.ts'
import type { RoomRegistry } from '../room/rooms.ts'
import type { SnapshotService } from '../session/snapshots.ts'
import type { Storage } from '../storage/storage.ts'
import { ARCHIVE_SCOPE, type Tokens } from '../policy/tokens.ts'
import type { VoteRegistry } from '../session/votes.ts'
import type { ProgrammeService } from '../programmes/programmes.ts'

/**
 * What creating boards takes: an optional key (CREATE_KEY), and room under the DATA_DIR quota.
 * Every route that makes a board (create, import, fork, a programme's boards) asks `mayCreate`:
 * the key is the deployer's say over who makes boards, whichever door the board comes through.
 */
export interface CreationPolicy {
  /** Both checks, key first: 401/403 without the right key, else 507 when the quota is used up. */
  mayCreate(request: FastifyRequest): Promise<void>
  /** Throws 401/403 when a key is required and missing or wrong. */
  checkKey(request: FastifyRequest): void
  /** Throws 507 when the storage quota is used up. */
  checkSpace(): Promise<void>
}

export interface ApiContext {
  creation: CreationPolicy
  storage: Storage
  rooms: RoomRegistry
  votes: VoteRegistry
  snapshots: SnapshotService
  tokens: Tokens
  log: Logger
  /** Whole-board work (exports, the archive's summaries) away from the event loop. */
  work: BoardWork
  /** Programmes and their action lines (the vliegwiel). */
  programmes: ProgrammeService
}

/** The bearer token of the request, else the query parameter `name`. */
export function credentialOf(request: FastifyRequest, name: 'token' | 'key' = 'token'): string | null {
  const header = request.headers.authorization
  if (header?.startsWith('Bearer ')) return header.slice(7).trim()
  const query = request.query as Record<string, unknown> | undefined
  const value = query?.[name]
  return typeof value === 'string' ? value : null
}

export function createAuth(tokens: Tokens) {
  return {
    /** The caller's role on the board; 401 without a token, 403 with a bad one or too small a role. */
    roleOf(request: FastifyRequest, id: BoardId, needed?: Role): Role {
      const check = tokens.verify(credentialOf(request), id)
      if (!check.ok) {
        if (check.reason === 'missing') throw new HttpError(401, 'this board needs an access token: open it with the link you were given')
        throw new HttpError(403, `access token ${check.reason}: ask the facilitator for a new link`)
      }
      if (needed && check.claims.role !== needed) throw new HttpError(403, `only a ${needed} may do this`)
      return check.claims.role
    },
    linksFor(id: BoardId): BoardLinks {
      return Object.fromEntries(ROLES.map((role) => [role, boardLink(id, tokens.sign(id, role))])) as BoardLinks
    },
    isArchiveKey(request: FastifyRequest): 'ok' | 'missing' | 'bad' {
      const key = credentialOf(request, 'key')
      if (!key) return 'missing'
      return tokens.verify(key, ARCHIVE_SCOPE).ok ? 'ok' : 'bad'
    },
  }
}
export type Auth = ReturnType<typeof createAuth>

/** Route parameters and query strings, validated (and documented in the OpenAPI) by zod. */
export const boardIdSchema = z
  .string()
  .refine((raw) => parseBoardId(raw) !== null, `invalid board id: ${BOARD_ID_RULE}`)
  .transform((raw) => raw as BoardId)
export const BoardParams = z.object({ id: boardIdSchema })
export const SnapshotParams = z.object({ id: boardIdSchema, sid: z.string().regex(/^[A-Za-z0-9_-]{4,64}$/, 'invalid snapshot id') })
export const Lang = z.enum(['nl', 'en']).catch('nl').default('nl')
export const TokenQuery = z.object({ token: z.string().max(2000).optional() })
export const LangQuery = TokenQuery.extend({ lang: Lang })
/** Who did it, for the snapshot list ("taken by …"); optional on every facilitator action. */
export const ByBody = z
  .object({ by: z.string().trim().max(60).optional() })
  .strict()
  .default({})

export function createCreationPolicy(
  storage: Pick<Storage, 'usageBytes'>,
  { createKey, maxDataBytes }: { createKey?: string; maxDataBytes: number },
): CreationPolicy {
  const key = createKey ? Buffer.from(createKey) : undefined
  const checkKey = (request: FastifyRequest) => {
    if (!key) return
    const header = request.headers['x-create-key']
    const given = typeof header === 'string' ? header : null
    if (!given) throw new HttpError(401, 'making boards on this server needs the creation key (CREATE_KEY): ask the person who runs it')
    const buffer = Buffer.from(given)
    if (buffer.length !== key.length || !timingSafeEqual(buffer, key)) throw new HttpError(403, 'that creation key is not right')
  }
  const checkSpace = async () => {
    if (maxDataBytes <= 0) return
    const used = await storage.usageBytes()
    if (used >= maxDataBytes)
      throw new HttpError(
        507,
        `the server's storage quota is used up (${Math.round(used / 1e6)} of ${Math.round(maxDataBytes / 1e6)} MB): no new boards until space is made`,
      )
  }
  return {
    async mayCreate(request) {
      checkKey(request)
      await checkSpace()
    },
    checkKey,
    checkSpace,
  }
}
