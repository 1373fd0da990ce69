/**
 * Where a programme's records lie in the server's storage (`records.put`/`records.insert`, in SQLite
 * or PostgreSQL), not in any board's document: an action line outlives the board it was written
 * on. Scope is the programme's id; kinds: `programme`, `board`, `line`, `updates:<line>` — and
 * `signup` and `experiment`, which only their own modules (signups.ts, experiments.ts) read.
 * The board → programme index lies under scope `*`.
 */
import type { BoardId } from '../../shared/board-id.ts'
import { ActionLineRecord, Programme, type ProgrammeBoard, type ProgressUpdate } from '../../shared/programme.ts'
import { HttpError } from '../http/http-error.ts'
import type { Storage } from '../storage/storage.ts'

/** Where the board → programme index lives (a board belongs to at most one programme). */
const INDEX = '*'

export const parseJson = <T>(schema: { parse(value: unknown): T }, json: string): T => schema.parse(JSON.parse(json))

export class ProgrammeRecords {
  private readonly storage: Pick<Storage, 'records'>

  constructor(storage: Pick<Storage, 'records'>) {
    this.storage = storage
  }

  async programme(programmeId: string): Promise<Programme> {
    const json = await this.storage.records.get(programmeId, 'programme', programmeId)
    if (!json) throw new HttpError(404, `no programme ${programmeId}`)
    return parseJson(Programme, json)
  }

  async putProgramme(programme: Programme): Promise<void> {
    await this.storage.records.put(programme.id, 'programme', programme.id, JSON.stringify(programme))
  }

  /** A new programme, listed in the index (for the archive CLI's list). */
  async addProgramme(programme: Programme): Promise<void> {
    await this.putProgramme(programme)
    await this.storage.records.put(INDEX, 'programme', programme.id, '{}')
  }

  async programmeIds(): Promise<string[]> {
    return (await this.storage.records.list(INDEX, 'programme')).map((r) => r.id)
  }

  async boards(programmeId: string): Promise<ProgrammeBoard[]> {
    return (await this.storage.records.list(programmeId, 'board')).map((r) => JSON.parse(r.json) as ProgrammeBoard)
  }

  async board(programmeId: string, boardId: BoardId): Promise<ProgrammeBoard | null> {
    const json = await this.storage.records.get(programmeId, 'board', boardId)
    return json ? (JSON.parse(json) as ProgrammeBoard) : null
  }

  /** Lists a board in the programme, and in the board → programme index. */
  async putBoard(programmeId: string, board: ProgrammeBoard): Promise<void> {
    await this.storage.records.put(programmeId, 'board', board.boardId, JSON.stringify(board))
    await this.storage.records.put(INDEX, 'board-programme', board.boardId, JSON.stringify({ programmeId }))
  }

  async removeBoard(programmeId: string, boardId: BoardId): Promise<void> {
    await this.storage.records.delete(programmeId, 'board', boardId)
    await this.storage.records.delete(INDEX, 'board-programme', boardId)
  }

  /** The programme a board belongs to, if any. */
  async programmeOf(boardId: BoardId): Promise<string | null> {
    const json = await this.storage.records.get(INDEX, 'board-programme', boardId)
    return json ? (JSON.parse(json) as { programmeId: string }).programmeId : null
  }

  /** The programme's action lines, by number (then by age). */
  async lines(programmeId: string): Promise<ActionLineRecord[]> {
    return (await this.storage.records.list(programmeId, 'line'))
      .map((r) => parseJson(ActionLineRecord, r.json))
      .sort((a, b) => a.number - b.number || a.createdAt - b.createdAt)
  }

  async line(programmeId: string, lineId: string): Promise<ActionLineRecord> {
    const json = await this.storage.records.get(programmeId, 'line', lineId)
    if (!json) throw new HttpError(404, `programme ${programmeId} has no action line ${lineId}`)
    return parseJson(ActionLineRecord, json)
  }

  async putLine(programmeId: string, line: ActionLineRecord): Promise<void> {
    await this.storage.records.put(programmeId, 'line', line.id, JSON.stringify(line))
  }

  async updates(programmeId: string, lineId: string): Promise<ProgressUpdate[]> {
    return (await this.storage.records.list(programmeId, `updates:${lineId}`)).map((r) => JSON.parse(r.json) as ProgressUpdate)
  }

  /** Appends a progress update; false if one with its id exists already. */
  async insertUpdate(programmeId: string, update: ProgressUpdate): Promise<boolean> {
    return this.storage.records.insert(programmeId, `updates:${update.lineId}`, update.id, JSON.stringify(update))
  }
}
