/**
 * Dot votes, kept by the server outside the shared document until the vote closes: nobody sees
 * anyone else's dots, and a voter cannot place more than N. Closing writes the tallies into the
 * board: `meta.votes` on every voted card (which the outcome reads as priority), the results in
 * the facilitation map, and a ranked list beside the frame.
 * Open votes and their dots live in storage (SQLite or PostgreSQL), not in a server's memory: any
 * server of a cluster takes a dot, a restart loses none, and the vote is closed exactly once —
 * by hand, or when its time is up by whichever server's sweep gets there first
 * (storage.votes.close hands the tallies to one caller only).
 */
import { randomUUID } from 'node:crypto'
import { getIndexAbove, type IndexKey } from '@tldraw/utils'
import type * as Y from 'yjs'
import type { BoardId } from '../../shared/board-id.ts'
import { boardRecords, recordsOf } from '../../shared/doc-layout.ts'
import { facilitationOf } from '../../shared/facilitation.ts'
import type { AnyRecord } from '../../shared/format/extract-outcome.ts'
import { richTextToPlain, toRichText } from '../../shared/format/rich-text.ts'
import { rankTallies, VOTE_KEY, type VoteState } from '../../shared/voting.ts'
import type { MyDots } from '../../shared/api.ts'
import type { Logger } from '../log.ts'
import type { RoomRegistry } from '../room/rooms.ts'
import type { Storage } from '../storage/storage.ts'
import { HttpError } from '../http/http-error.ts'
import { sha256Hex } from '../../shared/sha256.ts'
import type { RecentVoters } from './recent-voters.ts'

function titleOf(shape: AnyRecord | undefined): string {
  const p = shape?.props ?? {}
  for (const key of ['title', 'text']) if (typeof p[key] === 'string' && p[key]) return p[key] as string
  return richTextToPlain(p.richText).trim() || shape?.id || '?'
}

/** How often each server looks for votes whose time is up. */
const SWEEP_MS = 1_000

export class VoteRegistry {
  private readonly rooms: RoomRegistry
  private readonly storage: Pick<Storage, 'votes'>
  private readonly log: Logger
  private readonly recent: RecentVoters
  private readonly sweeper: ReturnType<typeof setInterval>
  private sweeping: Promise<void> = Promise.resolve()

  constructor(rooms: RoomRegistry, storage: Pick<Storage, 'votes'>, log: Logger, recent: RecentVoters) {
    this.rooms = rooms
    this.storage = storage
    this.log = log
    this.recent = recent
    rooms.use((room) => ({ onVoterLeft: (keyHash) => recent.left(room.id, keyHash) }))
    this.sweeper = setInterval(() => {
      this.sweeping = this.sweeping.then(() => this.closeDue()).catch((error: unknown) => this.log.error('closing votes whose time is up failed', { error }))
    }, SWEEP_MS)
    this.sweeper.unref?.()
  }

  /** Closes the votes whose time is up (each exactly once across the cluster). */
  async closeDue(now = Date.now()): Promise<void> {
    for (const { boardId, voteId } of await this.storage.votes.due(now)) {
      await this.close(boardId, voteId).catch((error: unknown) => {
        if (!(error instanceof HttpError)) this.log.error('closing vote failed', { board: boardId, vote: voteId, error })
      })
    }
  }

  async start(boardId: BoardId, frameId: string, dots: number, minutes: number | undefined): Promise<VoteState> {
    if (await this.storage.votes.current(boardId)) throw new HttpError(409, 'a vote is already open on this board; close it first')
    if (await this.rooms.isClosed(boardId)) throw new HttpError(409, 'the session is closed')
    if (!(await this.rooms.hasRecord(boardId, frameId))) throw new HttpError(400, `frameId: no shape ${frameId} on this board`)
    const state: VoteState = { id: randomUUID(), frameId, dots, endsAt: minutes ? Date.now() + minutes * 60_000 : null, open: true, results: [] }
    if (!(await this.storage.votes.open(boardId, state))) throw new HttpError(409, 'a vote is already open on this board; close it first')
    await this.rooms.change(boardId, (doc) => facilitationOf(doc).set(VOTE_KEY, state))
    this.log.info('vote started', { board: boardId, vote: state.id, dots })
    return state
  }

  /**
   * The voter behind a member key: its SHA-256, which a connection on this board (not a viewer)
   * must have published as its own — on this server or, in a cluster, on another (its presence
   * reaches this one) — or one that closed within the grace (server/session/recent-voters.ts: her Wi-Fi
   * blipped). Votes belong to that identity — not to an id the client picks — so nobody reads,
   * places or takes back another's dots.
   */
  async voterOf(boardId: BoardId, memberKey: string): Promise<string> {
    const keyHash = sha256Hex(memberKey)
    const room = await this.rooms.open(boardId)
    if (!room.hasVoter(keyHash) && !(await this.recent.wasHere(boardId, keyHash)))
      throw new HttpError(403, 'vote from the board itself: this browser is not connected to it as a participant')
    return keyHash
  }

