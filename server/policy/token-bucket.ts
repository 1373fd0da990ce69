/**
 * A token bucket: `capacity` tokens, refilled at `perSecond`. Our own few lines rather than a
 * library: the maintained ones (limiter, bottleneck) hand tokens out through their own timers
 * and promises, one per call; a connection that stops reading its socket needs a synchronous
 * "how long until this fits" (server/room/connection.ts).
 */
export class TokenBucket {
  readonly capacity: number
  readonly perSecond: number
  private readonly now: () => number
  private tokens: number
  private at: number

  constructor(capacity: number, perSecond: number, now: () => number = () => performance.now()) {
    this.capacity = capacity
    this.perSecond = perSecond
    this.now = now
    this.tokens = capacity
    this.at = now()
  }

  private refill() {
    const now = this.now()
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) * this.perSecond) / 1000)
    this.at = now
  }

  /** 0 when `amount` fits now, else the milliseconds until it will. More than the capacity fits a full bucket. */
  waitMs(amount: number): number {
    this.refill()
    const need = Math.min(amount, this.capacity)
    return this.tokens >= need ? 0 : Math.ceil(((need - this.tokens) * 1000) / this.perSecond)
  }

  /** The tokens there are now (below 0: in debt). */
  level(): number {
    this.refill()
    return this.tokens
  }

  /** Takes `amount` (after waitMs said 0); more than the capacity leaves the bucket in debt. */
  take(amount: number): void {
    this.tokens -= amount
  }
}
