/**
 * The API of snapshots, exports, import, closing, deleting and the archive. Reading needs any
 * token of the board; changing needs the facilitator's. The archive needs the archive key
 * (a token for ARCHIVE_SCOPE, printed at start-up).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type * as Y from 'yjs'
import type { BoardId } from '../shared/board-id.ts'
import { boardPath, describeZodError, outcomePath, type BoardLinks, type CreatedBoard, type OutcomeFormat, OUTCOME_FORMATS } from '../shared/api.ts'
import { recordsOf, templateOf } from '../shared/doc-layout.ts'
import type { Outcome } from '../shared/format/model.ts'
import type { Role } from '../shared/roles.ts'
import { CreateSnapshotBody, schematicSvg, type SnapshotSummary } from '../shared/snapshot.ts'
import type { ArchiveEntry } from '../shared/archive.ts'
import type { AnyRecord } from '../shared/format/extract-outcome.ts'
import { MAX_TLDR_BYTES, TldrError } from '../shared/tldr-file.ts'
import { serverName } from '../shared/server-names.ts'
import { archiveOf, fileNameOf, importTldr, tldrOf } from './exports.ts'
import { HttpError, readBody, readJson, sendJson } from './http-util.ts'
import type { Logger } from './log.ts'
import { OUTCOME_TYPES, outcomeOf, renderOutcome } from './outcome.ts'
import type { RoomRegistry } from './rooms.ts'
import { SnapshotError, snapshotDoc, type SnapshotService } from './snapshots.ts'
import type { BoardInfo, BoardStorage, SnapshotInfo } from './storage.ts'

/** The pseudo board id archive keys are signed for (not a valid board id, so never a board's). */
export const ARCHIVE_SCOPE = '*archive*'


export interface SnapshotApiContext {
  storage: BoardStorage
  rooms: RoomRegistry
  snapshots: SnapshotService
  log: Logger
  roleOf(req: IncomingMessage, url: URL, id: BoardId, needed?: Role): Role
  boardIdFrom(raw: string): BoardId
  linksFor(id: BoardId): BoardLinks
  isArchiveKey(key: string | null): boolean
}

const summaryOf = ({ contentHash: _hash, ...info }: SnapshotInfo): SnapshotSummary => info

const TYPES = {
  ...OUTCOME_TYPES,
  svg: 'image/svg+xml',
  tldr: 'application/json; charset=utf-8',
  zip: 'application/zip',
} as const

function send(res: ServerResponse, type: keyof typeof TYPES, body: string | Buffer, download?: string) {
  res.writeHead(200, {
    'content-type': TYPES[type],
    'cache-control': 'no-store',
    ...(download ? { 'content-disposition': `attachment; filename="${download}"` } : {}),
  })
  res.end(body)
}

function peopleIn(outcome: Outcome): number {
  const names = new Set<string>()
  const add = (name: string) => name.trim() && names.add(name.trim().toLowerCase())
  for (const era of outcome.timeline) for (const c of era.events) add(c.author)
  for (const row of outcome.proudSorry) for (const c of [...row.proud, ...row.sorry]) add(c.author)
  for (const c of [...outcome.futures, ...outcome.flywheel, ...outcome.commonGround.notShared]) add(c.author)
  for (const line of outcome.actionLines) for (const p of [...line.trekkers, ...line.betrokkenen]) add(p.name)
  return names.size
}

