/**
 * The soak's facilitator: walks the agenda with the very actions the facilitator's controls run
 * (client/board/facilitation.ts: phase, timer, private round and reveal, written into the
 * document), starts and closes dot votes and takes a snapshot at the end of each phase through
 * the HTTP API, as the browser does — all through nginx.
 */
import { facilitatorActions } from '../../client/board/facilitation.ts'
import type { AgendaItem } from '../../shared/facilitation.ts'
import { tokenFor } from '../helpers/server.ts'
import { SoakClient } from './soak-client.ts'
import type { Ledger } from './soak-ledger.ts'
import { RATES } from './soak-participant.ts'

/** When, as fractions of a phase, its private round opens and is revealed and its vote opens and closes. */
interface PhasePlan {
  privateRound?: [number, number]
  vote?: [number, number]
}

/** Which phases of the 24-uursconferentie get a private round and a dot vote (the rest: cards only). */
export const PLAN: Record<string, PhasePlan> = {
  trends: { privateRound: [0.05, 0.45], vote: [0.55, 0.95] },
  future: { privateRound: [0.05, 0.5] },
  'common-ground': { vote: [0.4, 0.9] },
  'action-lines': { privateRound: [0.1, 0.4], vote: [0.6, 0.95] },
}

/** Attempts of an API call that failed on the way (nginx, a process down), as a person clicks again. */
const ATTEMPTS = 3

export class Facilitator extends SoakClient {
  /** How long the open vote stays open: participants place their dots within it. */
  castWithinMs = 0
  readonly votes = { started: 0, closed: 0 }
  readonly snapshots = { taken: 0 }

  private readonly httpUrl: string

  constructor(wsUrl: string, httpUrl: string, board: string, ledger: Ledger) {
    super(wsUrl, board, 'facilitator', 'Gespreksleider', '', ledger)
    this.httpUrl = httpUrl
  }

  private actions() {
    return facilitatorActions(this.doc, Date.now)
  }

  /** One API call; refusals are counted (and calls that failed on the way retried). */
  async api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T | null> {
    const route = path.replace(/[0-9a-f-]{36}/g, ':id')
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const result = await fetch(`${this.httpUrl}/api/boards/${this.board}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(this.board, 'facilitator')}` },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }).then(
        async (r) => ({ status: r.status, json: (await r.json().catch(() => ({}))) as T & { error?: string } }),
        (error: unknown) => ({ status: 0, json: { error: (error as Error).message } as T & { error?: string } }),
      )
      if (result.status >= 200 && result.status < 300) return result.json
      this.ledger.refusals.http.add(`facilitator: ${method} ${route} ${result.status}: ${result.json.error ?? ''}`)
      this.ledger.note(`facilitator: ${method} ${route} answered ${result.status} ${result.json.error ?? ''}`)
      if (result.status !== 0 && result.status < 500) return null
      await new Promise((resolve) => setTimeout(resolve, 2_000))
    }
    return null
  }

  /** One phase, `ms` long: to it, the timer, its private round and vote, a snapshot at its end. */
  async runPhase(index: number, item: AgendaItem, ms: number): Promise<void> {
    const started = performance.now()
    const at = (fraction: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, started + fraction * ms - performance.now())))
    const a = this.actions()
    this.ledger.note(`phase ${index + 1}: ${item.phase}${this.online ? '' : ' (the facilitator is offline: sent on reconnecting)'}`)
    a.goToPhase(index)
    a.resetTimer(ms / 60_000)
    a.start()
    const plan = PLAN[item.phase] ?? {}
    const steps: { at: number; run: () => Promise<void> | void }[] = []
    if (plan.privateRound) {
      steps.push({
        at: plan.privateRound[0],
        run: () => {
          this.ledger.note('private round opens')
          this.actions().startPrivateRound(item.frameId)
        },
      })
      steps.push({
        at: plan.privateRound[1],
        run: () => {
          this.ledger.note('private round revealed')
          this.actions().reveal()
        },
      })
    }
    if (plan.vote) {
      const [open, close] = plan.vote
      let voteId: string | undefined
      steps.push({
        at: open,
        run: async () => {
          this.castWithinMs = (close - open) * ms
          voteId = (await this.api<{ id: string }>('POST', '/votes', { frameId: item.frameId, dots: RATES.dots }))?.id
          if (voteId) this.votes.started++
          this.ledger.note(`vote ${voteId ? 'opened' : 'could not open'}`)
        },
      })
      steps.push({
        at: close,
        run: async () => {
          const closed = voteId !== undefined && (await this.api('POST', `/votes/${voteId}/close`, {})) !== null
          if (closed) this.votes.closed++
          this.ledger.note(`vote ${closed ? 'closed' : 'could not close'}`)
        },
      })
    }
    steps.push({
      at: 1,
      run: async () => void ((await this.api('POST', '/snapshots', { name: `Einde ${item.title.nl}`.slice(0, 120), by: this.name })) && this.snapshots.taken++),
    })
    for (const step of steps.sort((x, y) => x.at - y.at)) {
      await at(step.at)
      await step.run()
    }
  }
}
