/**
 * Programmes and their action lines (the vliegwiel, shared/programme.ts), kept in the server's
 * storage as JSON records (`putRecord`/`insertRecord`, in SQLite or PostgreSQL), not in any
 * board's document: an action line outlives the board it was written on.
 *
 * A programme's links are ordinary signed tokens (server/policy/tokens.ts) for a pseudo board id:
 * `programme:<id>` as facilitator is the aanjager's link, as viewer the public read link;
 * `programme:<id>:line:<line>` as participant is that line's trekker link.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type * as Y from 'yjs'
import { newBoardId, parseBoardId, type BoardId } from '../../shared/board-id.ts'
import { recordsOf } from '../../shared/doc-layout.ts'
import { facilitationOf, readFacilitation } from '../../shared/facilitation.ts'
import { Session } from '../../shared/format/model.ts'
import { ShapeBuilder } from '../../shared/format/records.ts'
import { findTemplate, type Template } from '../../shared/format/templates.ts'
import {
  ActionLineRecord, isStale, linesFromOutcome, Programme, programmeScope, sharedValuesOf, trekkerScope,
  type ActionLineSummary, type AddBoardBody, type CreateProgrammeBody, type CreatedProgramme, type ProgrammeBoard,
  type ProgrammeRole, type ProgrammeView, type ProgressUpdate, type ProgressUpdateBody, type SignedUp, type SignUp, type SignUpBody,
  type SmoelenboekEntry, type Experiment, type ExperimentBody,
} from '../../shared/programme.ts'
import type { ProgrammeReportData } from '../../shared/programme-report.ts'
import { handOver, type HandedOver, type RefusedLine, type TakeOverResult } from '../../shared/take-over.ts'
import { dayInNetherlands, yearInNetherlands } from '../../shared/netherlands-time.ts'
import { boardLink } from '../../shared/roles.ts'
import { sha256Hex } from '../../shared/sha256.ts'
import { boardFromTemplate, DEFAULT_GROUPS, makeBoard, type NewBoard } from '../session/board-factory.ts'
import type { BoardWork } from '../room/board-work.ts'
import { HttpError } from '../http/http-error.ts'
import type { Logger } from '../log.ts'
import type { BoardStorage } from '../storage/storage.ts'
import { claimedScope, type Tokens } from '../policy/tokens.ts'

/** Where the board → programme index lives (a board belongs to at most one programme). */
const INDEX = '*'
/** Bounds per programme: a link holder cannot grow storage without end. */
const MAX_BOARDS = 200
const MAX_LINES = 500
const MAX_UPDATES_PER_LINE = 2_000
const MAX_SIGNUPS_PER_LINE = 1_000

/** A sign-up as stored: with the hash of the key of the person's own link. */
interface StoredSignUp extends SignUp {
  keyHash: string
}
const publicSignUp = ({ keyHash: _k, ...signup }: StoredSignUp): SignUp => signup

const parse = <T>(schema: { parse(value: unknown): T }, json: string): T => schema.parse(JSON.parse(json))

export class ProgrammeService {
  private readonly storage: BoardStorage
  private readonly boardUpdates: (id: BoardId) => Promise<Uint8Array[] | null>
  private readonly work: BoardWork
  private readonly tokens: Tokens
  private readonly log: Logger
  private readonly now: () => number
  private readonly changeBoard: (id: BoardId, fn: (doc: Y.Doc) => void) => Promise<void>

  /** `boardUpdates`: a board's bytes (the server's live rooms include what is not stored yet). */
  constructor(
    storage: BoardStorage, boardUpdates: (id: BoardId) => Promise<Uint8Array[] | null>, work: BoardWork, tokens: Tokens, log: Logger, now: () => number = Date.now,
    /** A change to a board, live for whoever has it open (the server's rooms). */
    changeBoard: (id: BoardId, fn: (doc: Y.Doc) => void) => Promise<void> = async () => {
      throw new HttpError(503, 'boards cannot be changed from here')
    },
  ) {
    this.changeBoard = changeBoard
    this.storage = storage
    this.boardUpdates = boardUpdates
    this.work = work
    this.tokens = tokens
    this.log = log
    this.now = now
  }

  /**
   * The caller's role from a token: the programme's links (aanjager, public), or a trekker's link
   * for one of its lines (which line it is, the token says). 401 without a token, 403 for a forged
   * one or another programme's.
   */
  roleOf(programmeId: string, token: string | null): { role: ProgrammeRole; lineId?: string } {
    if (!token) throw new HttpError(401, 'this programme needs a link: open it with the link you were given')
    const programme = this.tokens.verify(token, programmeScope(programmeId))
    if (programme.ok) return { role: programme.claims.role === 'facilitator' ? 'aanjager' : 'public' }
    const claimed = claimedScope(token)
    const prefix = trekkerScope(programmeId, '')
    if (claimed?.startsWith(prefix)) {
      const check = this.tokens.verify(token, claimed)
      if (check.ok && check.claims.role === 'participant') return { role: 'trekker', lineId: claimed.slice(prefix.length) }
    }
    throw new HttpError(403, `this link is not for this programme (${programme.reason})`)
  }

