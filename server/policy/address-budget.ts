/**
 * The budget of document updates one client address shares over all its WebSockets, beside each
 * connection's own (server/room/connection.ts). Issue 20, re-test of finding 2: one participant opening
 * many connections from one address, each just under its own budget, still stalled the process —
 * 10 × 280 updates/s made another board's p95 56 ms and /healthz max 413 ms; 40 × 280/s left 47 of
 * 50 cards on another board undelivered and /healthz answered in up to 7.2 s; 10 × 60 updates/s of
 * 100 KB (6 MB/s) left 38 of 45 undelivered.
 *
 * It only slows, never closes: while the address's bucket is empty, each of its sockets that has
 * an update to hand on stops being read and waits its turn, one message a turn in arrival order
 * (so twenty flooding sockets and one honest typist behind the same NAT each get a twentieth-
 * and-a-bit, and nobody starves). One timer per address hands out the turns as the bucket refills;
 * a socket that closes gives up its turn and takes nothing from anyone else. Presence (awareness)
 * is not counted here: it is small, and the room batches it.
 *
 * Addresses come from clientAddress (server/http/client-address.ts), as for WS_PER_ADDRESS.
 */
import { Limits } from '../../shared/protocol.ts'
import { TokenBucket } from './token-bucket.ts'

export interface AddressBudgetLimits {
  changesPerSecond: number
  changesBurst: number
  bytesPerSecond: number
  bytesBurst: number
}

export const DEFAULT_ADDRESS_BUDGET: AddressBudgetLimits = {
  changesPerSecond: Limits.addressChangesPerSecond,
  changesBurst: Limits.addressChangesBurst,
  bytesPerSecond: Limits.addressChangeBytesPerSecond,
  bytesBurst: Limits.addressChangeBytesBurst,
}

/** One connection's part in its address's budget. */
export interface AddressShare {
  /**
   * Takes one update of `bytes` from the address's budget: true if it may be handled now; false if
   * the connection must wait its turn, and `granted` is called (once) when the tokens are taken
   * for it. A connection asks again only after its last ask was granted.
   */
  take(bytes: number, granted: () => void): boolean
  /** The connection is gone: its turn, if it waits for one, is given up. Idempotent. */
  leave(): void
}

interface Waiter {
  share: AddressShare
  bytes: number
  granted: () => void
}

class Address {
  readonly changes: TokenBucket
  readonly bytes: TokenBucket
  readonly waiting: Waiter[] = []
  connections = 0
  timer: ReturnType<typeof setTimeout> | undefined
  forgetTimer: ReturnType<typeof setTimeout> | undefined

  constructor(limits: AddressBudgetLimits) {
    this.changes = new TokenBucket(limits.changesBurst, limits.changesPerSecond)
    this.bytes = new TokenBucket(limits.bytesBurst, limits.bytesPerSecond)
  }

  private fits(bytes: number): number {
    return Math.max(this.changes.waitMs(1), this.bytes.waitMs(bytes))
  }

  private takeNow(bytes: number) {
    this.changes.take(1)
    this.bytes.take(bytes)
  }

  take(share: AddressShare, bytes: number, granted: () => void): boolean {
    // Nobody ahead and room in the bucket: no waiting. With others waiting, this one queues behind them.
    if (this.waiting.length === 0 && this.fits(bytes) === 0) {
      this.takeNow(bytes)
      return true
    }
    this.waiting.push({ share, bytes, granted })
    this.schedule()
    return false
  }

  /** Arms the one timer for the first in line; none while nobody waits. */
  schedule() {
    if (this.timer || this.waiting.length === 0) return
    const wait = this.fits(this.waiting[0]!.bytes)
    this.timer = setTimeout(() => this.pump(), wait)
  }

  /** Grants turns, in order, as far as the bucket goes; then waits for the refill of the next. */
  pump() {
    this.timer = undefined
    while (this.waiting.length > 0) {
      const head = this.waiting[0]!
      if (this.fits(head.bytes) > 0) break
      this.takeNow(head.bytes)
      this.waiting.shift()
      // The connection handles its message now, and may ask again (behind the others still waiting).
      head.granted()
    }
    this.schedule()
  }

  /** Drops `share`'s turn; the timer is re-armed for whoever is first now. */
  withdraw(share: AddressShare) {
    const at = this.waiting.findIndex((w) => w.share === share)
    if (at < 0) return
    this.waiting.splice(at, 1)
    if (at === 0) {
      clearTimeout(this.timer)
      this.timer = undefined
      this.schedule()
    }
  }

  /** Milliseconds until both buckets are full again. */
  refillMs(): number {
    return Math.max(this.changes.waitMs(this.changes.capacity), this.bytes.waitMs(this.bytes.capacity))
  }
}

/** The budgets of every address with a connection open, or whose bucket is still refilling. */
export class AddressBudgets {
  private readonly limits: AddressBudgetLimits
  private readonly byAddress = new Map<string, Address>()

  constructor(limits: AddressBudgetLimits = DEFAULT_ADDRESS_BUDGET) {
    this.limits = limits
  }

  /** Addresses held (for tests: one whose connections all closed is forgotten once its bucket is full). */
  get size(): number {
    return this.byAddress.size
  }

  join(address: string): AddressShare {
    let entry = this.byAddress.get(address)
    if (!entry) {
      entry = new Address(this.limits)
      this.byAddress.set(address, entry)
    }
    const held = entry
    clearTimeout(held.forgetTimer)
    held.forgetTimer = undefined
    held.connections++
    let left = false
    const share: AddressShare = {
      take: (bytes, granted) => held.take(share, bytes, granted),
      leave: () => {
        if (left) return
        left = true
        held.withdraw(share)
        held.connections--
        if (held.connections > 0) return
        // Kept until it has refilled: closing every socket and opening new ones must not bring a
        // fresh burst sooner than waiting would.
        held.forgetTimer = setTimeout(() => {
          if (held.connections === 0 && this.byAddress.get(address) === held) this.byAddress.delete(address)
        }, held.refillMs())
        held.forgetTimer.unref()
      },
    }
    return share
  }
}
