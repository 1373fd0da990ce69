/**
 * Several server processes sharing boards through Redis (REDIS_URL), built only from the Room's
 * extension hooks (server/room/room.ts), the way Hocuspocus's Redis extension is built from its hooks.
 *
 * Client: `ioredis` — maintained, already used for the shared rate limits, with pub/sub on
 * Buffers (`messageBuffer`), automatic re-subscription after a reconnect, and Lua for the lease.
 *
 * - Each process holding a board subscribes to the board's channel *before* loading it (a change
 *   published meanwhile is buffered, not missed), loads it from storage, then says hello with its
 *   state vector: every other holder answers with what the newcomer lacks (changes it has applied
 *   but not stored yet) and with its connections' presences. `PUBLISH` tells how many processes
 *   received the hello, so the newcomer waits for exactly that many answers (at most HELLO_WAIT_MS)
 *   before it greets anyone.
 * - Changes made here (by a connection or by the server) are published once per event-loop turn,
 *   merged; changes from elsewhere are applied with a RemoteOrigin and never published again, nor
 *   stored here (their own process stores them).
 * - Presence made here is published batched, every PRESENCE_MS, one message per board.
 * - Every process refreshes a heartbeat key; a process whose key has expired is gone: the others
 *   drop its connections' presences and keep what only it may have held (persistence's
 *   onSourceLost). A process that stops cleanly says goodbye at once.
 * - A deleted board is announced on the cluster channel: every process closes its room with 4410.
 * - A connection here that takes over a presence another process holds (the same browser back on
 *   a new socket, through the load balancer) tells that process at once, which closes its old
 *   connection; a dead process's presence is taken over the same way, without waiting for its
 *   heartbeat to expire.
 * - The lease per board and task (server/cluster/lease.ts) is `SET NX PX` with a fencing token.
 * - Every key expires by itself (issue 20, finding 10: the fencing counters had no TTL, one per
 *   board and task for ever): heartbeats, leases, voters' grace and fencing counters alike.
 */
import { randomBytes } from 'node:crypto'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { Redis } from 'ioredis'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import type { BoardId } from '../../shared/board-id.ts'
import type { Lease, Leases } from './lease.ts'
import type { Logger } from '../log.ts'
import { isLocalChange, type Room, type RoomExtension, type RoomExtensionFactory } from '../room/room.ts'
import type { RoomRegistry } from '../room/rooms.ts'
import type { LocalRecentVoters, RecentVoters } from '../session/recent-voters.ts'

/** Presence made here goes to the other processes this often, batched per board. */
export const PRESENCE_MS = 100
/** A process's heartbeat is refreshed this often and expires after HEARTBEAT_TTL_MS. */
const HEARTBEAT_MS = 1_000
const HEARTBEAT_TTL_MS = 3_000
/**
 * A fencing counter outlives every lease it numbered by a day: forgotten then, it starts again at
 * 1, and a holder of an old number lost its lease (at most its ttl after it got it) long before —
 * its compare-and-delete release matches no lease of the new count unless it stalled for a day.
 */
const FENCE_AFTER_LEASE_MS = 24 * 60 * 60_000
/** Longest a newcomer waits for the other holders' answers before greeting its connections. */
const HELLO_WAIT_MS = 2_000

const Kind = { update: 1, presence: 2, hello: 3, answer: 4, deleted: 5, goodbye: 6, takeover: 7 } as const
type Kind = (typeof Kind)[keyof typeof Kind]

const ID_BYTES = 16
const NOBODY = '0'.repeat(ID_BYTES)

interface Message {
  kind: Kind
  source: string
  target: string
  payload: Uint8Array
}

function encodeMessage(kind: Kind, source: string, target: string, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(1 + 2 * ID_BYTES)
  head[0] = kind
  head.write(source, 1, 'latin1')
  head.write(target, 1 + ID_BYTES, 'latin1')
  return Buffer.concat([head, payload])
}

function decodeMessage(buffer: Buffer): Message | null {
  if (buffer.length < 1 + 2 * ID_BYTES) return null
  return {
    kind: buffer[0] as Kind,
    source: buffer.toString('latin1', 1, 1 + ID_BYTES),
    target: buffer.toString('latin1', 1 + ID_BYTES, 1 + 2 * ID_BYTES),
    payload: new Uint8Array(buffer.buffer, buffer.byteOffset + 1 + 2 * ID_BYTES, buffer.length - 1 - 2 * ID_BYTES),
  }
}

