/**
 * What an operator watches during a 24-hour conference, in Prometheus format (prom-client: the
 * standard Node client, with the process and event-loop metrics built in). One registry per
 * server — no global state, so tests run several servers in one process.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { Storage } from './storage/storage.ts'

export type Direction = 'in' | 'out'

export interface ServerMetrics {
  readonly registry: Registry
  /** A WebSocket frame received from or sent to a client. */
  frame(direction: Direction, bytes: number): void
  /** A connection or upgrade refused: a close code (4403) or an HTTP status (`http-401`). */
  refused(code: number | string): void
  /** Time to judge and apply one client update. */
  applied(seconds: number): void
  snapshotTaken(seconds: number): void
  /** Storage with its writes timed. */
  timeStorage(storage: Storage): Storage
  /** One HTTP request answered. */
  request(method: string, route: string, status: number, seconds: number): void
}

/** `target` with some members replaced, the rest delegated to it. */
const override = <T extends object>(target: T, members: Partial<T>): T => Object.assign(Object.create(target) as T, members)

export function createMetrics(live: () => { boards: number; connections: number }): ServerMetrics {
  const registry = new Registry()
  // Process CPU/memory, GC, handles and `nodejs_eventloop_lag_*` (from monitorEventLoopDelay).
  collectDefaultMetrics({ register: registry })
  const registers = [registry]

  new Gauge({
    name: 'board_connections',
    help: 'Open WebSocket connections',
    registers,
    collect() {
      this.set(live().connections)
    },
  })
  new Gauge({
    name: 'board_rooms_loaded',
    help: 'Boards held in memory',
    registers,
    collect() {
      this.set(live().boards)
    },
  })
  const messages = new Counter({ name: 'board_ws_messages_total', help: 'WebSocket frames, by direction', labelNames: ['direction'] as const, registers })
  const bytes = new Counter({ name: 'board_ws_bytes_total', help: 'WebSocket payload bytes, by direction', labelNames: ['direction'] as const, registers })
  const refusals = new Counter({
    name: 'board_refusals_total',
    help: 'Connections closed or upgrades refused, by close code or HTTP status',
    labelNames: ['code'] as const,
    registers,
  })
  const apply = new Histogram({
    name: 'board_update_apply_seconds',
    help: 'Judging and applying one client update',
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers,
  })
  const storageWrite = new Histogram({
    name: 'board_storage_write_seconds',
    help: 'Storage writes, by operation',
    labelNames: ['op'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers,
  })
  const snapshot = new Histogram({
    name: 'board_snapshot_seconds',
    help: 'Taking one snapshot',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  })
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  })
  const requestSeconds = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers,
  })

  const timed =
    <A extends unknown[], R>(op: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const end = storageWrite.startTimer({ op })
      try {
        return await fn(...args)
      } finally {
        end()
      }
    }

  return {
    registry,
    frame(direction, size) {
      messages.inc({ direction })
      bytes.inc({ direction }, size)
    },
    refused: (code) => refusals.inc({ code: String(code) }),
    applied: (seconds) => apply.observe(seconds),
    snapshotTaken: (seconds) => snapshot.observe(seconds),
    // Delegates everything else to the storage itself (a spread would drop a class's methods).
    timeStorage: (storage) => {
      const { log, snapshots, catalogue } = storage
      return override(storage, {
        log: override(log, {
          append: timed('append', log.append.bind(log)),
          compact: timed('compact', log.compact.bind(log)),
          addLateUpdate: timed('late-update', log.addLateUpdate.bind(log)),
        }),
        snapshots: override(snapshots, { add: timed('snapshot', snapshots.add.bind(snapshots)) }),
        catalogue: override(catalogue, { create: timed('create-board', catalogue.create.bind(catalogue)) }),
      })
    },
    request(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) })
      requestSeconds.observe({ method, route }, seconds)
    },
  }
}
