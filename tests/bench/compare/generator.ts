/**
 * One load generator process of `npm run bench:compare` (started by compare.bench.ts with an IPC
 * channel). It holds a share of the clients, each a raw y-websocket protocol client on `ws` — no
 * Y.Doc is applied on receipt, so the generators are not the bottleneck: a received sync frame is
 * scanned for the edit stamps it carries (`~T<send time>~<edit>~`, inside the card's text), an
 * awareness frame is only counted.
 *
 * Messages: start → ready; go → (after the run) sent; expect → report.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { card } from '../../helpers/records.ts'

export interface StartMessage {
  type: 'start'
  /** ws://host:port/<path prefix>, the board name and optional token are appended. */
  url: string
  board: string
  clients: { index: number; token?: string }[]
  /** Whether the server answers the sync protocol (the plain relay does not). */
  syncs: boolean
  cursorHz: number
  /** Each client adds a card every ~this many seconds (uniform 0.5–1.5×). */
  editSeconds: number
  seconds: number
}
export type ToGenerator = StartMessage | { type: 'go' } | { type: 'expect'; total: number; drainMs: number } | { type: 'exit' }
export type FromGenerator =
  | { type: 'ready'; connected: number; failed: number }
  | { type: 'sent'; edits: number; framesIn: number; bytesIn: number; cpuSeconds: number }
  | { type: 'report'; latencies: string; deliveries: number; framesIn: number; bytesIn: number; closed: number }

const STAMP = Buffer.from('~T')
const now = () => performance.timeOrigin + performance.now()
const send = (message: FromGenerator) => process.send!(message)

interface Client {
  index: number
  ws: WebSocket
  doc: Y.Doc
  clock: number
  seen: Set<string>
  edits: number
  ready: boolean
}

let clients: Client[] = []
let latencies: number[] = []
let framesIn = 0
let bytesIn = 0
let closed = 0
const timers: ReturnType<typeof setTimeout>[] = []

function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** The stamps in a received frame: every edit it carries that this client has not seen yet. */
function scan(client: Client, data: Buffer) {
  let at = data.indexOf(STAMP)
  const received = now()
  while (at !== -1) {
    const end = data.indexOf(0x7e /* ~ */, at + 2)
    const close = end === -1 ? -1 : data.indexOf(0x7e, end + 1)
    const time = end === -1 ? '' : data.toString('latin1', at + 2, end)
    const sent = /^\d+\.\d+$/.test(time) ? Number(time) : NaN
    const key = close === -1 ? '' : data.toString('latin1', end + 1, close)
    // Two bytes of binary data can look like the start of a stamp: only a whole one counts, and
    // after a false start the search goes on right behind it (a real stamp may follow at once).
    if (!Number.isFinite(sent) || !/^c\d+e\d+$/.test(key)) {
      at = data.indexOf(STAMP, at + 1)
      continue
    }
    if (!client.seen.has(key)) {
      client.seen.add(key)
      if (!key.startsWith(`c${client.index}e`)) latencies.push(received - sent)
    }
    at = data.indexOf(STAMP, close + 1)
  }
}

function onMessage(client: Client, data: Buffer, syncs: boolean, resolveReady: () => void) {
  framesIn++
  bytesIn += data.length
  if (data[0] === 0) {
    const decoder = decoding.createDecoder(data)
    decoding.readVarUint(decoder)
    const sub = decoding.readVarUint(decoder)
    if (sub === 0) {
      // The plain relay passes other clients' sync requests on: not answered, or every join floods everyone.
      if (!syncs) return
      const stateVector = decoding.readVarUint8Array(decoder)
      client.ws.send(
        frame(0, (e) => {
          encoding.writeVarUint(e, 1)
          encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(client.doc, stateVector))
        }),
      )
      return
    }
    if (sub === 1 && syncs && !client.ready) {
      client.ready = true
      resolveReady()
    }
    scan(client, data)
  }
}