function twoParts(a: Uint8Array, b: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint8Array(e, a)
  encoding.writeVarUint8Array(e, b)
  return encoding.toUint8Array(e)
}

/** Per board: the room here, and what arrives while it loads. */
interface Holding {
  room: Room
  /** Messages that arrived before the room was loaded; null once it is. */
  buffer: Message[] | null
  /** Answers to our hello so far, and how many are expected (null: not waiting). */
  answers: number
  expected: number | null
  answered: () => void
}

export interface ClusterOptions {
  url: string
  /** Key and channel prefix (several deployments may share one Redis). */
  prefix: string
  log: Logger
}

export class RedisCluster {
  /** This process, as the others know it. */
  readonly id = randomBytes(ID_BYTES / 2).toString('hex')
  readonly leases: Leases
  private readonly pub: Redis
  private readonly sub: Redis
  private readonly prefix: string
  private readonly log: Logger
  private readonly holdings = new Map<BoardId, Holding>()
  /** Other processes seen, for the heartbeat check. */
  private readonly known = new Set<string>()
  private rooms: RoomRegistry | undefined
  private readonly timers: ReturnType<typeof setInterval>[] = []
  private stopped = false

  private constructor(options: ClusterOptions, pub: Redis, sub: Redis) {
    this.prefix = options.prefix
    this.log = options.log
    this.pub = pub
    this.sub = sub
    this.leases = this.redisLeases()
  }

  /** Connects (both connections), or rejects with a message that says what failed. */
  static async connect(options: ClusterOptions): Promise<RedisCluster> {
    const make = () => {
      const redis = new Redis(options.url, { lazyConnect: true, connectTimeout: 5_000, maxRetriesPerRequest: 3 })
      redis.on('error', (error) => options.log.warn('redis connection error', { error: error.message }))
      return redis
    }
    const pub = make()
    const sub = make()
    try {
      await Promise.all([pub.connect(), sub.connect()])
    } catch (error) {
      pub.disconnect()
      sub.disconnect()
      throw new Error(`Redis is not reachable at ${options.url}: ${(error as Error).message}`)
    }
    const cluster = new RedisCluster(options, pub, sub)
    await cluster.start()
    return cluster
  }

  private channel(id: BoardId): string {
    return `${this.prefix}board:${id}`
  }

  private get clusterChannel(): string {
    return `${this.prefix}cluster`
  }

