/**
 * The machine's real Redis for tests, with a key prefix of its own per test that is deleted
 * afterwards. Redis not running is a failure that says how to start it — never a skip.
 */
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { onCleanup } from './server.ts'

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const START = `redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no`

export async function testRedis(): Promise<{ redis: Redis; prefix: string }> {
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  })
  redis.on('error', () => {})
  try {
    await redis.connect()
    await redis.ping()
  } catch (error) {
    redis.disconnect()
    throw new Error(`Redis is not reachable at ${TEST_REDIS_URL} (${(error as Error).message}); start it with: ${START}`)
  }
  const prefix = `test-${process.pid}-${randomBytes(4).toString('hex')}:`
  onCleanup(async () => {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
      if (keys.length > 0) await redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
    redis.disconnect()
  })
  return { redis, prefix }
}
