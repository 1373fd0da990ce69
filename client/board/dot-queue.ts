/**
 * Dots placed while the board's connection is down wait here, in order, and go when it is back
 * (issue 19: the soak saw 16 dots refused in the seconds participants' sockets were down, and the
 * vote bar showed each as a refusal). Every dot carries a request id chosen here, the same on
 * every try, so a retry after a lost answer is not placed twice (the server remembers it).
 */
import type { MyDots } from '../../shared/api.ts'
import { ApiError } from '../api-client.ts'

export interface PendingDot {
  requestId: string
  voteId: string
  shapeId: string
  delta: 1 | -1
  /** 403s in a row: right after a reconnect the server may not have this browser's presence yet. */
  notYetVoter: number
}

/** A 403 this often in a row, a second or two apart, is a real refusal (the presence is judged within a round trip). */
export const MAX_NOT_YET = 3

/** 128 random bits as hex: crypto.randomUUID needs a secure context, and plain HTTP on a venue's network is supported. */
export function newRequestId(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export function pendingDot(voteId: string, shapeId: string, delta: 1 | -1): PendingDot {
  return { requestId: newRequestId(), voteId, shapeId, delta, notYetVoter: 0 }
}

/** The server's last answer with the waiting dots of this vote counted in: what the bar shows. */
export function withPending(mine: MyDots | null, dots: number, queue: readonly PendingDot[], voteId: string): MyDots {
  const shown: MyDots = mine ? { ...mine, mine: { ...mine.mine } } : { open: true, dots, mine: {}, left: dots }
  for (const dot of queue) {
    if (dot.voteId !== voteId) continue
    shown.mine[dot.shapeId] = (shown.mine[dot.shapeId] ?? 0) + dot.delta
    shown.left -= dot.delta
  }
  return shown
}

/**
 * What to do with a waiting dot whose send failed: `wait` (no connection: it stays, and goes
 * when the connection is back), `again` (a 403 just after a reconnect: try once more shortly),
 * or `refused` (a real refusal: the vote closed, no dots left — the person is told).
 */
export function afterFailure(error: unknown, dot: PendingDot): 'wait' | 'again' | 'refused' {
  if (!(error instanceof ApiError)) return 'refused'
  // No answer, or the proxy's while a server restarts: the same request id makes the retry safe.
  if (error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504) return 'wait'
  if (error.status === 403 && dot.notYetVoter + 1 < MAX_NOT_YET) return 'again'
  return 'refused'
}
