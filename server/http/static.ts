/**
 * The built client, by @fastify/static: brotli or gzip files made at build time (Vite's
 * compression plugin) chosen by Accept-Encoding, ETag/Last-Modified with 304, hashed assets
 * cached for a year, index.html always revalidated. Client routes (`/b/<id>`, `/archive`) get
 * index.html from the not-found handler.
 */
import { existsSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

const NOT_BUILT = 'The client is not built yet: run `npm run build` (npm start does it for you).'

/** Registers the files; returns what answers a client route (index.html, or 503 when not built). */
export async function registerStatic(app: FastifyInstance, folder: string): Promise<(request: FastifyRequest, reply: FastifyReply) => Promise<unknown>> {
  const root = resolve(folder)
  const built = () => existsSync(join(root, 'index.html'))
  if (existsSync(root)) {
    await app.register(fastifyStatic, {
      root,
      preCompressed: true,
      cacheControl: false,
      etag: true,
      lastModified: true,
      serveDotFiles: false,
      setHeaders(reply, path) {
        const immutable = path.startsWith(join(root, 'assets')) && basename(path) !== 'index.html'
        reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      },
    })
  }
  return async (request, reply) => {
    // A path with an extension is a file that is not there, not a client route.
    if (/\.[a-z0-9]+$/i.test(request.url.split('?')[0]!)) return reply.code(404).type('text/plain; charset=utf-8').send('Not found')
    if (!built()) return reply.code(503).type('text/plain; charset=utf-8').send(NOT_BUILT)
    return reply.sendFile('index.html')
  }
}