export function createSnapshotRoutes(ctx: SnapshotApiContext) {
  const { storage, rooms, snapshots, log } = ctx

  const facilitatorName = async (req: IncomingMessage) => {
    const parsed = CreateSnapshotBody.partial().safeParse(await readJson(req))
    return parsed.success ? (parsed.data.by ?? '') : ''
  }

  async function withDoc<T>(doc: Y.Doc | null, id: BoardId, fn: (doc: Y.Doc) => T): Promise<T> {
    if (!doc) throw new HttpError(404, `board ${id} does not exist`)
    try {
      return fn(doc)
    } finally {
      doc.destroy()
    }
  }

  async function boardInfo(id: BoardId): Promise<BoardInfo> {
    const info = await storage.getBoard(id)
    if (!info) throw new HttpError(404, `board ${id} does not exist`)
    return info
  }

  /** Outcome, .tldr or archive of a document (a snapshot's or the live board's). */
  function exportDoc(res: ServerResponse, doc: Y.Doc, title: string, what: string, lang: 'nl' | 'en', late: Uint8Array[] = []) {
    const base = fileNameOf(title, 'bord')
    if (what === 'export.tldr') return send(res, 'tldr', JSON.stringify(tldrOf(doc)), `${base}.tldr`)
    if (what === 'archive.zip') return send(res, 'zip', archiveOf(doc, title, lang, late), `${base}.zip`)
    if (what === 'map.svg') return send(res, 'svg', schematicSvg(recordsOf<AnyRecord>(doc).values()))
    const format = /^outcome\.([a-z]+)$/.exec(what)?.[1] as OutcomeFormat | undefined
    if (format && OUTCOME_FORMATS.includes(format)) return send(res, format, renderOutcome(outcomeOf(doc, title), format, lang))
    throw new HttpError(404, `no export ${what}; use export.tldr, archive.zip, map.svg or outcome.json/.md/.html`)
  }

  async function snapshotRoute(req: IncomingMessage, res: ServerResponse, url: URL, id: BoardId, sid: string | undefined, action: string | undefined) {
    const method = req.method ?? 'GET'
    const lang = url.searchParams.get('lang') === 'en' ? 'en' : 'nl'
    if (!sid) {
      if (method === 'GET') {
        ctx.roleOf(req, url, id)
        await boardInfo(id)
        return sendJson(res, 200, (await storage.listSnapshots(id)).map(summaryOf))
      }
      if (method !== 'POST') throw new HttpError(405, 'use GET to list snapshots or POST to take one')
      ctx.roleOf(req, url, id, 'facilitator')
      const parsed = CreateSnapshotBody.safeParse(await readJson(req))
      if (!parsed.success) throw new HttpError(400, describeZodError(parsed.error))
      const taken = await snapshots.take(id, { name: parsed.data.name, kind: 'manual', by: parsed.data.by ?? '' })
      return sendJson(res, 201, summaryOf(taken))
    }
    if (!action) {
      if (method !== 'GET') throw new HttpError(405, 'use GET here')
      ctx.roleOf(req, url, id)
      const snapshot = await snapshots.get(id, sid)
      const { state: _s, thumbnail: _t, outcome, ...info } = snapshot
      return sendJson(res, 200, { ...summaryOf(info), outcome: JSON.parse(outcome) as unknown })
    }
    if (action === 'revert' || action === 'fork') {
      if (method !== 'POST') throw new HttpError(405, `use POST to ${action}`)
      ctx.roleOf(req, url, id, 'facilitator')
      const by = await facilitatorName(req)
      if (action === 'revert') {
        const { before, diff } = await snapshots.revert(id, sid, by)
        return sendJson(res, 200, { before: summaryOf(before), diff })
      }
      const forked = await snapshots.fork(id, sid)
      const created: CreatedBoard = { ...forked, path: boardPath(forked.id), role: 'facilitator', links: ctx.linksFor(forked.id) }
      return sendJson(res, 201, created)
    }
    if (method !== 'GET') throw new HttpError(405, 'use GET here')
    ctx.roleOf(req, url, id)
    if (action === 'thumbnail.svg') return send(res, 'svg', (await snapshots.get(id, sid)).thumbnail)
    if (action === 'records') return withDoc(snapshotDoc(await snapshots.get(id, sid)), id, (doc) => sendJson(res, 200, tldrOf(doc)))
    if (action === 'compare') {
      const other = url.searchParams.get('with') ?? 'live'
      return sendJson(res, 200, await snapshots.compare(id, sid, other))
    }
    const snapshot = await snapshots.get(id, sid)
    const info = await boardInfo(id)
    return withDoc(snapshotDoc(snapshot), id, (doc) => exportDoc(res, doc, `${info.title} — ${snapshot.name}`, action, lang))
  }

  async function archive(res: ServerResponse, url: URL) {
    const query = (url.searchParams.get('q') ?? '').trim().toLowerCase()
    const entries: ArchiveEntry[] = []
    for (const info of await storage.listBoards()) {
      const doc = await rooms.readCopy(info.id)
      if (!doc) continue
      const outcome = outcomeOf(doc, info.title)
      const template = templateOf(doc)
      doc.destroy()
      const haystack = [info.title, outcome.session.title, outcome.session.centraleOpgave ?? '', outcome.session.region ?? '', template, ...outcome.actionLines.map((a) => a.title)].join(' ').toLowerCase()
      if (query && !haystack.includes(query)) continue
      const [last] = await storage.listSnapshots(info.id)
      const links = ctx.linksFor(info.id)
      entries.push({
        id: info.id, title: info.title || outcome.session.title, template, createdAt: info.createdAt, updatedAt: info.updatedAt, closedAt: info.closedAt,
        participants: peopleIn(outcome), actionLines: outcome.actionLines.length, lastSnapshot: last ? summaryOf(last) : null,
        viewerLink: links.viewer, reportPath: outcomePath(info.id, 'html', new URL(links.viewer, 'http://x').searchParams.get('token') ?? ''),
      })
    }
    return sendJson(res, 200, entries)
  }

  /** Handles the request when it is one of these routes; false otherwise. */
  return async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const method = req.method ?? 'GET'
    const path = url.pathname
    try {
      if (path === '/api/archive') {
        if (method !== 'GET') throw new HttpError(405, 'use GET here')
        const header = req.headers.authorization
        const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : url.searchParams.get('key')
        if (!ctx.isArchiveKey(key)) throw new HttpError(key ? 403 : 401, 'the archive needs the archive key (printed in the server log at start-up, or `npm run archive -- key`)')
        await archive(res, url)
        return true
      }
      if (path === '/api/boards/import') {
        if (method !== 'POST') throw new HttpError(405, 'use POST with the .tldr file as the body')
        const text = await readBody(req, MAX_TLDR_BYTES)
        const title = (url.searchParams.get('title') ?? '').trim().slice(0, 120) || serverName('imported')
        const info = await importTldr(storage, text, title)
        log.info('board imported', { board: info.id })
        const created: CreatedBoard = { ...info, path: boardPath(info.id), role: 'facilitator', links: ctx.linksFor(info.id) }
        sendJson(res, 201, created)
        return true
      }
      const snap = /^\/api\/boards\/([^/]+)\/snapshots(?:\/([^/]+)(?:\/([^/]+))?)?$/.exec(path)
      if (snap) {
        await snapshotRoute(req, res, url, ctx.boardIdFrom(snap[1]!), snap[2], snap[3])
        return true
      }
      const board = /^\/api\/boards\/([^/]+)\/(export\.tldr|archive\.zip|map\.svg|close)$/.exec(path)
      if (board) {
        const id = ctx.boardIdFrom(board[1]!)
        if (board[2] === 'close') {
          if (method !== 'POST') throw new HttpError(405, 'use POST to close the session')
          ctx.roleOf(req, url, id, 'facilitator')
          const final = await snapshots.close(id, await facilitatorName(req))
          sendJson(res, 200, { closedAt: (await boardInfo(id)).closedAt, snapshot: summaryOf(final) })
          return true
        }
        if (method !== 'GET') throw new HttpError(405, 'use GET here')
        ctx.roleOf(req, url, id)
        const info = await boardInfo(id)
        const late = await storage.loadLateUpdates(id)
        await withDoc(await rooms.readCopy(id), id, (doc) => exportDoc(res, doc, info.title, board[2]!, url.searchParams.get('lang') === 'en' ? 'en' : 'nl', late))
        return true
      }
      const del = /^\/api\/boards\/([^/]+)$/.exec(path)
      if (del && method === 'DELETE') {
        const id = ctx.boardIdFrom(del[1]!)
        ctx.roleOf(req, url, id, 'facilitator')
        await snapshots.delete(id)
        sendJson(res, 200, { deleted: id })
        return true
      }
      return false
    } catch (error) {
      if (error instanceof SnapshotError) throw new HttpError(error.status, error.message)
      if (error instanceof TldrError) throw new HttpError(400, error.message)
      throw error
    }
  }
}