  private async start() {
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message))
    // After a reconnect (ioredis subscribes again by itself) changes may have been missed: ask again.
    this.sub.on('ready', () => {
      for (const [id, holding] of this.holdings) if (!holding.buffer) void this.hello(id).catch(() => {})
    })
    await this.sub.subscribe(this.clusterChannel)
    await this.beat()
    this.timers.push(setInterval(() => void this.beat().catch(() => {}), HEARTBEAT_MS))
    this.timers.push(setInterval(() => void this.checkOthers().catch(() => {}), HEARTBEAT_MS))
    for (const timer of this.timers) timer.unref?.()
    this.log.info('cluster: joined through Redis', { process: this.id })
  }

  private beat() {
    return this.pub.set(`${this.prefix}process:${this.id}`, '1', 'PX', HEARTBEAT_TTL_MS)
  }

  /** Processes whose heartbeat expired are gone: their presences go, what only they held is kept. */
  private async checkOthers() {
    if (this.known.size === 0) return
    const others = [...this.known]
    const alive = await Promise.all(others.map((id) => this.pub.exists(`${this.prefix}process:${id}`)))
    others.forEach((id, i) => {
      if (alive[i]) return
      this.log.warn('cluster: a server is gone (no heartbeat); its presences are removed and its changes kept', { process: id })
      this.lose(id, true)
    })
  }

  private lose(source: string, died: boolean) {
    this.known.delete(source)
    for (const holding of this.holdings.values()) void holding.room.forgetSource(source, died)
  }

  /** Joins the registry: rooms get the fan-out extension, deletions are announced. */
  attach(rooms: RoomRegistry): void {
    this.rooms = rooms
    // First: it subscribes before persistence loads the board.
    rooms.use(this.extension, 'first')
    rooms.announceDeleted = async (id) => {
      await this.pub.publish(this.clusterChannel, encodeMessage(Kind.deleted, this.id, NOBODY, new TextEncoder().encode(id)))
    }
  }

  private receive(channel: string, raw: Buffer) {
    const message = decodeMessage(raw)
    if (!message || message.source === this.id) return
    if (message.target !== NOBODY && message.target !== this.id) return
    this.known.add(message.source)
    if (channel === this.clusterChannel) {
      if (message.kind === Kind.deleted) this.rooms?.discardHere(new TextDecoder().decode(message.payload) as BoardId)
      if (message.kind === Kind.goodbye) this.lose(message.source, false)
      return
    }
    const id = channel.slice(`${this.prefix}board:`.length) as BoardId
    const holding = this.holdings.get(id)
    if (!holding) return
    if (holding.buffer) holding.buffer.push(message)
    else this.handle(id, holding, message)
  }

  private handle(id: BoardId, holding: Holding, message: Message) {
    const { room } = holding
    try {
      switch (message.kind) {
        case Kind.update:
          room.applyRemote(message.payload, message.source)
          return
        case Kind.presence:
          room.applyRemotePresence(message.payload, message.source)
          return
        case Kind.takeover:
          room.releaseToRemote(decoding.readVarUint(decoding.createDecoder(message.payload)), message.source)
          return
        case Kind.hello: {
          // A newcomer: what it lacks of what is here, and this process's presences.
          const missing = Y.encodeStateAsUpdate(room.doc, message.payload)
          const ids = room.localPresenceIds()
          const presence = ids.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids) : new Uint8Array()
          void this.pub.publish(this.channel(id), encodeMessage(Kind.answer, this.id, message.source, twoParts(missing, presence))).catch(() => {})
          return
        }
        case Kind.answer: {
          const decoder = decoding.createDecoder(message.payload)
          const update = decoding.readVarUint8Array(decoder)
          const presence = decoding.readVarUint8Array(decoder)
          room.applyRemote(update, message.source)
          if (presence.length > 0) room.applyRemotePresence(presence, message.source)
          holding.answers++
          if (holding.expected !== null && holding.answers >= holding.expected) holding.answered()
          return
        }
        default:
          return
      }
    } catch (error) {
      this.log.error('cluster: a message could not be handled', { board: id, kind: message.kind, error })
    }
  }

  /** Asks the other holders of the board for what this process lacks; resolves when all answered (or after HELLO_WAIT_MS). */
  private async hello(id: BoardId): Promise<void> {
    const holding = this.holdings.get(id)
    if (!holding) return
    const answered = new Promise<void>((resolve) => (holding.answered = resolve))
    holding.answers = 0
    holding.expected = null
    const receivers = await this.pub.publish(this.channel(id), encodeMessage(Kind.hello, this.id, NOBODY, Y.encodeStateVector(holding.room.doc)))
    // Our own subscription received it too; an answer may already be in (it came on the other connection).
    const expected = Math.max(0, receivers - 1)
    if (holding.answers >= expected) return
    holding.expected = expected
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([answered, new Promise<void>((resolve) => (timer = setTimeout(resolve, HELLO_WAIT_MS)))])
    clearTimeout(timer)
    if (holding.answers < expected)
      this.log.warn('cluster: not every server answered in time; their changes arrive as they are made', { board: id, missing: expected - holding.answers })
    holding.expected = null
  }

  /** The room extension: subscribe, catch up, publish what is made here. */
  private readonly extension: RoomExtensionFactory = (room: Room): RoomExtension => {
    const id = room.id
    let updates: Uint8Array[] = []
    let updatesQueued = false
    const presence = new Set<number>()
    let presenceTimer: ReturnType<typeof setTimeout> | undefined
    let gone = false

    const publish = (kind: Kind, payload: Uint8Array) => {
      if (this.stopped) return
      this.pub
        .publish(this.channel(id), encodeMessage(kind, this.id, NOBODY, payload))
        .catch((error: unknown) => this.log.error('cluster: publishing failed', { board: id, error }))
    }
    const sendUpdates = () => {
      updatesQueued = false
      if (updates.length === 0) return
      const merged = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates)
      updates = []
      publish(Kind.update, merged)
    }
    const sendPresence = () => {
      presenceTimer = undefined
      if (gone || presence.size === 0) return
      const ids = [...presence]
      presence.clear()
      publish(Kind.presence, awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids))
    }
    const leave = async () => {
      gone = true
      clearTimeout(presenceTimer)
      sendUpdates()
      if (this.holdings.get(id)?.room === room) {
        this.holdings.delete(id)
        await this.sub.unsubscribe(this.channel(id)).catch(() => {})
      }
    }

    return {
      beforeLoad: async () => {
        this.holdings.set(id, { room, buffer: [], answers: 0, expected: null, answered: () => {} })
        await this.sub.subscribe(this.channel(id))
      },
      afterLoad: async () => {
        const holding = this.holdings.get(id)
        if (!holding) return
        // What arrived while loading, in order; from now on messages are handled as they come.
        const buffered = holding.buffer ?? []
        holding.buffer = null
        for (const message of buffered) this.handle(id, holding, message)
        await this.hello(id)
      },
      onChange: (update, origin) => {
        if (!isLocalChange(origin) || gone) return
        updates.push(update)
        if (!updatesQueued) {
          updatesQueued = true
          setImmediate(sendUpdates)
        }
      },
      onPresence: (ids, origin) => {
        if (!isLocalChange(origin) || gone) return
        for (const clientId of ids) presence.add(clientId)
        presenceTimer ??= setTimeout(sendPresence, PRESENCE_MS)
      },
      onTakeOver: (clientId, source) => {
        if (this.stopped || gone) return
        const payload = encoding.createEncoder()
        encoding.writeVarUint(payload, clientId)
        this.pub
          .publish(this.channel(id), encodeMessage(Kind.takeover, this.id, source, encoding.toUint8Array(payload)))
          .catch((error: unknown) => this.log.error('cluster: publishing failed', { board: id, error }))
      },
      onUnload: async () => {
        // The presences of this room's connections go everywhere before it does.
        sendPresence()
      },
      afterUnload: leave,
      onDiscard: () => void leave(),
    }
  }

  /**
   * Voters who left a board, seen by every process: the process whose connection closed writes
   * when (`SET … PX` the grace), any process that takes the dot reads it.
   */
  recentVoters(local: LocalRecentVoters): RecentVoters {
    const key = (boardId: BoardId, keyHash: string) => `${this.prefix}voter-left:${boardId}:${keyHash}`
    return {
      left: (boardId, keyHash) => {
        local.left(boardId, keyHash)
        if (this.stopped) return
        this.pub
          .set(key(boardId, keyHash), String(local.now()), 'PX', local.graceMs)
          .catch((error: unknown) => this.log.error('cluster: remembering a voter failed', { board: boardId, error }))
      },
      wasHere: async (boardId, keyHash) => {
        if (await local.wasHere(boardId, keyHash)) return true
        const at = await this.pub.get(key(boardId, keyHash))
        return local.within(at === null ? undefined : Number(at))
      },
    }
  }

  private redisLeases(): Leases {
    // Compare-and-delete: only the holder whose token is still there releases.
    const release = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
    // The next fencing number, and the counter's expiry pushed on, in one atomic call.
    const nextToken = "local token = redis.call('incr', KEYS[1]); redis.call('pexpire', KEYS[1], ARGV[1]); return token"
    return {
      acquire: async (key, ttlMs): Promise<Lease | null> => {
        const token = Number(await this.pub.eval(nextToken, 1, `${this.prefix}fence:${key}`, String(ttlMs + FENCE_AFTER_LEASE_MS)))
        const ok = await this.pub.set(`${this.prefix}lease:${key}`, String(token), 'PX', ttlMs, 'NX')
        if (ok !== 'OK') return null
        return {
          token,
          release: async () => {
            await this.pub.eval(release, 1, `${this.prefix}lease:${key}`, String(token)).catch(() => {})
          },
        }
      },
    }
  }

  /** Resolves when Redis answers (readiness: a process cut off from the others should get no traffic). */
  async ping(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      await Promise.race([this.pub.ping(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer in 2 s')), 2_000)))])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Says goodbye (the others drop this process's presences at once) and disconnects. */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    for (const timer of this.timers) clearInterval(timer)
    try {
      await this.pub.publish(this.clusterChannel, encodeMessage(Kind.goodbye, this.id, NOBODY, new Uint8Array()))
      await this.pub.del(`${this.prefix}process:${this.id}`)
    } catch {
      // Redis is gone: the heartbeat expires by itself.
    }
    this.sub.disconnect()
    this.pub.disconnect()
  }
}
