/**
 * What the soak's people sent (cards, text edits, moves), what reached whom and how fast, and
 * every refusal of their work — the numbers the soak prints, and the check of a document
 * (a client's, or PostgreSQL's) against what was sent.
 */
import type * as Y from 'yjs'
import { percentile } from './workload.ts'

/**
 * One write of a card's position: made or moved. An owner's text edit carries the position of
 * her copy but does not mean to move the card, and the server keeps a move over an edit it did
 * not see (a move from an older copy gets the owner's text, server/policy/update-policy.ts StaleMove),
 * so an edit is no position write: counted as one, a move sent just before an edit but
 * delivered after it read as misplaced where it was right, and a move lost to an owner's edit
 * from her older copy passed as right.
 */
interface Write {
  x: number
  y: number
  by: string
  at: number
}

export interface SentCard {
  owner: number
  by: string
  phase: string
  /** When it was published (performance.now()): made, or revealed after a private round. */
  at: number
  text: string
  /** Every write of its position (made, moved), the last one last. */
  writes: Write[]
}

/** Deliveries slower than this are listed by card (what was held up, and whose). */
const SLOW_MS = 5_000
const MAX_EVENTS = 300

/** Counts by a label (a refusal's reason, a close code). */
export class Tally {
  readonly counts = new Map<string, number>()
  add(label: string, n = 1): void {
    this.counts.set(label, (this.counts.get(label) ?? 0) + n)
  }
  get total(): number {
    let sum = 0
    for (const n of this.counts.values()) sum += n
    return sum
  }
  sorted(): [string, number][] {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1])
  }
}

export interface Presence {
  cards: number
  texts: number
  positions: number
  missing: string[]
  /** Cards not where their last writer put them, and which write they show instead. */
  misplaced: string[]
}

interface CardRecord {
  x: number
  y: number
  props: { text: string }
}

export class Ledger {
  readonly cards = new Map<string, SentCard>()
  /** Made in a private round, still only in their maker's client. */
  held = 0
  edits = 0
  moves = 0
  /** Dots placed (answered 200). */
  dots = 0
  /** Card → other clients, ms, by the phase the card was made in. */
  readonly latency = new Map<string, number[]>()
  /** Refusals of honest work: closes the clients saw, refused requests, refusals the servers logged. */
  readonly refusals = { clients: new Tally(), http: new Tally(), servers: new Tally() }
  /** Other closes (a killed process, a restart): expected, counted for the record. */
  readonly drops = new Tally()
  /** Errors the servers logged (level error and above), by message. */
  readonly serverErrors = new Tally()
  /** The start of the session (performance.now()): times in the timeline count from it. */
  t0 = performance.now()
  readonly events: string[] = []
  eventsLeftOut = 0
  private readonly slow = new Map<string, { n: number; max: number }>()

  published(id: string, card: SentCard): void {
    this.cards.set(id, card)
  }
  edited(id: string, record: CardRecord): void {
    const card = this.cards.get(id)
    if (!card) return
    this.edits++
    card.text = record.props.text
  }
  moved(id: string, x: number, y: number, by: string): void {
    const card = this.cards.get(id)
    if (!card) return
    this.moves++
    card.writes.push({ x, y, by, at: performance.now() })
  }
  delivered(id: string, ms: number): void {
    const phase = this.cards.get(id)?.phase ?? '?'
    const list = this.latency.get(phase) ?? []
    list.push(ms)
    this.latency.set(phase, list)
    if (ms > SLOW_MS) {
      const slow = this.slow.get(id) ?? { n: 0, max: 0 }
      this.slow.set(id, { n: slow.n + 1, max: Math.max(slow.max, ms) })
    }
  }

  /** The cards some client got more than SLOW_MS after they were sent: who sent them, when, how late. */
  slowCards(): string[] {
    return [...this.slow.entries()]
      .sort((a, b) => b[1].max - a[1].max)
      .map(([id, { n, max }]) => {
        const card = this.cards.get(id)!
        return `${id} by ${card.by} at ${this.clock(card.at)} (${card.phase}): ${n} clients, up to ${(max / 1000).toFixed(1)} s`
      })
  }

  /** How much of what was sent a document holds: the cards, with their last text, where their last writer put them. */
  presentIn(records: Y.Map<unknown>): Presence {
    const found: Presence = { cards: 0, texts: 0, positions: 0, missing: [], misplaced: [] }
    for (const [id, sent] of this.cards) {
      const record = records.get(id) as CardRecord | undefined
      if (!record) {
        found.missing.push(id)
        continue
      }
      found.cards++
      if (record.props.text === sent.text) found.texts++
      const last = sent.writes.at(-1)!
      if (record.x === last.x && record.y === last.y) found.positions++
      else found.misplaced.push(this.whereFrom(id, record))
    }
    return found
  }

  /** Which write a misplaced card shows, against its last one: a race (ms apart) or a write that got lost. */
  private whereFrom(id: string, record: CardRecord): string {
    const { writes } = this.cards.get(id)!
    const last = writes.at(-1)!
    const shown = writes.findLastIndex((w) => w.x === record.x && w.y === record.y)
    const when = (w: Write) => `${w.by} at ${this.clock(w.at)}`
    return `${id}: shows ${shown < 0 ? 'a position nobody wrote' : `write ${shown + 1} of ${writes.length} (${when(writes[shown]!)})`}, the last was ${when(last)}`
  }

  clock(at: number): string {
    const ms = Math.max(0, at - this.t0)
    return `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}.${String(Math.floor(ms % 1000)).padStart(3, '0')}`
  }

  /** Something worth seeing in the timeline at the end (kills, refusals, reloads, the facilitator's steps). */
  note(text: string): void {
    if (this.events.length < MAX_EVENTS) this.events.push(`${this.clock(performance.now())} ${text}`)
    else this.eventsLeftOut++
  }

  /** p50/p95/p99/max and count per phase, in agenda order. */
  latencyByPhase(phases: string[]): { phase: string; n: number; p50: number; p95: number; p99: number; max: number }[] {
    return phases.map((phase) => {
      const sorted = [...(this.latency.get(phase) ?? [])].sort((a, b) => a - b)
      return { phase, n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN }
    })
  }

  get refused(): number {
    return this.refusals.clients.total + this.refusals.http.total + this.refusals.servers.total
  }
}

/** A close code the server sends on purpose (a refusal) rather than a process going away. */
export const isRefusal = (code: number) => code >= 4000 || code === 1003 || code === 1009 || code === 1011
