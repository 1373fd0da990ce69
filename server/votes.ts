/**
 * Dot votes, kept by the server outside the shared document until the vote closes: nobody sees
 * anyone else's dots, and a voter cannot place more than N. Closing writes the tallies into the
 * board: `meta.votes` on every voted card (which the outcome reads as priority), the results in
 * the facilitation map, and a ranked list beside the frame.
 * Open votes live in memory: a server restart ends them without a result (documented).
 */
import { randomUUID } from 'node:crypto'
import { getIndexAbove, type IndexKey } from '@tldraw/utils'
import type * as Y from 'yjs'
import type { BoardId } from '../shared/board-id.ts'
import { boardRecords, recordsOf } from '../shared/doc-layout.ts'
import { facilitationOf } from '../shared/facilitation.ts'
import type { AnyRecord } from '../shared/format/extract-outcome.ts'
import { richTextToPlain, toRichText } from '../shared/format/rich-text.ts'
import { rankTallies, VOTE_KEY, type VoteState } from '../shared/voting.ts'
import type { MyDots } from '../shared/api.ts'
import type { Logger } from './log.ts'
import type { RoomRegistry } from './rooms.ts'
import { HttpError } from './http-error.ts'
import { sha256Hex } from '../shared/sha256.ts'

interface OpenVote {
  state: VoteState
  boardId: BoardId
  byVoter: Map<string, Map<string, number>>
  timer: ReturnType<typeof setTimeout> | undefined
}

function titleOf(shape: AnyRecord | undefined): string {
  const p = shape?.props ?? {}
  for (const key of ['title', 'text']) if (typeof p[key] === 'string' && p[key]) return p[key] as string
  return richTextToPlain(p.richText).trim() || shape?.id || '?'
}

export class VoteRegistry {
  private readonly votes = new Map<string, OpenVote>()
  private readonly rooms: RoomRegistry
  private readonly log: Logger

  constructor(rooms: RoomRegistry, log: Logger) {
    this.rooms = rooms
    this.log = log
  }

  async start(boardId: BoardId, frameId: string, dots: number, minutes: number | undefined): Promise<VoteState> {
    if ([...this.votes.values()].some((v) => v.boardId === boardId)) throw new HttpError(409, 'a vote is already open on this board; close it first')
    if (await this.rooms.isClosed(boardId)) throw new HttpError(409, 'the session is closed')
    if (!(await this.rooms.hasRecord(boardId, frameId))) throw new HttpError(400, `frameId: no shape ${frameId} on this board`)
    const state: VoteState = { id: randomUUID(), frameId, dots, endsAt: minutes ? Date.now() + minutes * 60_000 : null, open: true, results: [] }
    const vote: OpenVote = { state, boardId, byVoter: new Map(), timer: undefined }
    if (state.endsAt) {
      vote.timer = setTimeout(() => void this.close(boardId, state.id).catch((error: unknown) => this.log.error('closing vote failed', { board: boardId, error })), state.endsAt - Date.now())
      vote.timer.unref?.()
    }
    this.votes.set(state.id, vote)
    await this.rooms.change(boardId, (doc) => facilitationOf(doc).set(VOTE_KEY, state))
    this.log.info('vote started', { board: boardId, vote: state.id, dots })
    return state
  }

  private get(boardId: BoardId, voteId: string): OpenVote {
    const vote = this.votes.get(voteId)
    if (!vote || vote.boardId !== boardId) throw new HttpError(404, 'no open vote with that id: it may have closed')
    return vote
  }

  /**
   * The voter behind a member key: its SHA-256, which a connection on this board (not a viewer)
   * must have published as its own. Votes belong to that identity — not to an id the client
   * picks — so nobody reads, places or takes back another's dots.
   */
  voterOf(boardId: BoardId, memberKey: string): string {
    const keyHash = sha256Hex(memberKey)
    if (!this.rooms.get(boardId)?.hasVoter(keyHash)) throw new HttpError(403, 'vote from the board itself: this browser is not connected to it as a participant')
    return keyHash
  }

