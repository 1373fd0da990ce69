/**
 * Experiments proposed to a programme, with the toetsingskader's three checks and why; the
 * aanjager accepts one (it becomes an experiment card in its line's werkplaats board) or declines
 * it with a reason.
 */
import { randomBytes } from 'node:crypto'
import type * as Y from 'yjs'
import type { BoardId } from '../../shared/board-id.ts'
import { recordsOf } from '../../shared/doc-layout.ts'
import { facilitationOf, readFacilitation } from '../../shared/facilitation.ts'
import type { Experiment, ExperimentBody } from '../../shared/programme.ts'
import { HttpError } from '../http/http-error.ts'
import type { Logger } from '../log.ts'
import type { Storage } from '../storage/storage.ts'
import { MAX_LINES } from './action-lines.ts'
import type { ProgrammeRecords } from './programme-records.ts'

const KIND = 'experiment'
/** A link holder cannot grow storage without end. */
const MAX_EXPERIMENTS = MAX_LINES * 4

export class Experiments {
  private readonly storage: Pick<Storage, 'records'>
  private readonly records: ProgrammeRecords
  private readonly log: Logger
  private readonly now: () => number
  /** A change to a board, live for whoever has it open (the server's rooms). */
  private readonly changeBoard: (id: BoardId, fn: (doc: Y.Doc) => void) => Promise<void>

  constructor(
    storage: Pick<Storage, 'records'>,
    records: ProgrammeRecords,
    log: Logger,
    now: () => number,
    changeBoard: (id: BoardId, fn: (doc: Y.Doc) => void) => Promise<void>,
  ) {
    this.storage = storage
    this.records = records
    this.log = log
    this.now = now
    this.changeBoard = changeBoard
  }

  async list(programmeId: string): Promise<Experiment[]> {
    return (await this.storage.records.list(programmeId, KIND)).map((r) => JSON.parse(r.json) as Experiment)
  }

  /** Anyone with a programme link proposes an experiment, with the three checks and why. */
  async propose(programmeId: string, body: ExperimentBody): Promise<Experiment> {
    await this.records.line(programmeId, body.lineId)
    const lines = new Set((await this.records.lines(programmeId)).map((l) => l.id))
    const unknown = body.noConflict.conflictsWith.find((id) => !lines.has(id))
    if (unknown) throw new HttpError(400, `noConflict.conflictsWith: no action line ${unknown} in this programme`)
    if ((await this.storage.records.list(programmeId, KIND)).length >= MAX_EXPERIMENTS)
      throw new HttpError(409, 'this programme has too many experiment proposals')
    const experiment: Experiment = {
      ...body,
      id: randomBytes(9)
        .toString('base64url')
        .replace(/[^A-Za-z0-9]/g, 'x'),
      at: this.now(),
      state: 'proposed',
      reason: '',
      decidedAt: null,
    }
    await this.storage.records.insert(programmeId, KIND, experiment.id, JSON.stringify(experiment))
    this.log.info('experiment proposed', { programme: programmeId, line: body.lineId })
    return experiment
  }

  /**
   * The aanjager accepts (the experiment becomes an experiment card, with its checks, in the
   * Experimenten frame of its line's werkplaats board) or declines it with a reason.
   */
  async decide(programmeId: string, experimentId: string, decision: 'accepted' | 'declined', reason: string): Promise<Experiment> {
    const json = await this.storage.records.get(programmeId, KIND, experimentId)
    if (!json) throw new HttpError(404, `no experiment ${experimentId} in this programme`)
    const experiment = JSON.parse(json) as Experiment
    if (experiment.state !== 'proposed') throw new HttpError(409, `this experiment was ${experiment.state} already`)
    if (decision === 'accepted') {
      const line = await this.records.line(programmeId, experiment.lineId)
      if (!line.werkplaatsBoardId) throw new HttpError(409, 'the action line has no werkplaats board yet: make it first, then accept')
      await this.changeBoard(line.werkplaatsBoardId as BoardId, (doc) => placeCard(doc, experiment))
    }
    const decided: Experiment = { ...experiment, state: decision, reason, decidedAt: this.now() }
    await this.storage.records.put(programmeId, KIND, experimentId, JSON.stringify(decided))
    this.log.info('experiment decided', { programme: programmeId, decision })
    return decided
  }
}

/** The experiment's card in the board's Experimenten frame (or on the page), after its siblings in rows of three. */
function placeCard(doc: Y.Doc, experiment: Experiment): void {
  const frame = readFacilitation(facilitationOf(doc)).agenda.find((a) => /Experimenten|Experiments/.test(a.title.nl + a.title.en))
  const records = recordsOf<{ parentId?: string; typeName?: string }>(doc)
  const siblings = [...records.values()].filter((r) => r.typeName === 'shape' && r.parentId === (frame?.frameId ?? 'page:page')).length
  const id = `shape:experiment-${experiment.id}`
  records.set(id, {
    id,
    typeName: 'shape',
    type: 'experiment',
    x: 40 + (siblings % 3) * 340,
    y: 80 + Math.floor(siblings / 3) * 260,
    rotation: 0,
    index: `a${(siblings % 9) + 1}`,
    parentId: frame?.frameId ?? 'page:page',
    isLocked: false,
    opacity: 1,
    meta: { experiment: experiment.id },
    props: {
      w: 320,
      h: 240,
      title: experiment.title,
      description: experiment.description,
      horizon: experiment.horizon.ok,
      noConflict: experiment.noConflict.ok,
      transformation: experiment.transformation.ok,
    },
  } as never)
}
