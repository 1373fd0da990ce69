/**
 * Everyone's timer runs on the server's clock. A client measures its offset to the server (an
 * NTP-style exchange with GET /api/time, keeping the sample with the shortest round trip) and
 * computes the remaining time from `endsAt`, a server timestamp.
 */

export interface ClockSample {
  /** Local time the request left. */
  sent: number
  /** Server time in the answer. */
  serverNow: number
  /** Local time the answer arrived. */
  received: number
}

/** Server time minus local time, from the sample with the shortest round trip. */
export function estimateOffset(samples: ClockSample[]): number {
  if (samples.length === 0) return 0
  const best = samples.reduce((a, b) => (b.received - b.sent < a.received - a.sent ? b : a))
  return best.serverNow - (best.sent + best.received) / 2
}

export async function measureOffset(fetchServerNow: () => Promise<number>, localNow: () => number = Date.now, rounds = 3): Promise<number> {
  const samples: ClockSample[] = []
  for (let i = 0; i < rounds; i++) {
    const sent = localNow()
    const serverNow = await fetchServerNow()
    samples.push({ sent, serverNow, received: localNow() })
  }
  return estimateOffset(samples)
}

export type TimerState =
  | { state: 'idle'; durationMs: number }
  | { state: 'running'; endsAt: number; durationMs: number }
  | { state: 'paused'; remainingMs: number; durationMs: number }

export function remainingMs(timer: TimerState, serverNow: number): number {
  switch (timer.state) {
    case 'idle':
      return timer.durationMs
    case 'running':
      return Math.max(0, timer.endsAt - serverNow)
    case 'paused':
      return timer.remainingMs
    default: {
      const unreachable: never = timer
      return unreachable
    }
  }
}

export function startTimer(timer: TimerState, serverNow: number): TimerState {
  if (timer.state === 'running') return timer
  const left = timer.state === 'paused' ? timer.remainingMs : timer.durationMs
  return { state: 'running', endsAt: serverNow + left, durationMs: timer.durationMs }
}

export function pauseTimer(timer: TimerState, serverNow: number): TimerState {
  if (timer.state !== 'running') return timer
  return { state: 'paused', remainingMs: remainingMs(timer, serverNow), durationMs: timer.durationMs }
}

/** Adds (or, negative, takes off) time; never below zero. */
export function addTime(timer: TimerState, ms: number, serverNow = Date.now()): TimerState {
  switch (timer.state) {
    case 'idle':
      return { ...timer, durationMs: Math.max(0, timer.durationMs + ms) }
    case 'running': {
      const endsAt = Math.max(serverNow, timer.endsAt + ms)
      return { ...timer, endsAt, durationMs: Math.max(0, timer.durationMs + (endsAt - timer.endsAt)) }
    }
    case 'paused': {
      const remainingMs = Math.max(0, timer.remainingMs + ms)
      return { ...timer, remainingMs, durationMs: Math.max(0, timer.durationMs + (remainingMs - timer.remainingMs)) }
    }
    default: {
      const unreachable: never = timer
      return unreachable
    }
  }
}

export function formatClock(ms: number): string {
  const total = Math.ceil(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0')
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`
}
