/** The JSON API under /api. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { newBoardId, parseBoardId, BOARD_ID_RULE } from '../shared/board-id.ts'
import { boardPath, CreateBoardBody, describeZodError, type BoardSummary } from '../shared/api.ts'
import type { Logger } from './log.ts'
import { BoardExistsError, type BoardInfo, type BoardStorage } from './storage.ts'

const MAX_BODY_BYTES = 64 * 1024

class HttpError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(text)
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`)
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8').trim()
  if (text === '') return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError(400, 'request body is not valid JSON')
  }
}

const summary = (info: BoardInfo): BoardSummary => ({ ...info, path: boardPath(info.id) })

export function createApiHandler(storage: BoardStorage, log: Logger) {
  async function route(req: IncomingMessage, res: ServerResponse, path: string) {
    const method = req.method ?? 'GET'
    if (path === '/api/boards') {
      if (method !== 'POST') throw new HttpError(405, 'use POST to create a board')
      const parsed = CreateBoardBody.safeParse(await readJson(req))
      if (!parsed.success) throw new HttpError(400, describeZodError(parsed.error))
      for (let attempt = 0; ; attempt++) {
        try {
          const info = await storage.createBoard(newBoardId(), parsed.data.title ?? '')
          log.info('board created', { board: info.id })
          return sendJson(res, 201, summary(info))
        } catch (error) {
          if (!(error instanceof BoardExistsError) || attempt >= 3) throw error
        }
      }
    }
    const match = /^\/api\/boards\/([^/]+)$/.exec(path)
    if (match) {
      if (method !== 'GET') throw new HttpError(405, 'only GET is supported here')
      const id = parseBoardId(decodeURIComponent(match[1]!))
      if (!id) throw new HttpError(400, `invalid board id: ${BOARD_ID_RULE}`)
      const info = await storage.getBoard(id)
      if (!info) throw new HttpError(404, `board ${id} does not exist`)
      return sendJson(res, 200, summary(info))
    }
    throw new HttpError(404, `no API route ${method} ${path}`)
  }

  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    try {
      await route(req, res, path)
    } catch (error) {
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message })
      log.error('API request failed', { path, error: (error as Error)?.stack ?? error })
      sendJson(res, 500, { error: 'internal server error' })
    }
  }
}