function connect(start: StartMessage, spec: { index: number; token?: string }): Promise<Client | null> {
  return new Promise((resolve) => {
    const url = `${start.url}/${start.board}${spec.token ? `?token=${encodeURIComponent(spec.token)}` : ''}`
    const ws = new WebSocket(url, { perMessageDeflate: false })
    const doc = new Y.Doc()
    const client: Client = { index: spec.index, ws, doc, clock: 0, seen: new Set(), edits: 0, ready: false }
    const timer = setTimeout(() => resolve(null), 60_000)
    const ready = () => {
      clearTimeout(timer)
      resolve(client)
    }
    ws.binaryType = 'nodebuffer'
    ws.on('open', () => {
      if (start.syncs)
        ws.send(
          frame(0, (e) => {
            encoding.writeVarUint(e, 0)
            encoding.writeVarUint8Array(e, Y.encodeStateVector(doc))
          }),
        )
      cursor(client)
      if (!start.syncs) {
        client.ready = true
        ready()
      }
    })
    ws.on('message', (data: Buffer) => onMessage(client, data, start.syncs, ready))
    ws.on('error', () => {})
    ws.on('close', () => {
      closed++
      if (!client.ready) {
        clearTimeout(timer)
        resolve(null)
      }
    })
  })
}

/** Moves the client's cursor: one awareness update of its own state. */
function cursor(client: Client) {
  if (client.ws.readyState !== WebSocket.OPEN) return
  const state = JSON.stringify({
    presence: { cursor: { x: Math.round(Math.random() * 5000), y: Math.round(Math.random() * 3000) }, name: `Deelnemer ${client.index}` },
  })
  client.ws.send(
    frame(1, (e) => {
      const inner = encoding.createEncoder()
      encoding.writeVarUint(inner, 1)
      encoding.writeVarUint(inner, client.doc.clientID)
      encoding.writeVarUint(inner, ++client.clock)
      encoding.writeVarString(inner, state)
      encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
    }),
  )
}

/** Adds a card whose text carries the send time and the edit's name. */
function edit(client: Client) {
  if (client.ws.readyState !== WebSocket.OPEN) return
  const key = `c${client.index}e${client.edits++}`
  const id = `shape:${key}`
  let update: Uint8Array | undefined
  const capture = (u: Uint8Array) => (update = u)
  client.doc.once('update', capture)
  client.doc.getMap('records').set(id, card(id, `Bijdrage ~T${now().toFixed(2)}~${key}~`, { x: Math.random() * 5000, y: Math.random() * 3000 }))
  client.seen.add(key)
  client.ws.send(
    frame(0, (e) => {
      encoding.writeVarUint(e, 2)
      encoding.writeVarUint8Array(e, update!)
    }),
  )
}

let start: StartMessage
let cpuAtGo = process.cpuUsage()
process.on('message', async (message: ToGenerator) => {
  if (message.type === 'start') {
    start = message
    const made: Client[] = []
    // Connect in waves: a server's accept queue is not the thing measured.
    for (let i = 0; i < message.clients.length; i += 25) {
      const wave = await Promise.all(message.clients.slice(i, i + 25).map((spec) => connect(message, spec)))
      for (const c of wave) if (c) made.push(c)
    }
    clients = made
    send({ type: 'ready', connected: made.length, failed: message.clients.length - made.length })
  } else if (message.type === 'go') {
    latencies = []
    cpuAtGo = process.cpuUsage()
    framesIn = 0
    bytesIn = 0
    for (const client of clients) {
      timers.push(
        setTimeout(
          () => {
            cursor(client)
            timers.push(setInterval(() => cursor(client), 1000 / start.cursorHz))
          },
          Math.random() * (1000 / start.cursorHz),
        ),
      )
      timers.push(
        setTimeout(
          function again() {
            edit(client)
            timers.push(setTimeout(again, start.editSeconds * 1000 * (0.5 + Math.random())))
          },
          Math.random() * start.editSeconds * 1000,
        ),
      )
    }
    setTimeout(() => {
      for (const timer of timers) clearTimeout(timer)
      const cpu = process.cpuUsage(cpuAtGo)
      send({ type: 'sent', edits: clients.reduce((n, c) => n + c.edits, 0), framesIn, bytesIn, cpuSeconds: (cpu.user + cpu.system) / 1e6 })
    }, start.seconds * 1000)
  } else if (message.type === 'expect') {
    // Each client should see every edit (its own counted as seen): wait for that, or the drain time.
    const deadline = Date.now() + message.drainMs
    while (Date.now() < deadline && !clients.every((c) => c.seen.size >= message.total)) await new Promise((resolve) => setTimeout(resolve, 50))
    const deliveries = latencies.length
    const packed = Buffer.from(new Float32Array(latencies).buffer).toString('base64')
    // Clients stay connected (quiet) while the board is checked: a server may drop a board
    // nobody holds and load it again, which is not what is measured.
    send({ type: 'report', latencies: packed, deliveries, framesIn, bytesIn, closed })
  } else if (message.type === 'exit') {
    for (const client of clients) client.ws.terminate()
    process.exit(0)
  }
})
