/**
 * The machine's real PostgreSQL for tests: every call gets a schema of its own, dropped afterwards.
 * PostgreSQL not running is a failure that says how to start it — never a skip.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openPostgresStorage } from '../../server/storage/postgres-storage.ts'
import type { Storage, StorageOptions } from '../../server/storage/storage.ts'
import { onCleanup } from './server.ts'

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const START = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'

/** A fresh, empty schema name on the test database (dropped when the test ends). */
export async function testSchema(): Promise<string> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3_000 })
  try {
    await client.connect()
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${TEST_DATABASE_URL} (${(error as Error).message}); start it with: ${START}`)
  }
  await client.end()
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`
  onCleanup(async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await admin.connect()
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await admin.end()
  })
  return schema
}

/** Postgres storage on a schema of its own; `schema` to open a second connection pool on the same one. */
export async function testPostgresStorage(schema?: string, options: StorageOptions = {}): Promise<Storage> {
  const storage = await openPostgresStorage({ ...options, url: TEST_DATABASE_URL, schema: schema ?? (await testSchema()) })
  onCleanup(() => storage.close())
  return storage
}
