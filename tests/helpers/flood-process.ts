/**
 * A flooder as its own process (tests/server/hostile/budgets.test.ts): `connections` WebSockets
 * from one address (X-Forwarded-For) to one board, each sending `perSecond` small valid updates
 * (moves of its own card) for `seconds`, plus `viewers` sockets from another address that get
 * what the board sends. Apart from the test process so that its sending and receiving do not slow
 * the test's measuring. Settings come as JSON in FLOOD; it prints `ready`, then `sent <n>` when
 * done, and `close <code>` for each of its sockets the server closes; it runs until killed.
 */
import WebSocket from 'ws'
import * as Y from 'yjs'
import { syncUpdateFrame } from './frames.ts'
import { card } from './records.ts'

interface Flood {
  url: string
  floodToken: string
  viewerToken: string
  address: string
  viewerAddress: string
  connections: number
  perSecond: number
  seconds: number
  viewers: number
}

const flood = JSON.parse(process.env.FLOOD!) as Flood
const total = flood.perSecond * flood.seconds

const frames = Array.from({ length: flood.connections }, (_, c) => {
  const doc = new Y.Doc()
  const records = doc.getMap('records')
  const out: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => out.push(syncUpdateFrame(update)))
  for (let i = 0; i < total; i++) records.set(`shape:f${c}`, card(`shape:f${c}`, 'vloed', { x: i }))
  return out
})

const open = (token: string, address: string) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`${flood.url}?token=${encodeURIComponent(token)}`, { headers: { 'x-forwarded-for': address } })
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
    ws.on('close', (code) => console.log(`close ${code}`))
  })

const sockets = await Promise.all(frames.map(() => open(flood.floodToken, flood.address)))
await Promise.all(Array.from({ length: flood.viewers }, () => open(flood.viewerToken, flood.viewerAddress)))
console.log('ready')

let sent = 0
const started = Date.now()
while (Date.now() - started < flood.seconds * 1_000) {
  const due = Math.min(total, Math.floor(((Date.now() - started) * flood.perSecond) / 1_000))
  for (const [c, ws] of sockets.entries()) {
    const next = frames[c]!
    while (ws.readyState === ws.OPEN && total - next.length < due) ws.send(next.shift()!), sent++
  }
  // Pacing: the flood is sent at its rate, 10 ms at a time.
  await new Promise((resolve) => setTimeout(resolve, 10))
}
// The last few, so each connection's last move is the one at x = total - 1.
for (const [c, ws] of sockets.entries()) for (const frame of frames[c]!.splice(0)) if (ws.readyState === ws.OPEN) ws.send(frame), sent++
console.log(`sent ${sent}`)