  private links(programmeId: string): CreatedProgramme['links'] {
    return {
      aanjager: `/p/${programmeId}?token=${this.tokens.sign(programmeScope(programmeId), 'facilitator')}`,
      public: `/p/${programmeId}?token=${this.tokens.sign(programmeScope(programmeId), 'viewer')}`,
    }
  }

  trekkerLink(programmeId: string, lineId: string): string {
    return `/p/${programmeId}?line=${encodeURIComponent(lineId)}&token=${this.tokens.sign(trekkerScope(programmeId, lineId), 'participant')}`
  }

  async create(body: CreateProgrammeBody): Promise<CreatedProgramme> {
    const programme: Programme = { ...body, id: randomUUID().replace(/-/g, '').slice(0, 16), sharedValues: [], createdAt: this.now() }
    await this.storage.putRecord(programme.id, 'programme', programme.id, JSON.stringify(programme))
    await this.storage.putRecord(INDEX, 'programme', programme.id, '{}')
    this.log.info('programme created', { programme: programme.id })
    return { programme, links: this.links(programme.id) }
  }

  /** Every programme on this server (for the archive CLI). */
  async list(): Promise<Programme[]> {
    const all: Programme[] = []
    for (const { id } of await this.storage.listRecords(INDEX, 'programme')) all.push(await this.get(id))
    return all
  }

  async get(programmeId: string): Promise<Programme> {
    const json = await this.storage.getRecord(programmeId, 'programme', programmeId)
    if (!json) throw new HttpError(404, `no programme ${programmeId}`)
    return parse(Programme, json)
  }

  async boards(programmeId: string): Promise<ProgrammeBoard[]> {
    return (await this.storage.listRecords(programmeId, 'board')).map((r) => JSON.parse(r.json) as ProgrammeBoard)
  }

  private async lineRecords(programmeId: string): Promise<ActionLineRecord[]> {
    return (await this.storage.listRecords(programmeId, 'line')).map((r) => parse(ActionLineRecord, r.json)).sort((a, b) => a.number - b.number || a.createdAt - b.createdAt)
  }

  async updates(programmeId: string, lineId: string): Promise<ProgressUpdate[]> {
    return (await this.storage.listRecords(programmeId, `updates:${lineId}`)).map((r) => JSON.parse(r.json) as ProgressUpdate)
  }

  async view(programmeId: string, access: { role: ProgrammeRole; lineId?: string }): Promise<ProgrammeView> {
    return (await this.viewWithHistory(programmeId, access)).view
  }

  /** The view, and every line's history it was made from (the report needs both). */
  private async viewWithHistory(programmeId: string, access: { role: ProgrammeRole; lineId?: string }): Promise<{ view: ProgrammeView; history: Map<string, ProgressUpdate[]> }> {
    const programme = await this.get(programmeId)
    const now = this.now()
    const lines: ActionLineSummary[] = []
    const history = new Map<string, ProgressUpdate[]>()
    const signups = await this.storedSignUps(programmeId)
    for (const line of await this.lineRecords(programmeId)) {
      const updates = await this.updates(programmeId, line.id)
      history.set(line.id, updates)
      const count = signups.filter((s) => s.lineId === line.id).length
      const mine = access.role === 'aanjager' || (access.role === 'trekker' && access.lineId === line.id)
      const werkplaatsLink = line.werkplaatsBoardId ? boardLink(line.werkplaatsBoardId, this.tokens.sign(line.werkplaatsBoardId, mine ? 'facilitator' : 'viewer')) : undefined
      lines.push({ ...line, signups: count, lastUpdate: updates.at(-1) ?? null, ...(werkplaatsLink ? { werkplaatsLink } : {}), ...(access.role === 'aanjager' ? { stale: isStale(line, programme.staleWeeks, now) } : {}) })
    }
    const view: ProgrammeView = {
      programme, role: access.role, ...(access.lineId ? { lineId: access.lineId } : {}), boards: await this.boards(programmeId), lines,
      smoelenboek: smoelenboekOf(lines, signups),
      experiments: await this.experiments(programmeId),
      ...(access.role === 'aanjager' ? { links: this.links(programmeId) } : {}),
    }
    return { view, history }
  }

