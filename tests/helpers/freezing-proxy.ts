/**
 * A TCP proxy on 127.0.0.1 in front of a test server that can play venue Wi-Fi: `freeze()` stops
 * forwarding on every pipe open now, both ways, without closing anything — the server and the
 * client each keep a half-open connection that neither notices. Pipes opened later forward as
 * usual (the phone back on the network). Closed after the test.
 */
import { createServer, connect, type Socket } from 'node:net'
import { onCleanup } from './server.ts'

export interface FreezingProxy {
  port: number
  url: string
  wsUrl: string
  /** Connections accepted so far (every socket a client opened through the proxy). */
  readonly opened: number
  /** Stops forwarding on every pipe open now; returns how many were frozen. */
  freeze(): number
  close(): Promise<void>
}

export async function startFreezingProxy(targetPort: number): Promise<FreezingProxy> {
  const pipes = new Set<{ client: Socket; upstream: Socket; frozen: boolean }>()
  const sockets = new Set<Socket>()
  let opened = 0
  const server = createServer((client) => {
    opened++
    const upstream = connect(targetPort, '127.0.0.1')
    const pipe = { client, upstream, frozen: false }
    pipes.add(pipe)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    }
    // Frozen bytes are dropped, not buffered: they were lost on the air.
    client.on('data', (chunk) => pipe.frozen || upstream.write(chunk))
    upstream.on('data', (chunk) => pipe.frozen || client.write(chunk))
    const end = () => {
      pipes.delete(pipe)
      if (pipe.frozen) return // a frozen pipe passes on no close either
      client.destroy()
      upstream.destroy()
    }
    client.on('close', end)
    upstream.on('close', end)
    client.on('error', () => {})
    upstream.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  const close = async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  onCleanup(close)
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/sync`,
    get opened() {
      return opened
    },
    freeze() {
      let count = 0
      for (const pipe of pipes) {
        if (pipe.frozen) continue
        pipe.frozen = true
        count++
      }
      return count
    },
    close,
  }
}
