import { describe, expect, it } from 'vitest'
import { addTime, estimateOffset, formatClock, measureOffset, pauseTimer, remainingMs, startTimer, type TimerState } from '../../shared/server-clock.ts'
import { startServer } from '../helpers/server.ts'

describe("the timer on the server's clock", () => {
  it('two clients whose clocks are 30 s apart show the same remaining time within 1 s', async () => {
    const { url } = await startServer()
    const serverNow = async () => ((await (await fetch(`${url}/api/time`)).json()) as { now: number }).now
    const fast = () => Date.now() + 30_000
    const slow = () => Date.now() - 1_500
    const [offsetFast, offsetSlow] = await Promise.all([measureOffset(serverNow, fast), measureOffset(serverNow, slow)])
    // The facilitator started a 10-minute timer, on the server's clock.
    const timer = startTimer({ state: 'idle', durationMs: 600_000 }, await serverNow())
    const leftFast = remainingMs(timer, fast() + offsetFast)
    const leftSlow = remainingMs(timer, slow() + offsetSlow)
    expect(Math.abs(leftFast - leftSlow)).toBeLessThan(1_000)
    expect(leftFast).toBeGreaterThan(590_000)
    // Without the offset they would be 31.5 s apart.
    expect(Math.abs(remainingMs(timer, fast()) - remainingMs(timer, slow()))).toBeGreaterThan(30_000)
  })

  it('estimates the offset from the fastest round trip', () => {
    expect(
      estimateOffset([
        { sent: 0, serverNow: 5_050, received: 100 },
        { sent: 200, serverNow: 5_210, received: 220 },
      ]),
    ).toBe(5_000)
  })

  it('starts, pauses, adds time and resumes', () => {
    let t: TimerState = { state: 'idle', durationMs: 60_000 }
    t = startTimer(t, 1_000)
    expect(remainingMs(t, 31_000)).toBe(30_000)
    t = pauseTimer(t, 31_000)
    expect(remainingMs(t, 99_000)).toBe(30_000)
    t = addTime(t, 60_000)
    t = startTimer(t, 100_000)
    expect(remainingMs(t, 100_000)).toBe(90_000)
    expect(remainingMs(t, 500_000)).toBe(0)
    expect(formatClock(90_000)).toBe('1:30')
    expect(formatClock(3_723_000)).toBe('1:02:03')
  })

  it('takes a minute off (−1 min) without going below zero, running, paused or idle', () => {
    const running = startTimer({ state: 'idle', durationMs: 90_000 }, 0)
    expect(remainingMs(addTime(running, -60_000, 10_000), 10_000)).toBe(20_000)
    expect(remainingMs(addTime(running, -60_000, 50_000), 50_000)).toBe(0)
    expect(remainingMs(addTime(pauseTimer(running, 70_000), -60_000), 99_000)).toBe(0)
    expect(addTime({ state: 'idle', durationMs: 30_000 }, -60_000)).toEqual({ state: 'idle', durationMs: 0 })
  })
})
