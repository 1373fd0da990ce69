/**
 * A TCP proxy on 127.0.0.1 in front of the test server, one per browser context, that can freeze:
 * while frozen no byte and no close passes in either direction and new connections wait, yet no
 * socket is closed — the half-open connection a laptop gets on a flaky Wi-Fi or behind a NAT that
 * dropped its mapping. Thawing delivers everything held back, in order. `cut` is the other kind
 * of outage: the network is gone and the operating system drops every connection at once.
 */
import { createServer, connect, type Server, type Socket } from 'node:net'

export interface FreezingProxy {
  port: number
  url: string
  /** `only: 'sync'` freezes the WebSocket connections only (HTTP keeps working). */
  freeze(only?: 'sync'): void
  /**
   * Ends a freeze. `resume`: everything held back is delivered (the packets were late). `drop`:
   * the NAT forgot the connection — the browser's side is reset at once (its next packet gets an
   * RST), the server's side stays open and silent until the server's keepalive gives up on it.
   */
  thaw(how?: 'resume' | 'drop'): void
  readonly frozen: boolean
  /** Resets every connection, and each new one, until `restore`. */
  cut(): void
  restore(): void
  /** WebSocket connections (`GET /sync/…`) opened through it so far. */
  readonly syncOpened: number
  close(): Promise<void>
}

interface Pipe {
  sync: boolean
  held: (() => void)[]
  client: Socket
  upstream: Socket
}

export async function startFreezingProxy(target: { host?: string; port: number }): Promise<FreezingProxy> {
  const pipes = new Set<Pipe>()
  let frozen: 'all' | 'sync' | null = null
  let cut = false
  let syncOpened = 0
  /** Server sides of dropped connections, kept open until the server closes them. */
  const zombies = new Set<Socket>()
  const isFrozen = (pipe: Pipe) => frozen === 'all' || (frozen === 'sync' && pipe.sync)

  const server: Server = createServer((client) => {
    if (cut) return void client.resetAndDestroy()
    const upstream = connect(target.port, target.host ?? '127.0.0.1')
    const pipe: Pipe = { sync: false, held: [], client, upstream }
    let sawFirst = false
    pipes.add(pipe)
    // Everything that crosses the proxy — data, an end, a reset — goes through `pass`, so a
    // frozen pipe holds it back in order instead of delivering or dropping it.
    const pass = (deliver: () => void) => (isFrozen(pipe) || pipe.held.length > 0 ? pipe.held.push(deliver) : deliver())
    client.on('data', (chunk: Buffer) => {
      if (!sawFirst) {
        sawFirst = true
        pipe.sync = chunk.subarray(0, 16).toString('latin1').startsWith('GET /sync/')
        if (pipe.sync) syncOpened++
      }
      pass(() => upstream.write(chunk))
    })
    upstream.on('data', (chunk: Buffer) => pass(() => client.write(chunk)))
    client.on('end', () => pass(() => upstream.end()))
    upstream.on('end', () => pass(() => client.end()))
    const drop = () => {
      pipes.delete(pipe)
      client.destroy()
      upstream.destroy()
    }
    client.on('error', () => pass(drop))
    upstream.on('error', () => pass(drop))
    client.on('close', () => pass(drop))
    upstream.on('close', () => pass(drop))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get syncOpened() {
      return syncOpened
    },
    get frozen() {
      return frozen !== null
    },
    freeze(only) {
      frozen = only === 'sync' ? 'sync' : 'all'
    },
    thaw(how = 'resume') {
      const wasFrozen = [...pipes].filter(isFrozen)
      frozen = null
      if (how === 'drop') {
        for (const pipe of wasFrozen) {
          pipes.delete(pipe)
          pipe.held.length = 0
          pipe.client.removeAllListeners().on('error', () => {})
          pipe.upstream.removeAllListeners().on('error', () => {})
          pipe.client.resetAndDestroy()
          zombies.add(pipe.upstream)
          pipe.upstream.on('close', () => zombies.delete(pipe.upstream))
          // Reads nothing more: the server's frames pile up unanswered, as on a dead route.
          pipe.upstream.pause()
        }
      }
      for (const pipe of [...pipes]) for (const deliver of pipe.held.splice(0)) deliver()
    },
    cut() {
      cut = true
      for (const pipe of [...pipes]) {
        pipe.held.length = 0
        pipe.client.resetAndDestroy()
        pipe.upstream.destroy()
      }
      pipes.clear()
    },
    restore() {
      cut = false
    },
    async close() {
      frozen = null
      for (const socket of zombies) socket.destroy()
      for (const pipe of pipes) {
        pipe.client.destroy()
        pipe.upstream.destroy()
      }
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
