/**
 * The vliegwiel (shared/programme.ts) on the server: a programme and what it is made of, each
 * part in its own module —
 * - programme-access.ts: the programme's links and the role each one gives;
 * - programme-boards.ts: its boards (made here from a template, or added by their link);
 * - action-lines.ts: its action lines and their progress updates, and each line's werkplaats;
 * - signups.ts: residents signing up to a line — the personal data, with its own rules;
 * - experiments.ts: experiments proposed, accepted onto a werkplaats or declined;
 * - terugkomdag.ts: the follow-up meeting, and what it decides flowing back;
 * - programme-records.ts: where all of it lies in storage.
 * This module makes the programme, puts the view and the report together, and says what a
 * closed or deleted board means for its programme.
 */
import { randomUUID } from 'node:crypto'
import type * as Y from 'yjs'
import type { BoardId } from '../../shared/board-id.ts'
import {
  isStale,
  type ActionLineSummary,
  type CreateProgrammeBody,
  type CreatedProgramme,
  type Programme,
  type ProgrammeView,
  type ProgressUpdate,
} from '../../shared/programme.ts'
import type { ProgrammeReportData } from '../../shared/programme-report.ts'
import { boardLink } from '../../shared/roles.ts'
import type { BoardWork } from '../room/board-work.ts'
import { HttpError } from '../http/http-error.ts'
import type { Logger } from '../log.ts'
import type { Storage } from '../storage/storage.ts'
import type { Tokens } from '../policy/tokens.ts'
import { ActionLines } from './action-lines.ts'
import { Experiments } from './experiments.ts'
import { ProgrammeLinks, type ProgrammeAccess } from './programme-access.ts'
import { ProgrammeBoards } from './programme-boards.ts'
import { ProgrammeRecords } from './programme-records.ts'
import { SignUps } from './signups.ts'
import { Terugkomdag } from './terugkomdag.ts'

export type { ProgrammeAccess } from './programme-access.ts'

export class ProgrammeService {
  readonly links: ProgrammeLinks
  readonly boards: ProgrammeBoards
  readonly lines: ActionLines
  readonly signups: SignUps
  readonly experiments: Experiments
  readonly terugkomdag: Terugkomdag
  private readonly records: ProgrammeRecords
  private readonly tokens: Tokens
  private readonly log: Logger
  private readonly now: () => number

  /** `boardUpdates`: a board's bytes (the server's live rooms include what is not stored yet). */
  constructor(
    storage: Pick<Storage, 'catalogue' | 'log' | 'records'>,
    boardUpdates: (id: BoardId) => Promise<Uint8Array[] | null>,
    work: BoardWork,
    tokens: Tokens,
    log: Logger,
    now: () => number = Date.now,
    /** A change to a board, live for whoever has it open (the server's rooms). */
    changeBoard: (id: BoardId, fn: (doc: Y.Doc) => void) => Promise<void> = async () => {
      throw new HttpError(503, 'boards cannot be changed from here')
    },
  ) {
    this.tokens = tokens
    this.log = log
    this.now = now
    this.records = new ProgrammeRecords(storage)
    this.links = new ProgrammeLinks(tokens)
    this.boards = new ProgrammeBoards({ storage, records: this.records, boardUpdates, work, tokens, log, now })
    this.lines = new ActionLines(this.records, this.boards, log, now)
    this.signups = new SignUps(storage, this.records, log, now)
    this.experiments = new Experiments(storage, this.records, log, now, changeBoard)
    this.terugkomdag = new Terugkomdag(this.records, this.boards, this.lines, this.experiments, log, now)
  }

  async create(body: CreateProgrammeBody): Promise<CreatedProgramme> {
    const programme: Programme = { ...body, id: randomUUID().replace(/-/g, '').slice(0, 16), sharedValues: [], createdAt: this.now() }
    await this.records.addProgramme(programme)
    this.log.info('programme created', { programme: programme.id })
    return { programme, links: this.links.programmeLinks(programme.id) }
  }

  /** Every programme on this server (for the archive CLI). */
  async list(): Promise<Programme[]> {
    const all: Programme[] = []
    for (const id of await this.records.programmeIds()) all.push(await this.get(id))
    return all
  }

  get(programmeId: string): Promise<Programme> {
    return this.records.programme(programmeId)
  }

  async view(programmeId: string, access: ProgrammeAccess): Promise<ProgrammeView> {
    return (await this.viewWithHistory(programmeId, access)).view
  }

  /** What the progress report and the calendar are made of: the public view, with each line's history. */
  async reportData(programmeId: string, access: ProgrammeAccess): Promise<ProgrammeReportData> {
    const { view, history } = await this.viewWithHistory(programmeId, access)
    const lines = view.lines.map(({ stale: _stale, ...shown }) => ({ ...shown, updates: history.get(shown.id) ?? [] }))
    return { programme: view.programme, lines, smoelenboek: view.smoelenboek, generatedAt: this.now() }
  }

  /** The view, and every line's history it was made from (the report needs both). */
  private async viewWithHistory(programmeId: string, access: ProgrammeAccess): Promise<{ view: ProgrammeView; history: Map<string, ProgressUpdate[]> }> {
    const programme = await this.get(programmeId)
    const now = this.now()
    const lines: ActionLineSummary[] = []
    const history = new Map<string, ProgressUpdate[]>()
    const signups = await this.signups.publicPart(programmeId)
    for (const line of await this.records.lines(programmeId)) {
      const updates = await this.records.updates(programmeId, line.id)
      history.set(line.id, updates)
      const mine = access.role === 'aanjager' || (access.role === 'trekker' && access.lineId === line.id)
      const werkplaatsLink = line.werkplaatsBoardId
        ? boardLink(line.werkplaatsBoardId, this.tokens.sign(line.werkplaatsBoardId, mine ? 'facilitator' : 'viewer'))
        : undefined
      lines.push({
        ...line,
        signups: signups.countOf(line.id),
        lastUpdate: updates.at(-1) ?? null,
        ...(werkplaatsLink ? { werkplaatsLink } : {}),
        ...(access.role === 'aanjager' ? { stale: isStale(line, programme.staleWeeks, now) } : {}),
      })
    }
    const view: ProgrammeView = {
      programme,
      role: access.role,
      ...(access.lineId ? { lineId: access.lineId } : {}),
      boards: await this.records.boards(programmeId),
      lines,
      smoelenboek: signups.smoelenboek(lines),
      experiments: await this.experiments.list(programmeId),
      ...(access.role === 'aanjager' ? { links: this.links.programmeLinks(programmeId) } : {}),
    }
    return { view, history }
  }

  /**
   * A closed board of a programme hands its outcome over (a failure is logged, the close stands):
   * a conference's action lines become records; a terugkomdag's decisions flow back.
   */
  async onBoardClosed(boardId: BoardId): Promise<void> {
    const programmeId = await this.boards.programmeOf(boardId)
    if (!programmeId) return
    const kind = await this.boards.kindOf(programmeId, boardId)
    const work =
      kind === 'terugkomdag'
        ? this.terugkomdag.flowBack(programmeId, boardId)
        : kind === 'conference'
          ? this.lines.takeOver(programmeId, boardId)
          : Promise.resolve()
    await work.catch((error: unknown) =>
      this.log.error('handing a closed board over to its programme failed', { board: boardId, programme: programmeId, kind, error }),
    )
  }

  /** A deleted board leaves its programme: no longer listed, no line links to it as its werkplaats. */
  onBoardDeleted(boardId: BoardId): Promise<void> {
    return this.boards.leave(boardId)
  }
}