  async mine(boardId: BoardId, voteId: string, voter: string): Promise<MyDots> {
    const vote = await this.storage.votes.current(boardId)
    if (!vote || vote.id !== voteId) return { open: false, dots: 0, mine: {}, left: 0 }
    return this.dots(vote, await this.storage.votes.dotsOf(boardId, voteId, voter))
  }

  private dots(vote: VoteState, mine: Record<string, number>): MyDots {
    const used = Object.values(mine).reduce((a, b) => a + b, 0)
    return { open: true, dots: vote.dots, mine, left: vote.dots - used }
  }

  async cast(boardId: BoardId, voteId: string, voter: string, shapeId: string, delta: 1 | -1, requestId?: string): Promise<MyDots> {
    const vote = await this.storage.votes.current(boardId)
    if (!vote || vote.id !== voteId) throw new HttpError(404, 'no open vote with that id: it may have closed')
    if (await this.rooms.isClosed(boardId)) throw new HttpError(409, 'the session is closed')
    if (delta === 1) {
      // No dots left is said first (storage checks it again, atomically, below) — but not to a
      // retry, whose first try may have placed the last dot: storage answers it as it was.
      const used = requestId ? 0 : Object.values(await this.storage.votes.dotsOf(boardId, voteId, voter)).reduce((a, b) => a + b, 0)
      if (used >= vote.dots) throw new HttpError(409, `all ${vote.dots} of your dots are placed; take one back first`)
      if (!(await this.rooms.hasRecord(boardId, shapeId))) throw new HttpError(400, `shapeId: no shape ${shapeId} on this board`)
    }
    const result = await this.storage.votes.castDot(boardId, voteId, voter, shapeId, delta, requestId)
    if (!result.ok) {
      if (result.reason === 'all-placed') throw new HttpError(409, `all ${vote.dots} of your dots are placed; take one back first`)
      if (result.reason === 'none-there') throw new HttpError(409, 'you have no dot on that card')
      throw new HttpError(404, 'no open vote with that id: it may have closed')
    }
    return this.dots(vote, result.mine)
  }

  async close(boardId: BoardId, voteId: string): Promise<VoteState> {
    const closedVote = await this.storage.votes.close(boardId, voteId)
    if (!closedVote) throw new HttpError(404, 'no open vote with that id: it may have closed')
    const ranked = rankTallies(closedVote.tallies)
    let closed: VoteState = { ...closedVote.state, open: false }
    await this.rooms.change(boardId, (doc) => {
      const records = recordsOf<AnyRecord>(doc)
      closed = { ...closed, results: ranked.map((r) => ({ ...r, title: titleOf(records.get(r.shapeId)) })) }
      for (const { shapeId, count } of ranked) {
        const shape = records.get(shapeId)
        if (shape) records.set(shapeId, { ...shape, meta: { ...shape.meta, votes: count } })
      }
      writeRankedList(doc, records.get(closedVote.state.frameId), closed)
      facilitationOf(doc).set(VOTE_KEY, closed)
    })
    this.log.info('vote closed', { board: boardId, vote: voteId, voters: closedVote.voters })
    return closed
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper)
    await this.sweeping
  }
}

/** The ranking as a text beside the frame, so it stays on the board (and in exports). */
function writeRankedList(doc: Y.Doc, frame: AnyRecord | undefined, vote: VoteState) {
  if (!frame) return
  const lines = ['Uitslag stemronde / Vote result', ...vote.results.map((r, i) => `${i + 1}. ${r.title} — ${r.count}`)]
  const id = `shape:vote-${vote.id.slice(0, 8)}`
  const parentId = frame.parentId ?? 'page:page'
  const siblings = boardRecords<AnyRecord>(doc).filter((r) => r.typeName === 'shape' && r.parentId === parentId && typeof r.index === 'string')
  const top = siblings
    .map((r) => r.index as IndexKey)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .at(-1)
  recordsOf(doc).set(id, {
    id,
    typeName: 'shape',
    type: 'text',
    x: (frame.x ?? 0) + ((frame.props?.w as number) ?? 0) + 60,
    y: frame.y ?? 0,
    rotation: 0,
    index: getIndexAbove(top ?? null),
    parentId,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: { color: 'black', size: 's', font: 'sans', textAlign: 'start', w: 420, richText: toRichText(lines.join('\n')), scale: 1, autoSize: false },
  })
}
