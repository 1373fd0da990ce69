/**
 * A participant in the soak, following the agenda in their own copy of the board: a card in the
 * current phase's section every ~20–60 s (kept in their client while a private round is open
 * on that phase, published when the facilitator reveals — shared/private-round.ts, as the
 * browser does), now and then a change to one of their own cards or a move of someone else's,
 * their cursor a few times a second, and their dots when a vote opens (the votes API with their
 * member key, as the browser's vote bar does: a dot placed while the connection is down waits for it).
 */
import type * as Y from 'yjs'
import { facilitationOf, readFacilitation } from '../../shared/facilitation.ts'
import type { NoteColor } from '../../shared/format/model.ts'
import { OWNER_META } from '../../shared/ownership.ts'
import { isPrivateRecord, tagIfPrivate, toPublish } from '../../shared/private-round.ts'
import { ApiError } from '../../client/api-client.ts'
import { afterFailure, pendingDot, type PendingDot } from '../../client/board/dot-queue.ts'
import { tokenFor } from '../helpers/server.ts'
import { newCard, parentsOf, sectionFor, spotIn, type BoardLayout } from './soak-board.ts'
import { SoakClient } from './soak-client.ts'
import type { Ledger } from './soak-ledger.ts'

export const RATES = {
  cardSeconds: [20, 60],
  editSeconds: [45, 150],
  moveSeconds: [45, 150],
  cursorHz: 3,
  /** Dots each participant places in a vote. */
  dots: 3,
} as const

const IDEAS = [
  'Buurthuis elke dag open',
  'Wijkverpleging dichtbij',
  'Samen koken op woensdag',
  'Jongeren aan tafel',
  'Minder regels, meer vertrouwen',
  'Een loket voor alles',
  'Vervoer naar de markt',
  'Mantelzorgers ontlasten',
  'Groen in de straat',
  'Taalcafé in de bibliotheek',
]

type CardRecord = ReturnType<typeof newCard>

const between = ([low, high]: readonly [number, number]) => (low + Math.random() * (high - low)) * 1000
const pick = <T>(list: T[]): T | undefined => list[Math.floor(Math.random() * list.length)]

export interface ParticipantOptions {
  index: number
  wsUrl: string
  httpUrl: string
  board: string
  layout: BoardLayout
  ledger: Ledger
  group: { id: string; color: NoteColor }
  /** How long from a vote's start its dots may be placed (the facilitator closes it after). */
  castWithinMs: () => number
}

export class Participant extends SoakClient {
  /** Cards made in a private round: only here until the reveal (a browser keeps them in localStorage, across a reload). */
  private held: CardRecord[] = []
  /** Ledger cards this person has seen arrive (across reloads): each delivery counts once. */
  private readonly delivered = new Set<string>()
  private readonly votedIn = new Set<string>()
  private readonly timers: ReturnType<typeof setTimeout>[] = []
  private made = 0
  private running = false

  private readonly o: ParticipantOptions

  constructor(o: ParticipantOptions) {
    super(o.wsUrl, o.board, 'participant', `Deelnemer ${o.index + 1}`, o.group.id, o.ledger)
    this.o = o
  }

  protected override watch(doc: Y.Doc): void {
    const records = this.records
    records.observe((event) => {
      if (event.transaction.local) return
      const now = performance.now()
      for (const key of event.keysChanged) {
        const sent = this.ledger.cards.get(key)
        if (!sent || this.delivered.has(key) || !records.has(key)) continue
        this.delivered.add(key)
        if (sent.owner !== this.o.index) this.ledger.delivered(key, now - sent.at)
      }
    })
    facilitationOf(doc).observe(() => {
      this.publishHeld()
      this.joinVote()
    })
  }

  start(): void {
    this.running = true
    const every = (range: readonly [number, number], run: () => void, first = Math.random() * range[1] * 1000) => {
      this.timers.push(
        setTimeout(() => {
          if (!this.running) return
          run()
          every(range, run, between(range))
        }, first),
      )
    }
    every(RATES.cardSeconds, () => this.makeCard())
    every(RATES.editSeconds, () => this.editOwn())
    every(RATES.moveSeconds, () => this.moveOther())
    this.timers.push(setInterval(() => this.moveCursor(), 1000 / RATES.cursorHz))
  }

  stop(): void {
    this.running = false
    for (const timer of this.timers.splice(0)) clearTimeout(timer)
  }

  /** The phase this person's board shows now. */
  private phase() {
    const f = readFacilitation(facilitationOf(this.doc))
    return { f, item: f.agenda[f.phaseIndex] }
  }

  private makeCard(): void {
    const { f, item } = this.phase()
    if (!item) return
    const section = sectionFor(this.o.layout, item.frameId, this.groupId)
    if (!section) return
    const id = `shape:soak-${this.o.index}-${this.made++}`
    const text = `${pick(IDEAS)} (${this.name}, ${this.made})`
    const meta = tagIfPrivate({}, f.privateRound, f.privateRound?.frameId === item.frameId)
    const record = newCard(id, text, section, { keyHash: this.keyHash, name: this.name, groupId: this.groupId, color: this.o.group.color }, meta)
    if (isPrivateRecord(record)) {
      this.held.push(record)
      this.ledger.held++
    } else {
      this.publish(record, item.phase)
    }
  }

  private publish(record: CardRecord, phase: string): void {
    this.records.set(record.id, record)
    const at = performance.now()
    this.ledger.published(record.id, {
      owner: this.o.index,
      by: this.name,
      phase,
      at,
      text: record.props.text,
      writes: [{ x: record.x, y: record.y, by: this.name, at }],
    })
  }

