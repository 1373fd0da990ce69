/**
 * The budget one client address shares over its connections (server/policy/address-budget.ts): turns in
 * arrival order as it refills, no connection left waiting for good, and a connection that closes
 * gives up only its own turn. Real timers, small numbers.
 */
import { describe, expect, it } from 'vitest'
import { AddressBudgets } from '../../server/policy/address-budget.ts'
import { waitFor } from '../helpers/wait.ts'

// 2 updates of burst, 10 a second: one token every 100 ms (room for a busy machine between two calls).
const small = { changesPerSecond: 10, changesBurst: 2, bytesPerSecond: 1_000_000, bytesBurst: 1_000_000 }

describe('the budget of one client address', () => {
  it('within the burst passes at once; beyond it every waiting connection gets its turn, in order', async () => {
    const budgets = new AddressBudgets(small)
    const a = budgets.join('203.0.113.1')
    const b = budgets.join('203.0.113.1')
    const order: string[] = []
    expect(a.take(10, () => order.push('never'))).toBe(true)
    expect(b.take(10, () => order.push('never'))).toBe(true)
    expect(a.take(10, () => order.push('a'))).toBe(false)
    expect(b.take(10, () => order.push('b'))).toBe(false)
    // Another address has its own budget.
    expect(budgets.join('198.51.100.1').take(10, () => order.push('never'))).toBe(true)
    await waitFor(() => order.length === 2, { timeout: 2_000, what: 'both turns' })
    expect(order).toEqual(['a', 'b'])
    // One that asks while others wait queues behind them, even if a token is there.
    // (The budget refilling over time is what is under test: a quarter second brings tokens back.)
    await new Promise((resolve) => setTimeout(resolve, 250))
    expect(a.take(10, () => order.push('a2'))).toBe(true)
    expect(a.take(10, () => order.push('a3'))).toBe(true)
    expect(b.take(10, () => order.push('b2'))).toBe(false)
    expect(a.take(10, () => order.push('a4'))).toBe(false)
    await waitFor(() => order.length === 4, { timeout: 2_000, what: 'two more turns' })
    expect(order).toEqual(['a', 'b', 'b2', 'a4'])
  })

  it('bytes count too: one large update waits for the bytes it needs, and those behind it after it', async () => {
    const budgets = new AddressBudgets({ changesPerSecond: 1_000, changesBurst: 100, bytesPerSecond: 100_000, bytesBurst: 10_000 })
    const a = budgets.join('x')
    const order: string[] = []
    const started = performance.now()
    expect(a.take(10_000, () => {})).toBe(true)
    expect(a.take(5_000, () => order.push(`big ${Math.round(performance.now() - started)}`))).toBe(false)
    await waitFor(() => order.length === 1, { timeout: 2_000, what: 'the big one' })
    // 5,000 bytes at 100,000 a second: 50 ms.
    expect(Number(order[0]!.split(' ')[1])).toBeGreaterThanOrEqual(45)
  })

  it('a connection that closes while it waits gives up its turn and nothing else: the next one is served, the closed one never', async () => {
    const budgets = new AddressBudgets({ ...small, bytesPerSecond: 1_000, bytesBurst: 1_000 })
    const a = budgets.join('203.0.113.2')
    const b = budgets.join('203.0.113.2')
    const order: string[] = []
    expect(a.take(1_000, () => {})).toBe(true)
    // a waits first in line for a second's worth of bytes, b behind it for little.
    expect(a.take(1_000, () => order.push('a'))).toBe(false)
    expect(b.take(10, () => order.push('b'))).toBe(false)
    a.leave()
    a.leave()
    await waitFor(() => order.length === 1, { timeout: 500, what: "b's turn, without waiting out a's second" })
    expect(order).toEqual(['b'])
    // A turn asked for now, as large as a's, is served once a's second has passed: a's turn,
    // were it still in line, would come before it.
    expect(b.take(1_000, () => order.push('b2'))).toBe(false)
    await waitFor(() => order.length === 2, { timeout: 3_000, what: "b's second turn" })
    expect(order).toEqual(['b', 'b2'])
  })

  it('an address whose connections all closed keeps its spent budget until it has refilled (reconnecting brings no fresh burst), and is forgotten then', async () => {
    const budgets = new AddressBudgets(small)
    const a = budgets.join('203.0.113.3')
    expect(a.take(1, () => {})).toBe(true)
    expect(a.take(1, () => {})).toBe(true)
    a.leave()
    const again = budgets.join('203.0.113.3')
    let granted = false
    expect(again.take(1, () => (granted = true))).toBe(false)
    await waitFor(() => granted, { timeout: 1_000, what: 'the turn after the refill' })
    again.leave()
    expect(budgets.size).toBe(1)
    // 2 tokens at 10 a second: full again within ~200 ms, and then forgotten.
    await waitFor(() => budgets.size === 0, { timeout: 1_000, what: 'the address forgotten' })
  })
})
