/**
 * A programme's boards: the conference, its terugkomdagen, the action lines' werkplaatsen and
 * others. Boards are made here (from a template, with the programme's central task, region and
 * municipalities) or added by their facilitator link; a board belongs to at most one programme.
 */
import { newBoardId, parseBoardId, type BoardId } from '../../shared/board-id.ts'
import { Session } from '../../shared/format/model.ts'
import type { AddBoardBody, Programme, ProgrammeBoard } from '../../shared/programme.ts'
import { boardLink } from '../../shared/roles.ts'
import { yearInNetherlands } from '../../shared/netherlands-time.ts'
import { handOver, type HandedOver } from '../../shared/take-over.ts'
import { DEFAULT_GROUPS, makeBoard, type NewBoard } from '../session/board-factory.ts'
import type { BoardWork } from '../room/board-work.ts'
import { HttpError } from '../http/http-error.ts'
import type { Logger } from '../log.ts'
import type { Storage } from '../storage/storage.ts'
import type { Tokens } from '../policy/tokens.ts'
import type { ProgrammeRecords } from './programme-records.ts'

/** A link holder cannot grow storage without end. */
const MAX_BOARDS = 200

export interface ProgrammeBoardsDeps {
  storage: Pick<Storage, 'catalogue' | 'log'>
  records: ProgrammeRecords
  /** A board's bytes (the server's live rooms include what is not stored yet). */
  boardUpdates: (id: BoardId) => Promise<Uint8Array[] | null>
  work: BoardWork
  tokens: Tokens
  log: Logger
  now: () => number
}

export class ProgrammeBoards {
  private readonly deps: ProgrammeBoardsDeps

  constructor(deps: ProgrammeBoardsDeps) {
    this.deps = deps
  }

  list(programmeId: string): Promise<ProgrammeBoard[]> {
    return this.deps.records.boards(programmeId)
  }

  /** The programme a board belongs to, if any. */
  programmeOf(boardId: BoardId): Promise<string | null> {
    return this.deps.records.programmeOf(boardId)
  }

  /** What kind of board it is in its programme (a board listed before kinds were kept is a conference). */
  async kindOf(programmeId: string, boardId: BoardId): Promise<ProgrammeBoard['kind']> {
    return (await this.deps.records.board(programmeId, boardId))?.kind ?? 'conference'
  }

  /** Lists a board in the programme (and the board → programme index). */
  private async register(programmeId: string, boardId: BoardId, title: string, kind: ProgrammeBoard['kind']): Promise<ProgrammeBoard> {
    const board: ProgrammeBoard = { boardId, title, kind, addedAt: this.deps.now() }
    await this.deps.records.putBoard(programmeId, board)
    this.deps.log.info('board in programme', { programme: programmeId, board: boardId, kind })
    return board
  }

  /** Stores a board made here, lists it in the programme, and gives its facilitator link. */
  async store(programmeId: string, made: NewBoard, kind: ProgrammeBoard['kind']): Promise<{ boardId: BoardId; link: string }> {
    const boardId = newBoardId()
    const info = await this.deps.storage.catalogue.create(boardId, made.title)
    if (made.state) await this.deps.storage.log.append(boardId, [made.state])
    await this.register(programmeId, boardId, info.title, kind)
    return { boardId, link: boardLink(boardId, this.deps.tokens.sign(boardId, 'facilitator')) }
  }

  /** A board's session, made in code: the programme's central task, region and municipalities. */
  session(programme: Programme, title: string, municipalities = programme.municipalities): Session {
    return Session.parse({
      title: title.slice(0, 200),
      centraleOpgave: programme.centraleOpgave,
      targetYear: yearInNetherlands(this.deps.now()) + 3,
      region: programme.region,
      municipalities: municipalities.slice(0, 50),
      groups: DEFAULT_GROUPS,
    })
  }

  /**
   * A new board made in the programme (the conference itself, or a smaller format): from a
   * template, with the programme's central task, region and municipalities.
   */
  async newBoard(programmeId: string, template: string, kind: ProgrammeBoard['kind'], lang: 'nl' | 'en'): Promise<{ boardId: string; link: string }> {
    const programme = await this.deps.records.programme(programmeId)
    if ((await this.list(programmeId)).length >= MAX_BOARDS) throw new HttpError(409, `a programme holds at most ${MAX_BOARDS} boards`)
    const made = makeBoard({
      template,
      title: programme.name,
      centraleOpgave: programme.centraleOpgave || programme.name,
      targetYear: yearInNetherlands(this.deps.now()) + 4,
      region: programme.region,
      municipalities: programme.municipalities,
      lang,
    })
    return this.store(programmeId, made, kind)
  }

  /** Adds a board the caller runs (its facilitator link) to the programme. */
  async addBoard(programmeId: string, body: AddBoardBody): Promise<ProgrammeBoard> {
    await this.deps.records.programme(programmeId)
    let boardId: BoardId | null = null
    let token: string | null = null
    try {
      const url = new URL(body.boardLink.trim(), 'http://board.invalid')
      boardId = parseBoardId(decodeURIComponent(/^\/b\/([^/]+)\/?$/.exec(url.pathname)?.[1] ?? ''))
      token = url.searchParams.get('token')
    } catch {
      // reported below
    }
    if (!boardId || !token) throw new HttpError(400, "boardLink: paste the board's facilitator link (…/b/<board>?token=…)")
    const check = this.deps.tokens.verify(token, boardId)
    if (!check.ok || check.claims.role !== 'facilitator') throw new HttpError(403, "boardLink: only a board's facilitator link adds it to a programme")
    const info = await this.deps.storage.catalogue.get(boardId)
    if (!info) throw new HttpError(404, `board ${boardId} does not exist`)
    const other = await this.deps.records.programmeOf(boardId)
    if (other && other !== programmeId) throw new HttpError(409, 'this board already belongs to another programme')
    if (!other && (await this.list(programmeId)).length >= MAX_BOARDS) throw new HttpError(409, `a programme holds at most ${MAX_BOARDS} boards`)
    return this.register(programmeId, boardId, info.title, body.kind)
  }

  /** A deleted board leaves its programme: no longer listed, no line links to it as its werkplaats. */
  async leave(boardId: BoardId): Promise<void> {
    const { records } = this.deps
    const programmeId = await records.programmeOf(boardId)
    if (!programmeId) return
    await records.removeBoard(programmeId, boardId)
    for (const line of await records.lines(programmeId)) {
      if (line.werkplaatsBoardId === boardId) await records.putLine(programmeId, { ...line, werkplaatsBoardId: null })
    }
    this.deps.log.info('deleted board left its programme', { programme: programmeId, board: boardId })
  }

  /** What a board hands over to its programme: its outcome, fitted to the platform's limits. */
  async outcomeOf(boardId: BoardId): Promise<HandedOver> {
    const info = await this.deps.storage.catalogue.get(boardId)
    const updates = await this.deps.boardUpdates(boardId)
    if (!info || !updates) throw new HttpError(404, `board ${boardId} does not exist`)
    return handOver(JSON.parse(String(await this.deps.work.exportFile({ updates, title: info.title, what: 'outcome.json', lang: 'nl' }))))
  }

  /** The board's title, if it exists. */
  async titleOf(boardId: BoardId): Promise<string | undefined> {
    return (await this.deps.storage.catalogue.get(boardId))?.title
  }

  async exists(boardId: BoardId): Promise<boolean> {
    return (await this.deps.storage.catalogue.get(boardId)) !== null
  }
}
