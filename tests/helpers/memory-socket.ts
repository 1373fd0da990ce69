/**
 * A board connection (server/room/connection.ts) without a network, the way tldraw's sync-core
 * tests its room over a TestSocketPair: frames wait in a queue each way until the test delivers
 * them, so a test decides the order — some now, the rest later, a clean close behind what is in
 * flight, or a drop that loses it. `ProtocolClient` is the stock client's part in it: a Y.Doc and
 * an Awareness spoken to with y-protocols' own sync and awareness encoders, as y-websocket's
 * WebsocketProvider does (its handshake, its echoes, its clean-up on close).
 */
import { EventEmitter } from 'node:events'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { BoardSocket } from '../../server/room/connection.ts'
import { MessageType } from '../../shared/protocol.ts'

type Frame = { kind: 'data'; bytes: Uint8Array } | { kind: 'close'; code: number; reason: string }

const OPEN = 1
const CLOSING = 2
const CLOSED = 3
/** What ws reports when a connection ended without a close frame. */
export const ABNORMAL_CLOSURE = 1006

/** The server's end: what acceptConnection is given instead of a ws WebSocket. */
class ServerEnd extends EventEmitter implements BoardSocket {
  readyState = OPEN
  readonly OPEN = OPEN
  isPaused = false
  private readonly pair: MemorySocketPair
  constructor(pair: MemorySocketPair) {
    super()
    this.pair = pair
  }
  get bufferedAmount(): number {
    return this.pair.toClient.reduce((n, f) => n + (f.kind === 'data' ? f.bytes.byteLength : 0), 0)
  }
  send(frame: Uint8Array): void {
    if (this.readyState !== OPEN) return
    // Sent into a connection that died unnoticed: gone.
    if (this.pair.dead) return
    this.pair.toClient.push({ kind: 'data', bytes: frame.slice() })
  }
  close(code: number, reason: string): void {
    if (this.readyState !== OPEN) return
    this.readyState = CLOSING
    // Into a connection that died unnoticed: ws gives up on the close handshake, later.
    if (this.pair.dead) queueMicrotask(() => this.ended(ABNORMAL_CLOSURE))
    else this.pair.toClient.push({ kind: 'close', code, reason })
  }
  pause(): void {
    this.isPaused = true
  }
  resume(): void {
    this.isPaused = false
  }
  ended(code: number): void {
    if (this.readyState === CLOSED) return
    this.readyState = CLOSED
    this.emit('close', code)
  }
}

/** The client's end: what a ProtocolClient sends through and hears from. */
export interface ClientEnd {
  send(frame: Uint8Array): void
  /** A clean close: the close frame goes behind what is in flight. */
  close(): void
  onmessage?: (frame: Uint8Array) => void
  onclose?: (code: number) => void
}

export class MemorySocketPair {
  readonly toServer: Frame[] = []
  readonly toClient: Frame[] = []
  /** Dropped without the server noticing (a half-open TCP connection): what it sends is lost. */
  dead = false
  readonly server: ServerEnd = new ServerEnd(this)
  private clientOpen = true
  readonly client: ClientEnd = {
    send: (frame) => {
      if (this.clientOpen && !this.closingFromClient) this.toServer.push({ kind: 'data', bytes: frame.slice() })
    },
    close: () => {
      if (!this.clientOpen || this.closingFromClient) return
      this.closingFromClient = true
      this.toServer.push({ kind: 'close', code: 1000, reason: '' })
    },
  }
  private closingFromClient = false

  get isOpen(): boolean {
    return this.clientOpen
  }

  /** Frames still in flight, both ways (what the server holds back while paused counts). */
  get inFlight(): number {
    return this.toServer.length + this.toClient.length
  }

  /** Hands up to `n` frames to the server, in order; none while the server does not read. */
  deliverToServer(n = Infinity): number {
    let delivered = 0
    while (delivered < n && this.toServer.length > 0 && !this.server.isPaused && this.server.readyState !== CLOSED) {
      const frame = this.toServer.shift()!
      delivered++
      if (frame.kind === 'data') {
        this.server.emit('message', Buffer.from(frame.bytes), true)
      } else {
        this.toServer.length = 0
        this.toClient.length = 0
        this.endClient(frame.code)
        this.server.ended(frame.code)
      }
    }
    return delivered
  }