  /** The programme a board belongs to, if any. */
  async programmeOf(boardId: BoardId): Promise<string | null> {
    const json = await this.storage.getRecord(INDEX, 'board-programme', boardId)
    return json ? (JSON.parse(json) as { programmeId: string }).programmeId : null
  }

  /** Lists a board in the programme (and the board → programme index). */
  private async register(programmeId: string, boardId: BoardId, title: string, kind: ProgrammeBoard['kind']): Promise<ProgrammeBoard> {
    const board: ProgrammeBoard = { boardId, title, kind, addedAt: this.now() }
    await this.storage.putRecord(programmeId, 'board', boardId, JSON.stringify(board))
    await this.storage.putRecord(INDEX, 'board-programme', boardId, JSON.stringify({ programmeId }))
    this.log.info('board in programme', { programme: programmeId, board: boardId, kind })
    return board
  }

  /** Stores a board made here, lists it in the programme, and gives its facilitator link. */
  private async store(programmeId: string, made: NewBoard, kind: ProgrammeBoard['kind']): Promise<{ boardId: BoardId; link: string }> {
    const boardId = newBoardId()
    const info = await this.storage.createBoard(boardId, made.title)
    if (made.state) await this.storage.append(boardId, [made.state])
    await this.register(programmeId, boardId, info.title, kind)
    return { boardId, link: boardLink(boardId, this.tokens.sign(boardId, 'facilitator')) }
  }