  /** After the reveal (seen now, or on coming back): the held cards into the shared board. */
  private publishHeld(): void {
    if (this.held.length === 0) return
    const { f, item } = this.phase()
    const ready = toPublish(this.held, f.privateRound)
    if (ready.length === 0) return
    const done = new Set(ready.map((r) => r.id))
    this.held = this.held.filter((r) => !done.has(r.id))
    this.ledger.held -= ready.length
    const frameOf = (r: CardRecord) => this.o.layout.agenda.find((a) => parentsOf(this.o.layout, a.frameId).has(r.parentId))?.phase ?? item?.phase ?? '?'
    for (const record of ready) this.publish(record, frameOf(record))
  }

  private mine(): CardRecord[] {
    return [...this.records.values()].filter(
      (r): r is CardRecord => (r as CardRecord).meta?.[OWNER_META] === this.keyHash && this.ledger.cards.has((r as CardRecord).id),
    )
  }

  private editOwn(): void {
    const record = pick(this.mine())
    if (!record) return
    const base = record.props.text.split(' · ')[0]
    const next = { ...record, props: { ...record.props, text: `${base} · aangevuld ${Date.now() % 100_000}` } }
    this.records.set(record.id, next)
    this.ledger.edited(record.id, next)
  }

  private moveOther(): void {
    const { item } = this.phase()
    if (!item) return
    const parents = parentsOf(this.o.layout, item.frameId)
    const others = [...this.records.values()].filter((r): r is CardRecord => {
      const c = r as CardRecord
      return c.type === 'contribution' && parents.has(c.parentId) && c.meta?.[OWNER_META] !== this.keyHash && this.ledger.cards.has(c.id)
    })
    const record = pick(others)
    const section = record && pick((this.o.layout.sections.get(item.frameId) ?? []).filter((s) => s.parentId === record.parentId))
    if (!record || !section) return
    const spot = spotIn(section)
    this.records.set(record.id, { ...record, ...spot })
    this.ledger.moved(record.id, spot.x, spot.y, this.name)
  }

  private moveCursor(): void {
    const x = Math.random() * 12_000
    const y = Math.random() * 2_000
    // The fields of tldraw's instance_presence the browser publishes (shared/presence-binding.ts), at their usual size.
    this.provider.awareness.setLocalStateField('presence', {
      userId: this.memberKey.slice(0, 16),
      userName: this.name,
      color: '#e03131',
      currentPageId: 'page:page',
      camera: { x: -x + 600, y: -y + 400, z: 1 },
      screenBounds: { x: 0, y: 0, w: 1440, h: 900 },
      cursor: { x, y, type: 'default', rotation: 0 },
      selectedShapeIds: [],
      brush: null,
      scribbles: [],
      chatMessage: '',
      followingUserId: null,
      lastActivityTimestamp: Date.now(),
      meta: {},
    })
  }

  /** A vote that opened: this person's dots, spread over the time it is open. */
  private joinVote(): void {
    const vote = readFacilitation(facilitationOf(this.doc)).vote
    if (!vote?.open || this.votedIn.has(vote.id) || !this.running) return
    this.votedIn.add(vote.id)
    const within = this.o.castWithinMs()
    for (let d = 0; d < vote.dots; d++)
      this.timers.push(setTimeout(() => void this.castDot(vote.id, vote.frameId, performance.now() + within * 0.3), Math.random() * within * 0.6))
  }

  private async castDot(voteId: string, frameId: string, giveUpAt: number): Promise<void> {
    const vote = readFacilitation(facilitationOf(this.doc)).vote
    if (!this.running || vote?.id !== voteId || !vote.open) return
    const parents = parentsOf(this.o.layout, frameId)
    const cards = [...this.records.values()].filter((r) => parents.has((r as CardRecord).parentId) && (r as CardRecord).type === 'contribution') as CardRecord[]
    const card = pick(cards)
    // Nothing to vote on yet: a person waits a moment and looks again.
    if (!card) {
      if (performance.now() < giveUpAt) this.timers.push(setTimeout(() => void this.castDot(voteId, frameId, giveUpAt), 2_000))
      return
    }
    void this.sendDot(pendingDot(voteId, card.id, 1))
  }

  /**
   * One dot as the browser's vote bar sends it (client/board/dot-queue.ts), so the soak measures
   * the product: while the connection is down the dot waits and goes when it is back, with the
   * same request id on every try (a retry after a lost answer is placed once); only what the
   * page would show as a refusal is counted as one.
   */
  private async sendDot(dot: PendingDot): Promise<void> {
    if (!this.running) return
    const later = (next: PendingDot): void => {
      this.timers.push(setTimeout(() => void this.sendDot(next), 2_000))
    }
    if (!this.online) return later(dot)
    const failure = await fetch(`${this.o.httpUrl}/api/boards/${this.board}/votes/${dot.voteId}/dots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(this.board, 'participant')}` },
      body: JSON.stringify({ memberKey: this.memberKey, shapeId: dot.shapeId, delta: dot.delta, requestId: dot.requestId }),
      signal: AbortSignal.timeout(10_000),
    }).then(
      async (r) => (r.ok ? null : new ApiError(r.status, ((await r.json().catch(() => ({}))) as { error?: string }).error ?? r.statusText)),
      (error: unknown) => new ApiError(0, (error as Error).message),
    )
    if (!failure) {
      this.ledger.dots++
      return
    }
    const next = afterFailure(failure, dot)
    if (next === 'wait') return later(dot)
    if (next === 'again') return later({ ...dot, notYetVoter: dot.notYetVoter + 1 })
    const label = `dot ${failure.status}: ${failure.message}`
    this.ledger.refusals.http.add(`participant: ${label}`)
    this.ledger.note(`${this.name}: ${label}`)
  }
}