  /** Hands up to `n` frames to the client, in order. */
  deliverToClient(n = Infinity): number {
    let delivered = 0
    while (delivered < n && this.toClient.length > 0 && this.clientOpen) {
      const frame = this.toClient.shift()!
      delivered++
      if (frame.kind === 'data') {
        this.client.onmessage?.(frame.bytes)
      } else {
        this.toServer.length = 0
        this.toClient.length = 0
        this.endClient(frame.code)
        this.server.ended(frame.code)
      }
    }
    return delivered
  }

  /**
   * The connection breaks: what is in flight either way is lost. `serverNotices`: the server sees
   * it end at once (a reset); otherwise it keeps the socket, half-open, until something closes it.
   */
  drop({ serverNotices }: { serverNotices: boolean }): void {
    this.toServer.length = 0
    this.toClient.length = 0
    this.endClient(ABNORMAL_CLOSURE)
    if (serverNotices) this.server.ended(ABNORMAL_CLOSURE)
    else this.dead = true
  }

  private endClient(code: number) {
    if (!this.clientOpen) return
    this.clientOpen = false
    this.client.onclose?.(code)
  }
}

/** A stock y-protocols client of one board: one Y.Doc, its awareness, one connection at a time. */
export class ProtocolClient {
  readonly doc = new Y.Doc()
  readonly awareness: awarenessProtocol.Awareness
  synced = false
  /** Close codes of its connections, in order. */
  readonly closes: number[] = []
  private socket: ClientEnd | undefined

  constructor(clientID: number, state: Record<string, unknown>) {
    this.doc.clientID = clientID
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    this.awareness.setLocalState(state)
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this) return
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, MessageType.sync)
      syncProtocol.writeUpdate(e, update)
      this.send(encoding.toUint8Array(e))
    })
    // Like y-websocket, every change is sent on, others' (applied from the server) too.
    this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      this.send(this.awarenessFrame([...added, ...updated, ...removed]))
    })
  }

  get connected(): boolean {
    return this.socket !== undefined
  }

  /** Opens on `socket` as y-websocket does: its sync step 1, then its own presence. */
  connect(socket: ClientEnd): void {
    this.socket = socket
    socket.onmessage = (frame) => this.receive(frame)
    socket.onclose = (code) => {
      if (this.socket !== socket) return
      this.socket = undefined
      this.synced = false
      this.closes.push(code)
      const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID)
      awarenessProtocol.removeAwarenessStates(this.awareness, others, this)
    }
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, MessageType.sync)
    syncProtocol.writeSyncStep1(e, this.doc)
    socket.send(encoding.toUint8Array(e))
    if (this.awareness.getLocalState() !== null) socket.send(this.awarenessFrame([this.doc.clientID]))
  }

  private send(frame: Uint8Array) {
    this.socket?.send(frame)
  }

  private awarenessFrame(ids: number[]): Uint8Array {
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, MessageType.awareness)
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids))
    return encoding.toUint8Array(e)
  }

  private receive(frame: Uint8Array) {
    const decoder = decoding.createDecoder(frame)
    const type = decoding.readVarUint(decoder)
    if (type === MessageType.sync) {
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, MessageType.sync)
      const syncType = syncProtocol.readSyncMessage(decoder, e, this.doc, this)
      if (syncType === syncProtocol.messageYjsSyncStep2) this.synced = true
      if (encoding.length(e) > 1) this.send(encoding.toUint8Array(e))
    } else if (type === MessageType.awareness) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this)
    } else if (type === MessageType.queryAwareness) {
      this.send(this.awarenessFrame([...this.awareness.getStates().keys()]))
    }
  }

  destroy(): void {
    this.awareness.destroy()
    this.doc.destroy()
  }
}
