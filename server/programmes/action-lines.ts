/**
 * A programme's action lines and their progress: taken over from a closed conference board,
 * followed by progress updates (append-only, by the aanjager or the line's trekker, or posted
 * from the line's werkplaats board), with a next meeting and a werkplaats board of their own.
 */
import { randomUUID } from 'node:crypto'
import type { BoardId } from '../../shared/board-id.ts'
import { ShapeBuilder } from '../../shared/format/records.ts'
import { findTemplate } from '../../shared/format/templates.ts'
import { linesFromOutcome, sharedValuesOf, type ActionLineRecord, type ProgressUpdate, type ProgressUpdateBody } from '../../shared/programme.ts'
import type { RefusedLine, TakeOverResult } from '../../shared/take-over.ts'
import { boardFromTemplate } from '../session/board-factory.ts'
import { HttpError } from '../http/http-error.ts'
import type { Logger } from '../log.ts'
import type { ProgrammeBoards } from './programme-boards.ts'
import type { ProgrammeRecords } from './programme-records.ts'

/** Bounds per programme: a link holder cannot grow storage without end. */
export const MAX_LINES = 500
const MAX_UPDATES_PER_LINE = 2_000

export class ActionLines {
  private readonly records: ProgrammeRecords
  private readonly boards: ProgrammeBoards
  private readonly log: Logger
  private readonly now: () => number

  constructor(records: ProgrammeRecords, boards: ProgrammeBoards, log: Logger, now: () => number) {
    this.records = records
    this.boards = boards
    this.log = log
    this.now = now
  }

  line(programmeId: string, lineId: string): Promise<ActionLineRecord> {
    return this.records.line(programmeId, lineId)
  }

  list(programmeId: string): Promise<ActionLineRecord[]> {
    return this.records.lines(programmeId)
  }

  updates(programmeId: string, lineId: string): Promise<ProgressUpdate[]> {
    return this.records.updates(programmeId, lineId)
  }

  /**
   * The board's action lines become (or update) the programme's action-line records, each
   * linked to the card it came from; the programme takes the board's central task and shared
   * values when it has none yet. Called when a board of a programme is closed, or by the aanjager.
   * A card too long for the platform is taken trimmed, one that cannot be a line is refused by
   * name: the others are taken all the same, and the answer (and the log) says which.
   */
  async takeOver(programmeId: string, boardId: BoardId): Promise<TakeOverResult> {
    const programme = await this.records.programme(programmeId)
    const outcome = await this.boards.outcomeOf(boardId)
    const existing = new Map((await this.records.lines(programmeId)).map((l) => [l.id, l]))
    let room = MAX_LINES - existing.size
    const lines: ActionLineRecord[] = []
    const refused: RefusedLine[] = [...outcome.refused]
    for (const line of linesFromOutcome(outcome, programmeId, boardId, this.now(), existing)) {
      if (!existing.has(line.id) && room-- <= 0) {
        refused.push({
          shapeId: line.source.shapeId,
          number: line.number,
          title: line.title,
          reason: 'full',
          detail: `a programme holds at most ${MAX_LINES} action lines`,
        })
        continue
      }
      lines.push(line)
    }
    for (const line of lines) await this.records.putLine(programmeId, line)
    // The programme takes its conference's central task and shared values when it has none yet.
    if (programme.sharedValues.length === 0 || !programme.centraleOpgave) {
      await this.records.putProgramme({
        ...programme,
        sharedValues: programme.sharedValues.length > 0 ? programme.sharedValues : sharedValuesOf(outcome),
        centraleOpgave: programme.centraleOpgave || outcome.session.centraleOpgave,
      })
    }
    this.log.info('action lines taken over', { programme: programmeId, board: boardId, lines: lines.length })
    logFitting(this.log, programmeId, boardId, { trimmed: outcome.trimmed, refused })
    return { lines, trimmed: outcome.trimmed, refused }
  }

