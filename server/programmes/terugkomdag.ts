/**
 * The terugkomdag ("two meetings a year"): a board filled from the programme as it is now, and
 * what it decides flowing back into the programme when it is closed.
 */
import type { BoardId } from '../../shared/board-id.ts'
import { ShapeBuilder } from '../../shared/format/records.ts'
import type { Template } from '../../shared/format/templates.ts'
import { dayInNetherlands } from '../../shared/netherlands-time.ts'
import { linesFromOutcome, type ProgressUpdate } from '../../shared/programme.ts'
import { boardFromTemplate } from '../session/board-factory.ts'
import type { Logger } from '../log.ts'
import { logFitting, type ActionLines } from './action-lines.ts'
import type { Experiments } from './experiments.ts'
import type { ProgrammeBoards } from './programme-boards.ts'
import type { ProgrammeRecords } from './programme-records.ts'

export class Terugkomdag {
  private readonly records: ProgrammeRecords
  private readonly boards: ProgrammeBoards
  private readonly lines: ActionLines
  private readonly experiments: Experiments
  private readonly log: Logger
  private readonly now: () => number

  constructor(records: ProgrammeRecords, boards: ProgrammeBoards, lines: ActionLines, experiments: Experiments, log: Logger, now: () => number) {
    this.records = records
    this.boards = boards
    this.lines = lines
    this.experiments = experiments
    this.log = log
    this.now = now
  }

  /**
   * A follow-up meeting: a board filled from the programme as it is now — a frame per action line
   * with its card (status, trekkers) and the progress since the previous meeting, then wat loopt
   * goed / waar lopen we vast / wat hebben we nodig, the experiments proposed, and a frame for new
   * action lines. What it decides flows back when it is closed (flowBack).
   */
  async start(programmeId: string, lang: 'nl' | 'en' = 'nl'): Promise<{ boardId: string; link: string }> {
    const programme = await this.records.programme(programmeId)
    const lines = await this.records.lines(programmeId)
    const boards = await this.records.boards(programmeId)
    const previous = Math.max(programme.createdAt, ...boards.filter((b) => b.kind === 'terugkomdag').map((b) => b.addedAt))
    const day = dayInNetherlands(this.now())
    const frame = (title: string, instructions: string, phase: 'free' | 'action-lines' = 'free') => ({
      phase,
      layout: 'plain' as const,
      title: { nl: title, en: title },
      instructions: { nl: instructions, en: instructions },
      w: 1000,
      h: 620,
      minutes: 15,
    })
    const template: Template = {
      id: 'terugkomdag',
      name: { nl: 'Terugkomdag', en: 'Follow-up meeting' },
      description: { nl: 'Terugkomdag van een programma', en: "A programme's follow-up meeting" },
      frames: [
        ...lines.map((l) =>
          frame(
            `${l.number}. ${l.title}`.slice(0, 500),
            'Hoe staat deze actielijn ervoor? Pas de status en de trekkers op de kaart aan als dat besloten wordt.',
            'action-lines',
          ),
        ),
        frame('Wat loopt goed', 'Wat werkt, waar zijn we trots op?'),
        frame('Waar lopen we vast', 'Waar zit het vast, wat houdt ons tegen?'),
        frame('Wat hebben we nodig', 'Mensen, geld, ruimte, regels — en van wie?'),
        frame('Nieuwe experimenten', 'De voorgestelde experimenten; nieuwe ideeën, getoetst aan de drie criteria.'),
        frame(
          'Nieuwe actielijnen',
          'Een nieuwe actielijn: maak er hier een actielijnkaart voor, met trekkers. Bij het sluiten komt ze in het programma.',
          'action-lines',
        ),
      ],
    }
    const session = this.boards.session(programme, `Terugkomdag ${day} — ${programme.name}`)
    const experiments = (await this.experiments.list(programmeId)).filter((e) => e.state === 'proposed')
    const since = new Map<string, ProgressUpdate[]>()
    for (const line of lines)
      since.set(
        line.id,
        (await this.records.updates(programmeId, line.id)).filter((u) => u.at > previous),
      )
    const made = boardFromTemplate(template, session, lang, (slots) => {
      const b = new ShapeBuilder('terugkomdag')
      lines.forEach((line, i) => {
        const { frameId, inner } = slots[i]!
        const updates = since.get(line.id) ?? []
        b.add(
          'action-line',
          inner.x,
          inner.y,
          {
            w: 360,
            h: 260,
            number: line.number,
            title: line.title,
            motto: line.motto,
            description: line.description,
            themeIds: [],
            trekkers: line.trekkers,
            betrokkenen: line.betrokkenen,
            gemeenteRol: line.gemeenteRol ?? '',
            status: line.status,
          },
          { parentId: frameId, id: `line-${line.id}`, meta: { lineId: line.id } },
        )
        b.text(
          inner.x + 400,
          inner.y,
          560,
          [
            `Status: ${line.status}. Trekkers: ${line.trekkers.map((p) => p.name).join(', ') || '—'}`,
            updates.length === 0 ? 'Geen voortgang gemeld sinds de vorige bijeenkomst.' : 'Sinds de vorige bijeenkomst:',
            ...updates.map((u) => `• ${dayInNetherlands(u.at)} ${u.author}${u.status ? ` [${u.status}]` : ''}: ${u.text}`),
          ]
            .join('\n')
            .slice(0, 8000),
          { parentId: frameId, id: `since-${line.id}`, structure: false },
        )
      })
      const { frameId, inner } = slots[lines.length + 3]!
      if (experiments.length > 0)
        b.text(
          inner.x,
          inner.y,
          900,
          experiments
            .map((e) => `• ${e.title} (${e.proposer})`)
            .join('\n')
            .slice(0, 8000),
          { parentId: frameId, id: 'experiments', structure: false },
        )
      return b.shapes
    })
    const started = await this.boards.store(programmeId, made, 'terugkomdag')
    this.log.info('terugkomdag started', { programme: programmeId, board: started.boardId, lines: lines.length })
    return started
  }

  /**
   * What a closed terugkomdag decided goes back into the programme: a line's card with another
   * status or other trekkers becomes a progress update (and the line's new status and trekkers);
   * an action-line card that is not one of the programme's lines becomes a new line.
   */
  async flowBack(programmeId: string, boardId: BoardId): Promise<{ changed: string[]; added: string[] }> {
    const outcome = await this.boards.outcomeOf(boardId)
    const title = await this.boards.titleOf(boardId)
    const existing = new Map((await this.records.lines(programmeId)).map((l) => [l.id, l]))
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
      await this.lines.addUpdate(programmeId, line.id, {
        text: `Besloten op ${title ?? 'de terugkomdag'}: ${notes.join('; ')}`.slice(0, 4000),
        author: 'Terugkomdag',
        ...(card.status !== line.status ? { status: card.status } : {}),
      })
      const updated = await this.records.line(programmeId, line.id)
      await this.records.putLine(programmeId, { ...updated, trekkers: card.trekkers })
      changed.push(line.id)
    }
    let next = Math.max(0, ...[...existing.values()].map((l) => l.number))
    const added = linesFromOutcome(
      { ...outcome, actionLines: fresh.map((c) => ({ ...c, number: c.number > next ? c.number : ++next })) },
      programmeId,
      boardId,
      this.now(),
      existing,
    )
    for (const line of added) await this.records.putLine(programmeId, line)
    this.log.info('terugkomdag flowed back', { programme: programmeId, board: boardId, changed: changed.length, added: added.length })
    logFitting(this.log, programmeId, boardId, outcome)
    return { changed, added: added.map((l) => l.id) }
  }
}
