/**
 * Every key a cluster writes in Redis expires by itself (issue 20, finding 10: the fencing
 * counters of the leases had no TTL, one per board and task, forever). Two real processes do a
 * session's work — boards made (rate limits), edits on both, automatic snapshots (leases), a
 * process stopped — and then every key under the test's prefix has a PTTL > 0. (A voter's key,
 * kept for the grace after her connection closed, is written with PX: server/cluster/cluster.ts.)
 */
import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import type { CreatedBoard } from '../../../shared/api.ts'
import { startCluster } from '../../helpers/cluster.ts'
import { makeClient } from '../../helpers/client.ts'
import { TEST_REDIS_URL } from '../../helpers/redis.ts'
import { card } from '../../helpers/records.ts'
import { onCleanup, tokenFor } from '../../helpers/server.ts'
import { waitFor } from '../../helpers/wait.ts'

async function keysOf(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = []
  let cursor = '0'
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
    keys.push(...found)
    cursor = next
  } while (cursor !== '0')
  return keys.sort()
}

describe('Redis keys', () => {
  it('all expire: leases, fencing counters, rate limits, heartbeats', async () => {
    // Every process looks for changed boards every 2 s.
    const cluster = await startCluster(2, { SNAPSHOT_EVERY_MINUTES: String(2 / 60) })
    const redis = new Redis(TEST_REDIS_URL)
    onCleanup(() => void redis.disconnect())
    const [a, b] = cluster.nodes
    const auth = (board: string) => ({ authorization: `Bearer ${tokenFor(board)}` })
    const created = (await (
      await fetch(`${a!.url}/api/boards`, {
        method: 'POST',
        body: JSON.stringify({ template: '24-uursconferentie', centraleOpgave: 'Samen', targetYear: 2030 }),
      })
    ).json()) as CreatedBoard
    const board = created.id
    const onA = makeClient(a!.wsUrl, board)
    const onB = makeClient(b!.wsUrl, board, { role: 'participant' })
    await Promise.all([onA.synced(), onB.synced()])
    for (let i = 0; i < 20; i++) (i % 2 ? onA : onB).records.set(`shape:k${i}`, card(`shape:k${i}`, `kaart ${i}`))
    await waitFor(
      async () => {
        const list = (await (await fetch(`${a!.url}/api/boards/${board}/snapshots`, { headers: auth(board) })).json()) as { kind: string }[]
        return list.some((s) => s.kind === 'auto')
      },
      { what: 'an automatic snapshot', timeout: 20_000 },
    )

    onA.destroy()
    onB.destroy()
    await cluster.stop(1)

    const keys = await keysOf(redis, cluster.prefix)
    // The work above wrote what it is meant to write (else the test proves nothing).
    expect(keys.some((k) => k.includes('fence:'))).toBe(true)
    expect(keys.some((k) => k.includes('rate-limit'))).toBe(true)
    const ttls = await Promise.all(keys.map(async (key) => `${key.slice(cluster.prefix.length)} ${await redis.pttl(key)}`))
    expect(ttls.filter((line) => !(Number(line.split(' ').at(-1)) > 0))).toEqual([])
  }, 60_000)
})