  /** A board's session, made in code: the programme's central task, region and municipalities. */
  private session(programme: Programme, title: string, municipalities = programme.municipalities): Session {
    return Session.parse({
      title: title.slice(0, 200),
      centraleOpgave: programme.centraleOpgave,
      targetYear: yearInNetherlands(this.now()) + 3,
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
    const programme = await this.get(programmeId)
    if ((await this.boards(programmeId)).length >= MAX_BOARDS) throw new HttpError(409, `a programme holds at most ${MAX_BOARDS} boards`)
    const made = makeBoard({
      template,
      title: programme.name,
      centraleOpgave: programme.centraleOpgave || programme.name,
      targetYear: yearInNetherlands(this.now()) + 4,
      region: programme.region,
      municipalities: programme.municipalities,
      lang,
    })
    return this.store(programmeId, made, kind)
  }

  /** Adds a board the caller runs (its facilitator link) to the programme. */
  async addBoard(programmeId: string, body: AddBoardBody): Promise<ProgrammeBoard> {
    await this.get(programmeId)
    let boardId: BoardId | null = null
    let token: string | null = null
    try {
      const url = new URL(body.boardLink.trim(), 'http://board.invalid')
      boardId = parseBoardId(decodeURIComponent(/^\/b\/([^/]+)\/?$/.exec(url.pathname)?.[1] ?? ''))
      token = url.searchParams.get('token')
    } catch {
      // reported below
    }
    if (!boardId || !token) throw new HttpError(400, 'boardLink: paste the board\'s facilitator link (…/b/<board>?token=…)')
    const check = this.tokens.verify(token, boardId)
    if (!check.ok || check.claims.role !== 'facilitator') throw new HttpError(403, 'boardLink: only a board\'s facilitator link adds it to a programme')
    const info = await this.storage.getBoard(boardId)
    if (!info) throw new HttpError(404, `board ${boardId} does not exist`)
    const other = await this.programmeOf(boardId)
    if (other && other !== programmeId) throw new HttpError(409, 'this board already belongs to another programme')
    if (!other && (await this.boards(programmeId)).length >= MAX_BOARDS) throw new HttpError(409, `a programme holds at most ${MAX_BOARDS} boards`)
    return this.register(programmeId, boardId, info.title, body.kind)
  }

  /**
   * The board's action lines become (or update) the programme's action-line records, each
   * linked to the card it came from; the programme takes the board's central task and shared
   * values when it has none yet. Called when a board of a programme is closed, or by the aanjager.
   * A card too long for the platform is taken trimmed, one that cannot be a line is refused by
   * name: the others are taken all the same, and the answer (and the log) says which.
   */
  async takeOver(programmeId: string, boardId: BoardId): Promise<TakeOverResult> {
    const programme = await this.get(programmeId)
    const outcome = await this.handedOver(boardId)
    const existing = new Map((await this.lineRecords(programmeId)).map((l) => [l.id, l]))
    let room = MAX_LINES - existing.size
    const lines: ActionLineRecord[] = []
    const refused: RefusedLine[] = [...outcome.refused]
    for (const line of linesFromOutcome(outcome, programmeId, boardId, this.now(), existing)) {
      if (!existing.has(line.id) && room-- <= 0) {
        refused.push({ shapeId: line.source.shapeId, number: line.number, title: line.title, reason: 'full', detail: `a programme holds at most ${MAX_LINES} action lines` })
        continue
      }
      lines.push(line)
    }
    for (const line of lines) await this.storage.putRecord(programmeId, 'line', line.id, JSON.stringify(line))
    // The programme takes its conference's central task and shared values when it has none yet.
    if (programme.sharedValues.length === 0 || !programme.centraleOpgave) {
      await this.storage.putRecord(programmeId, 'programme', programmeId, JSON.stringify({
        ...programme,
        sharedValues: programme.sharedValues.length > 0 ? programme.sharedValues : sharedValuesOf(outcome),
        centraleOpgave: programme.centraleOpgave || outcome.session.centraleOpgave,
      }))
    }
    this.log.info('action lines taken over', { programme: programmeId, board: boardId, lines: lines.length })
    this.logFitting(programmeId, boardId, { trimmed: outcome.trimmed, refused })
    return { lines, trimmed: outcome.trimmed, refused }
  }

  /** Lines taken trimmed or refused at a hand-over, by number and title (a close has no one to answer). */
  private logFitting(programmeId: string, boardId: BoardId, { trimmed, refused }: Pick<TakeOverResult, 'trimmed' | 'refused'>): void {
    for (const t of trimmed) this.log.warn('action line trimmed to the platform\'s limits', { programme: programmeId, board: boardId, number: t.number, title: t.title, fields: t.fields.map((f) => `${f.field} (${f.max})`).join(', ') })
    for (const r of refused) this.log.warn('action line not taken over', { programme: programmeId, board: boardId, number: r.number, title: r.title, reason: r.reason, detail: r.detail })
  }

  /**
   * A closed board of a programme hands its outcome over (a failure is logged, the close stands):
   * a conference's action lines become records; a terugkomdag's decisions flow back.
   */
  async onBoardClosed(boardId: BoardId): Promise<void> {
    const programmeId = await this.programmeOf(boardId)
    if (!programmeId) return
    const json = await this.storage.getRecord(programmeId, 'board', boardId)
    const kind = json ? (JSON.parse(json) as ProgrammeBoard).kind : 'conference'
    const work = kind === 'terugkomdag' ? this.flowBack(programmeId, boardId) : kind === 'conference' ? this.takeOver(programmeId, boardId) : Promise.resolve()
    await work.catch((error: unknown) => this.log.error('handing a closed board over to its programme failed', { board: boardId, programme: programmeId, kind, error }))
  }

  /** A deleted board leaves its programme: no longer listed, no line links to it as its werkplaats. */
  async onBoardDeleted(boardId: BoardId): Promise<void> {
    const programmeId = await this.programmeOf(boardId)
    if (!programmeId) return
    await this.storage.deleteRecord(programmeId, 'board', boardId)
    await this.storage.deleteRecord(INDEX, 'board-programme', boardId)
    for (const line of await this.lineRecords(programmeId)) {
      if (line.werkplaatsBoardId === boardId) await this.storage.putRecord(programmeId, 'line', line.id, JSON.stringify({ ...line, werkplaatsBoardId: null }))
    }
    this.log.info('deleted board left its programme', { programme: programmeId, board: boardId })
  }

  private async handedOver(boardId: BoardId): Promise<HandedOver> {
    const info = await this.storage.getBoard(boardId)
    const updates = await this.boardUpdates(boardId)
    if (!info || !updates) throw new HttpError(404, `board ${boardId} does not exist`)
    return handOver(JSON.parse(String(await this.work.exportFile({ updates, title: info.title, what: 'outcome.json', lang: 'nl' }))))
  }

  /**
   * A follow-up meeting ("two meetings a year"): a board filled from the programme as it is now —
   * a frame per action line with its card (status, trekkers) and the progress since the previous
   * meeting, then wat loopt goed / waar lopen we vast / wat hebben we nodig, the experiments
   * proposed, and a frame for new action lines. What it decides flows back when it is closed.
   */
  async startTerugkomdag(programmeId: string, lang: 'nl' | 'en' = 'nl'): Promise<{ boardId: string; link: string }> {
    const programme = await this.get(programmeId)
    const lines = await this.lineRecords(programmeId)
    const boards = await this.boards(programmeId)
    const previous = Math.max(programme.createdAt, ...boards.filter((b) => b.kind === 'terugkomdag').map((b) => b.addedAt))
    const day = dayInNetherlands(this.now())
    const frame = (title: string, instructions: string, phase: 'free' | 'action-lines' = 'free') => ({ phase, layout: 'plain' as const, title: { nl: title, en: title }, instructions: { nl: instructions, en: instructions }, w: 1000, h: 620, minutes: 15 })
    const template: Template = {
      id: 'terugkomdag',
      name: { nl: 'Terugkomdag', en: 'Follow-up meeting' },
      description: { nl: 'Terugkomdag van een programma', en: 'A programme\'s follow-up meeting' },
      frames: [
        ...lines.map((l) => frame(`${l.number}. ${l.title}`.slice(0, 500), 'Hoe staat deze actielijn ervoor? Pas de status en de trekkers op de kaart aan als dat besloten wordt.', 'action-lines')),
        frame('Wat loopt goed', 'Wat werkt, waar zijn we trots op?'),
        frame('Waar lopen we vast', 'Waar zit het vast, wat houdt ons tegen?'),
        frame('Wat hebben we nodig', 'Mensen, geld, ruimte, regels — en van wie?'),
        frame('Nieuwe experimenten', 'De voorgestelde experimenten; nieuwe ideeën, getoetst aan de drie criteria.'),
        frame('Nieuwe actielijnen', 'Een nieuwe actielijn: maak er hier een actielijnkaart voor, met trekkers. Bij het sluiten komt ze in het programma.', 'action-lines'),
      ],
    }
    const session = this.session(programme, `Terugkomdag ${day} — ${programme.name}`)
    const experiments = (await this.experiments(programmeId)).filter((e) => e.state === 'proposed')
    const since = new Map<string, ProgressUpdate[]>()
    for (const line of lines) since.set(line.id, (await this.updates(programmeId, line.id)).filter((u) => u.at > previous))
    const made = boardFromTemplate(template, session, lang, (slots) => {
      const b = new ShapeBuilder('terugkomdag')
      lines.forEach((line, i) => {
        const { frameId, inner } = slots[i]!
        const updates = since.get(line.id) ?? []
        b.add('action-line', inner.x, inner.y, {
          w: 360, h: 260, number: line.number, title: line.title, motto: line.motto, description: line.description, themeIds: [],
          trekkers: line.trekkers, betrokkenen: line.betrokkenen, gemeenteRol: line.gemeenteRol ?? '', status: line.status,
        }, { parentId: frameId, id: `line-${line.id}`, meta: { lineId: line.id } })
        b.text(inner.x + 400, inner.y, 560, [
          `Status: ${line.status}. Trekkers: ${line.trekkers.map((p) => p.name).join(', ') || '—'}`,
          updates.length === 0 ? 'Geen voortgang gemeld sinds de vorige bijeenkomst.' : 'Sinds de vorige bijeenkomst:',
          ...updates.map((u) => `• ${dayInNetherlands(u.at)} ${u.author}${u.status ? ` [${u.status}]` : ''}: ${u.text}`),
        ].join('\n').slice(0, 8000), { parentId: frameId, id: `since-${line.id}`, structure: false })
      })
      const { frameId, inner } = slots[lines.length + 3]!
      if (experiments.length > 0) b.text(inner.x, inner.y, 900, experiments.map((e) => `• ${e.title} (${e.proposer})`).join('\n').slice(0, 8000), { parentId: frameId, id: 'experiments', structure: false })
      return b.shapes
    })
    const started = await this.store(programmeId, made, 'terugkomdag')
    this.log.info('terugkomdag started', { programme: programmeId, board: started.boardId, lines: lines.length })
    return started
  }

  /**
   * What a closed terugkomdag decided goes back into the programme: a line's card with another
   * status or other trekkers becomes a progress update (and the line's new status and trekkers);
   * an action-line card that is not one of the programme's lines becomes a new line.
   */
  async flowBack(programmeId: string, boardId: BoardId): Promise<{ changed: string[]; added: string[] }> {
    const outcome = await this.handedOver(boardId)
    const info = await this.storage.getBoard(boardId)
    const existing = new Map((await this.lineRecords(programmeId)).map((l) => [l.id, l]))
    const changed: string[] = []
    const fresh: typeof outcome.actionLines = []
    const names = (people: { name: string }[]) => people.map((p) => p.name).join(', ')
    for (const card of outcome.actionLines) {
      const lineId = card.id.startsWith('shape:line-') ? card.id.slice('shape:line-'.length) : null
      const line = lineId ? existing.get(lineId) : undefined
      if (!line) {
        fresh.push(card)
        continue
      }
      const notes: string[] = []
      if (names(card.trekkers) !== names(line.trekkers)) notes.push(`trekkers: ${names(card.trekkers) || '—'}`)
      if (card.status !== line.status) notes.push(`status ${line.status} → ${card.status}`)
      if (notes.length === 0) continue
      await this.addUpdate(programmeId, line.id, { text: `Besloten op ${info?.title ?? 'de terugkomdag'}: ${notes.join('; ')}`.slice(0, 4000), author: 'Terugkomdag', ...(card.status !== line.status ? { status: card.status } : {}) })
      const updated = await this.line(programmeId, line.id)
      await this.storage.putRecord(programmeId, 'line', line.id, JSON.stringify({ ...updated, trekkers: card.trekkers }))
      changed.push(line.id)
    }
    let next = Math.max(0, ...[...existing.values()].map((l) => l.number))
    const added = linesFromOutcome({ ...outcome, actionLines: fresh.map((c) => ({ ...c, number: c.number > next ? c.number : ++next })) }, programmeId, boardId, this.now(), existing)
    for (const line of added) await this.storage.putRecord(programmeId, 'line', line.id, JSON.stringify(line))
    this.log.info('terugkomdag flowed back', { programme: programmeId, board: boardId, changed: changed.length, added: added.length })
    this.logFitting(programmeId, boardId, outcome)
    return { changed, added: added.map((l) => l.id) }
  }

  async line(programmeId: string, lineId: string): Promise<ActionLineRecord> {
    const json = await this.storage.getRecord(programmeId, 'line', lineId)
    if (!json) throw new HttpError(404, `programme ${programmeId} has no action line ${lineId}`)
    return parse(ActionLineRecord, json)
  }

  /** A progress update (append-only), by the aanjager or the line's trekker; it may move the status. */
  async addUpdate(programmeId: string, lineId: string, body: ProgressUpdateBody): Promise<ProgressUpdate> {
    const line = await this.line(programmeId, lineId)
    const count = (await this.storage.listRecords(programmeId, `updates:${lineId}`)).length
    if (count >= MAX_UPDATES_PER_LINE) throw new HttpError(409, `an action line keeps at most ${MAX_UPDATES_PER_LINE} updates`)
    const at = this.now()
    const update: ProgressUpdate = { id: `${at.toString(36)}-${randomUUID().slice(0, 8)}`, lineId, at, author: body.author, text: body.text, status: body.status && body.status !== line.status ? body.status : null, from: body.status && body.status !== line.status ? line.status : null }
    if (!(await this.storage.insertRecord(programmeId, `updates:${lineId}`, update.id, JSON.stringify(update)))) throw new HttpError(409, 'that update exists already')
    await this.storage.putRecord(programmeId, 'line', lineId, JSON.stringify({ ...line, status: update.status ?? line.status, lastUpdateAt: at }))
    this.log.info('action line update', { programme: programmeId, line: lineId, status: update.status })
    return update
  }

  /** Progress posted from a line's werkplaats board (its facilitators are the line's trekkers). */
  async updateFromWerkplaats(boardId: BoardId, body: ProgressUpdateBody): Promise<ProgressUpdate> {
    const programmeId = await this.programmeOf(boardId)
    const line = programmeId ? (await this.lineRecords(programmeId)).find((l) => l.werkplaatsBoardId === boardId) : undefined
    if (!programmeId || !line) throw new HttpError(404, 'this board is not the werkplaats of an action line')
    return this.addUpdate(programmeId, line.id, body)
  }

  async setNextMeeting(programmeId: string, lineId: string, nextMeeting: string | null): Promise<ActionLineRecord> {
    const line = { ...(await this.line(programmeId, lineId)), nextMeeting }
    await this.storage.putRecord(programmeId, 'line', lineId, JSON.stringify(line))
    return line
  }

  /** What the progress report and the calendar are made of: the public view, with each line's history. */
  async reportData(programmeId: string, access: { role: ProgrammeRole; lineId?: string }): Promise<ProgrammeReportData> {
    const { view, history } = await this.viewWithHistory(programmeId, access)
    const lines = view.lines.map(({ stale: _stale, ...shown }) => ({ ...shown, updates: history.get(shown.id) ?? [] }))
    return { programme: view.programme, lines, smoelenboek: view.smoelenboek, generatedAt: this.now() }
  }

  /**
   * The action line's own werkplaats board, from the action-line template, its first frame
   * holding the line (motto, description, trekkers, themes) and the way back to the platform; the
   * board joins the programme as a werkplaats and the line links to it. The caller (aanjager or
   * the line's trekker) gets its facilitator link.
   */
  async createWerkplaats(programmeId: string, lineId: string): Promise<{ boardId: string; link: string }> {
    const programme = await this.get(programmeId)
    const line = await this.line(programmeId, lineId)
    if (line.werkplaatsBoardId && (await this.storage.getBoard(line.werkplaatsBoardId as BoardId))) throw new HttpError(409, 'this action line has its werkplaats already')
    const text = [
      `Actielijn ${line.number}: ${line.title}`,
      line.motto,
      line.description,
      line.trekkers.length > 0 ? `Trekkers: ${line.trekkers.map((p) => p.name).join(', ')}` : '',
      line.themes.length > 0 ? `Thema's: ${line.themes.map((t) => t.title).join(', ')}` : '',
      `Voortgang en meer: /p/${programmeId} (${programme.name})`,
    ].filter(Boolean).join('\n\n')
    const session = this.session({ ...programme, centraleOpgave: programme.centraleOpgave || line.title }, `Werkplaats ${line.number}: ${line.title}`, line.municipalities)
    const made = boardFromTemplate(findTemplate('actielijn-werkplaats')!, session, 'nl', ([first]) => {
      const b = new ShapeBuilder('werkplaats')
      b.text(40, 80, 900, text.slice(0, 8000), { parentId: first?.frameId, id: 'actielijn', structure: false })
      return b.shapes
    }, { programme: { programmeId, lineId } })
    const { boardId, link } = await this.store(programmeId, made, 'werkplaats')
    await this.storage.putRecord(programmeId, 'line', lineId, JSON.stringify({ ...line, werkplaatsBoardId: boardId }))
    this.log.info('werkplaats made', { programme: programmeId, line: lineId, board: boardId })
    return { boardId, link }
  }

  async experiments(programmeId: string): Promise<Experiment[]> {
    return (await this.storage.listRecords(programmeId, 'experiment')).map((r) => JSON.parse(r.json) as Experiment)
  }

  /** Anyone with a programme link proposes an experiment, with the three checks and why. */
  async proposeExperiment(programmeId: string, body: ExperimentBody): Promise<Experiment> {
    await this.line(programmeId, body.lineId)
    const lines = new Set((await this.lineRecords(programmeId)).map((l) => l.id))
    const unknown = body.noConflict.conflictsWith.find((id) => !lines.has(id))
    if (unknown) throw new HttpError(400, `noConflict.conflictsWith: no action line ${unknown} in this programme`)
    if ((await this.storage.listRecords(programmeId, 'experiment')).length >= MAX_LINES * 4) throw new HttpError(409, 'this programme has too many experiment proposals')
    const experiment: Experiment = { ...body, id: randomBytes(9).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x'), at: this.now(), state: 'proposed', reason: '', decidedAt: null }
    await this.storage.insertRecord(programmeId, 'experiment', experiment.id, JSON.stringify(experiment))
    this.log.info('experiment proposed', { programme: programmeId, line: body.lineId })
    return experiment
  }

  /**
   * The aanjager accepts (the experiment becomes an experiment card, with its checks, in the
   * Experimenten frame of its line's werkplaats board) or declines it with a reason.
   */
  async decideExperiment(programmeId: string, experimentId: string, decision: 'accepted' | 'declined', reason: string): Promise<Experiment> {
    const json = await this.storage.getRecord(programmeId, 'experiment', experimentId)
    if (!json) throw new HttpError(404, `no experiment ${experimentId} in this programme`)
    const experiment = JSON.parse(json) as Experiment
    if (experiment.state !== 'proposed') throw new HttpError(409, `this experiment was ${experiment.state} already`)
    if (decision === 'accepted') {
      const line = await this.line(programmeId, experiment.lineId)
      if (!line.werkplaatsBoardId) throw new HttpError(409, 'the action line has no werkplaats board yet: make it first, then accept')
      await this.changeBoard(line.werkplaatsBoardId as BoardId, (doc) => {
        const frame = readFacilitation(facilitationOf(doc)).agenda.find((a) => /Experimenten|Experiments/.test(a.title.nl + a.title.en))
        const records = recordsOf<{ parentId?: string; typeName?: string }>(doc)
        const siblings = [...records.values()].filter((r) => r.typeName === 'shape' && r.parentId === (frame?.frameId ?? 'page:page')).length
        const id = `shape:experiment-${experiment.id}`
        records.set(id, {
          id, typeName: 'shape', type: 'experiment', x: 40 + (siblings % 3) * 340, y: 80 + Math.floor(siblings / 3) * 260, rotation: 0,
          index: `a${(siblings % 9) + 1}`, parentId: frame?.frameId ?? 'page:page', isLocked: false, opacity: 1, meta: { experiment: experiment.id },
          props: { w: 320, h: 240, title: experiment.title, description: experiment.description, horizon: experiment.horizon.ok, noConflict: experiment.noConflict.ok, transformation: experiment.transformation.ok },
        } as never)
      })
    }
    const decided: Experiment = { ...experiment, state: decision, reason, decidedAt: this.now() }
    await this.storage.putRecord(programmeId, 'experiment', experimentId, JSON.stringify(decided))
    this.log.info('experiment decided', { programme: programmeId, decision })
    return decided
  }

  private async storedSignUps(programmeId: string): Promise<StoredSignUp[]> {
    return (await this.storage.listRecords(programmeId, 'signup')).map((r) => JSON.parse(r.json) as StoredSignUp)
  }

  /** A resident joins an action line: their own link (shown once) lets them see, export or remove it. */
  async signUp(programmeId: string, lineId: string, body: SignUpBody): Promise<SignedUp> {
    await this.line(programmeId, lineId)
    if ((await this.storedSignUps(programmeId)).filter((s) => s.lineId === lineId).length >= MAX_SIGNUPS_PER_LINE) throw new HttpError(409, `an action line takes at most ${MAX_SIGNUPS_PER_LINE} sign-ups through the platform`)
    const key = randomBytes(18).toString('base64url')
    const stored: StoredSignUp = {
      id: randomBytes(9).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x'), lineId, name: body.name, contact: body.contact,
      organisation: body.organisation, group: body.group, smoelenboek: body.smoelenboek, at: this.now(), keyHash: sha256Hex(key),
    }
    await this.storage.insertRecord(programmeId, 'signup', stored.id, JSON.stringify(stored))
    this.log.info('sign-up for an action line', { programme: programmeId, line: lineId })
    return { signup: publicSignUp(stored), manageLink: `/p/${programmeId}?signup=${stored.id}&key=${key}` }
  }

  /** The sign-ups the caller may see with their contact: all for the aanjager, their own line's for a trekker. */
  async signUpsFor(programmeId: string, access: { role: ProgrammeRole; lineId?: string }): Promise<SignUp[]> {
    if (access.role === 'public') throw new HttpError(403, 'only the aanjager and trekkers see who signed up')
    const all = (await this.storedSignUps(programmeId)).map(publicSignUp)
    return access.role === 'aanjager' ? all : all.filter((s) => s.lineId === access.lineId)
  }

  /** A sign-up, for the person (their link's key) or the aanjager; 404 for anything else (no hint it exists). */
  async ownSignUp(programmeId: string, signupId: string, key: string | undefined, aanjager: boolean): Promise<SignUp> {
    const json = await this.storage.getRecord(programmeId, 'signup', signupId)
    const stored = json ? (JSON.parse(json) as StoredSignUp) : null
    if (!stored || (!aanjager && (!key || sha256Hex(key) !== stored.keyHash))) throw new HttpError(404, 'no such sign-up (or the link is not right)')
    return publicSignUp(stored)
  }

  /** Everything the programme keeps about the person behind a sign-up (their right of access). */
  async exportSignUp(programmeId: string, signupId: string, key: string | undefined, aanjager: boolean): Promise<{ signup: SignUp; line: { id: string; number: number; title: string }; programme: string }> {
    const signup = await this.ownSignUp(programmeId, signupId, key, aanjager)
    const line = await this.line(programmeId, signup.lineId)
    return { signup, line: { id: line.id, number: line.number, title: line.title }, programme: (await this.get(programmeId)).name }
  }

  /** Removes a sign-up for good (the person's request, or the aanjager's on their behalf). */
  async deleteSignUp(programmeId: string, signupId: string, key: string | undefined, aanjager: boolean): Promise<void> {
    await this.ownSignUp(programmeId, signupId, key, aanjager)
    await this.storage.deleteRecord(programmeId, 'signup', signupId)
    this.log.info('sign-up removed on request', { programme: programmeId })
  }
}

/** Trekkers (named on their lines) and residents who opted in; never a contact detail. */
function smoelenboekOf(lines: ActionLineSummary[], signups: SignUp[]): SmoelenboekEntry[] {
  const people = new Map<string, SmoelenboekEntry>()
  const add = (name: string, organisation: string, group: string, role: SmoelenboekEntry['role'], line: ActionLineSummary) => {
    const key = `${role}|${name.toLowerCase()}|${organisation.toLowerCase()}`
    const entry = people.get(key) ?? { name, organisation, group, role, lines: [] }
    if (!entry.lines.some((l) => l.id === line.id)) entry.lines.push({ id: line.id, number: line.number, title: line.title })
    people.set(key, entry)
  }
  for (const line of lines) for (const t of line.trekkers) add(t.name, t.organisation, '', 'trekker', line)
  for (const s of signups) {
    const line = lines.find((l) => l.id === s.lineId)
    if (s.smoelenboek && line) add(s.name, s.organisation, s.group, 'betrokkene', line)
  }
  return [...people.values()].sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name, 'nl') : a.role === 'trekker' ? -1 : 1))
}
