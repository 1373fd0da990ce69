/**
 * The soak's two server processes (tests/helpers/cluster.ts): their memory over time, what they
 * log (refusals and errors, read from their JSON log lines on stderr), and the kills — one of
 * them SIGKILLed every so often, alternating, and started again a few seconds later.
 */
import { readFileSync } from 'node:fs'
import type { TestCluster } from '../helpers/cluster.ts'
import { CloseCode } from '../../shared/protocol.ts'
import type { Ledger } from './soak-ledger.ts'

/** How long a killed process stays down before it is started again (a supervisor's restart delay). */
export const RESTART_AFTER_MS = 3_000
const PINO_ERROR = 50
export const NAMES = ['A', 'B', 'C', 'D']

export interface Kill {
  at: number
  index: number
  /** When it listened again (performance.now()). */
  back?: number
}

/** A reason with its numbers taken out, so the same refusal is counted under one label. */
const general = (text: string) => text.replace(/\d+/g, 'N').slice(0, 160)

export class SoakServers {
  readonly kills: Kill[] = []
  /** RSS in MB per process (null while it is down), sampled every few seconds. */
  readonly samples: { at: number; rss: (number | null)[] }[] = []
  restarts: number[]
  private killing: Promise<void> = Promise.resolve()

  readonly cluster: TestCluster
  private readonly ledger: Ledger

  constructor(cluster: TestCluster, ledger: Ledger) {
    this.cluster = cluster
    this.ledger = ledger
    this.restarts = cluster.nodes.map(() => 0)
    cluster.nodes.forEach((_, i) => this.watch(i))
  }

  /** Reads process `i`'s log: a connection closed for any reason but a shutdown is a refusal. */
  private watch(i: number): void {
    let partial = ''
    this.cluster.nodes[i]!.process.child.stderr!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n')
      partial = lines.pop()!
      for (const line of lines) {
        if (!line.trim()) continue
        let entry: { level?: number; msg?: string; code?: number; role?: string; detail?: string; reason?: string }
        try {
          entry = JSON.parse(line) as typeof entry
        } catch {
          this.ledger.serverErrors.add(`(not a log line) ${general(line)}`)
          continue
        }
        if (entry.msg === 'closing connection' && entry.code !== CloseCode.goingAway) {
          this.ledger.refusals.servers.add(`${entry.role}: ${entry.code} ${general(entry.detail ?? entry.reason ?? '')}`)
          this.ledger.note(`server ${NAMES[i]} refused a ${entry.role}: ${entry.code} ${(entry.detail ?? entry.reason ?? '').slice(0, 200)}`)
        } else if ((entry.level ?? 0) >= PINO_ERROR) this.ledger.serverErrors.add(general(entry.msg ?? line))
      }
    })
  }

  rss(i: number): number | null {
    const node = this.cluster.nodes[i]!
    if (!node.alive) return null
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${node.process.child.pid}/status`, 'utf8'))![1]) / 1024
    } catch {
      return null
    }
  }

  sample(): void {
    this.samples.push({ at: performance.now(), rss: this.cluster.nodes.map((_, i) => this.rss(i)) })
  }

  /** SIGKILL process `index`, and start it again RESTART_AFTER_MS later on the same port. */
  kill(index: number): Promise<void> {
    this.killing = this.killing.then(async () => {
      const kill: Kill = { at: performance.now(), index }
      this.kills.push(kill)
      this.ledger.note(`SIGKILL ${NAMES[index]}`)
      await this.cluster.kill(index)
      await new Promise((resolve) => setTimeout(resolve, RESTART_AFTER_MS))
      await this.cluster.restart(index)
      this.restarts[index]!++
      this.watch(index)
      kill.back = performance.now()
      this.ledger.note(`${NAMES[index]} listening again`)
    })
    return this.killing
  }

  /** Kills every `everyMs`, alternating between the processes; the returned stop waits for a restart under way. */
  schedule(everyMs: number, until: number): () => Promise<void> {
    const timer = setInterval(() => {
      if (performance.now() + RESTART_AFTER_MS * 2 < until) void this.kill(this.kills.length % this.cluster.nodes.length)
    }, everyMs)
    return async () => {
      clearInterval(timer)
      await this.killing
    }
  }

  /** A clean stop of every process and a start again: what PostgreSQL holds is all they have. */
  async restartAll(): Promise<void> {
    await this.killing
    for (let i = 0; i < this.cluster.nodes.length; i++) await this.cluster.stop(i)
    for (let i = 0; i < this.cluster.nodes.length; i++) {
      await this.cluster.restart(i)
      this.watch(i)
    }
  }
}