  /** A progress update (append-only), by the aanjager or the line's trekker; it may move the status. */
  async addUpdate(programmeId: string, lineId: string, body: ProgressUpdateBody): Promise<ProgressUpdate> {
    const line = await this.records.line(programmeId, lineId)
    const count = (await this.records.updates(programmeId, lineId)).length
    if (count >= MAX_UPDATES_PER_LINE) throw new HttpError(409, `an action line keeps at most ${MAX_UPDATES_PER_LINE} updates`)
    const at = this.now()
    const moves = body.status && body.status !== line.status
    const update: ProgressUpdate = {
      id: `${at.toString(36)}-${randomUUID().slice(0, 8)}`,
      lineId,
      at,
      author: body.author,
      text: body.text,
      status: moves ? body.status! : null,
      from: moves ? line.status : null,
    }
    if (!(await this.records.insertUpdate(programmeId, update))) throw new HttpError(409, 'that update exists already')
    await this.records.putLine(programmeId, { ...line, status: update.status ?? line.status, lastUpdateAt: at })
    this.log.info('action line update', { programme: programmeId, line: lineId, status: update.status })
    return update
  }

  /** Progress posted from a line's werkplaats board (its facilitators are the line's trekkers). */
  async updateFromWerkplaats(boardId: BoardId, body: ProgressUpdateBody): Promise<ProgressUpdate> {
    const programmeId = await this.records.programmeOf(boardId)
    const line = programmeId ? (await this.records.lines(programmeId)).find((l) => l.werkplaatsBoardId === boardId) : undefined
    if (!programmeId || !line) throw new HttpError(404, 'this board is not the werkplaats of an action line')
    return this.addUpdate(programmeId, line.id, body)
  }

  async setNextMeeting(programmeId: string, lineId: string, nextMeeting: string | null): Promise<ActionLineRecord> {
    const line = { ...(await this.records.line(programmeId, lineId)), nextMeeting }
    await this.records.putLine(programmeId, line)
    return line
  }

  /**
   * The action line's own werkplaats board, from the action-line template, its first frame
   * holding the line (motto, description, trekkers, themes) and the way back to the platform; the
   * board joins the programme as a werkplaats and the line links to it. The caller (aanjager or
   * the line's trekker) gets its facilitator link.
   */
  async createWerkplaats(programmeId: string, lineId: string): Promise<{ boardId: string; link: string }> {
    const programme = await this.records.programme(programmeId)
    const line = await this.records.line(programmeId, lineId)
    if (line.werkplaatsBoardId && (await this.boards.exists(line.werkplaatsBoardId as BoardId)))
      throw new HttpError(409, 'this action line has its werkplaats already')
    const text = [
      `Actielijn ${line.number}: ${line.title}`,
      line.motto,
      line.description,
      line.trekkers.length > 0 ? `Trekkers: ${line.trekkers.map((p) => p.name).join(', ')}` : '',
      line.themes.length > 0 ? `Thema's: ${line.themes.map((t) => t.title).join(', ')}` : '',
      `Voortgang en meer: /p/${programmeId} (${programme.name})`,
    ]
      .filter(Boolean)
      .join('\n\n')
    const session = this.boards.session(
      { ...programme, centraleOpgave: programme.centraleOpgave || line.title },
      `Werkplaats ${line.number}: ${line.title}`,
      line.municipalities,
    )
    const made = boardFromTemplate(
      findTemplate('actielijn-werkplaats')!,
      session,
      'nl',
      ([first]) => {
        const b = new ShapeBuilder('werkplaats')
        b.text(40, 80, 900, text.slice(0, 8000), { parentId: first?.frameId, id: 'actielijn', structure: false })
        return b.shapes
      },
      { programme: { programmeId, lineId } },
    )
    const { boardId, link } = await this.boards.store(programmeId, made, 'werkplaats')
    await this.records.putLine(programmeId, { ...line, werkplaatsBoardId: boardId })
    this.log.info('werkplaats made', { programme: programmeId, line: lineId, board: boardId })
    return { boardId, link }
  }
}

/** Lines taken trimmed or refused at a hand-over, by number and title (a close has no one to answer). */
export function logFitting(log: Logger, programmeId: string, boardId: BoardId, { trimmed, refused }: Pick<TakeOverResult, 'trimmed' | 'refused'>): void {
  for (const t of trimmed)
    log.warn("action line trimmed to the platform's limits", {
      programme: programmeId,
      board: boardId,
      number: t.number,
      title: t.title,
      fields: t.fields.map((f) => `${f.field} (${f.max})`).join(', '),
    })
  for (const r of refused)
    log.warn('action line not taken over', { programme: programmeId, board: boardId, number: r.number, title: r.title, reason: r.reason, detail: r.detail })
}
