/** Serves the built client (dist/); unknown non-file paths get index.html (client routing). */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

export function createStaticHandler(root: string) {
  const index = join(root, 'index.html')
  return async (res: ServerResponse, urlPath: string): Promise<void> => {
    let path = normalize(join(root, decodeURIComponent(urlPath)))
    if (path !== root && !path.startsWith(root + sep)) {
      res.writeHead(400).end('bad path')
      return
    }
    if (!(await isFile(path))) {
      if (extname(urlPath) !== '' || !(await isFile(index))) {
        const missing = !(await isFile(index))
        res.writeHead(missing ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8' })
        res.end(missing ? 'The client is not built yet: run `npm run build` (npm start does it for you).' : 'Not found')
        return
      }
      path = index
    }
    const immutable = urlPath.startsWith('/assets/')
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
    createReadStream(path).pipe(res)
  }
}