  mine(boardId: BoardId, voteId: string, voter: string): MyDots {
    const vote = this.votes.get(voteId)
    if (!vote || vote.boardId !== boardId) return { open: false, dots: 0, mine: {}, left: 0 }
    const mine = Object.fromEntries(vote.byVoter.get(voter) ?? [])
    const used = Object.values(mine).reduce((a, b) => a + b, 0)
    return { open: true, dots: vote.state.dots, mine, left: vote.state.dots - used }
  }

  async cast(boardId: BoardId, voteId: string, voter: string, shapeId: string, delta: 1 | -1): Promise<MyDots> {
    const vote = this.get(boardId, voteId)
    if (await this.rooms.isClosed(boardId)) throw new HttpError(409, 'the session is closed')
    const mine = vote.byVoter.get(voter) ?? new Map<string, number>()
    const used = [...mine.values()].reduce((a, b) => a + b, 0)
    const current = mine.get(shapeId) ?? 0
    if (delta === 1 && used >= vote.state.dots) throw new HttpError(409, `all ${vote.state.dots} of your dots are placed; take one back first`)
    if (delta === -1 && current === 0) throw new HttpError(409, 'you have no dot on that card')
    if (delta === 1 && !(await this.rooms.hasRecord(boardId, shapeId))) throw new HttpError(400, `shapeId: no shape ${shapeId} on this board`)
    mine.set(shapeId, current + delta)
    if (mine.get(shapeId) === 0) mine.delete(shapeId)
    vote.byVoter.set(voter, mine)
    return this.mine(boardId, voteId, voter)
  }

  async close(boardId: BoardId, voteId: string): Promise<VoteState> {
    const vote = this.get(boardId, voteId)
    this.votes.delete(voteId)
    clearTimeout(vote.timer)
    const tallies = new Map<string, number>()
    for (const dots of vote.byVoter.values()) for (const [shapeId, n] of dots) tallies.set(shapeId, (tallies.get(shapeId) ?? 0) + n)
    const ranked = rankTallies(tallies)
    let closed: VoteState = { ...vote.state, open: false }
    await this.rooms.change(boardId, (doc) => {
      const records = recordsOf<AnyRecord>(doc)
      closed = { ...closed, results: ranked.map((r) => ({ ...r, title: titleOf(records.get(r.shapeId)) })) }
      for (const { shapeId, count } of ranked) {
        const shape = records.get(shapeId)
        if (shape) records.set(shapeId, { ...shape, meta: { ...shape.meta, votes: count } })
      }
      writeRankedList(doc, records.get(vote.state.frameId), closed)
      facilitationOf(doc).set(VOTE_KEY, closed)
    })
    this.log.info('vote closed', { board: boardId, vote: voteId, voters: vote.byVoter.size })
    return closed
  }

  stop(): void {
    for (const vote of this.votes.values()) clearTimeout(vote.timer)
    this.votes.clear()
  }
}

/** The ranking as a text beside the frame, so it stays on the board (and in exports). */
function writeRankedList(doc: Y.Doc, frame: AnyRecord | undefined, vote: VoteState) {
  if (!frame) return
  const lines = ['Uitslag stemronde / Vote result', ...vote.results.map((r, i) => `${i + 1}. ${r.title} — ${r.count}`)]
  const id = `shape:vote-${vote.id.slice(0, 8)}`
  const parentId = frame.parentId ?? 'page:page'
  const siblings = boardRecords<AnyRecord>(doc).filter((r) => r.typeName === 'shape' && r.parentId === parentId && typeof r.index === 'string')
  const top = siblings.map((r) => r.index as IndexKey).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).at(-1)
  recordsOf(doc).set(id, {
    id, typeName: 'shape', type: 'text', x: (frame.x ?? 0) + ((frame.props?.w as number) ?? 0) + 60, y: frame.y ?? 0, rotation: 0,
    index: getIndexAbove(top ?? null), parentId, isLocked: false, opacity: 1, meta: {},
    props: { color: 'black', size: 's', font: 'sans', textAlign: 'start', w: 420, richText: toRichText(lines.join('\n')), scale: 1, autoSize: false },
  })
}
