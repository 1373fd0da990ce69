/**
 * The PostgreSQL pool every store of this backend shares (DATABASE_URL), migrated on open
 * (schema.ts), for several server processes sharing boards.
 *
 * Client: `pg` (node-postgres) — the most used and longest maintained PostgreSQL client for Node,
 * with a connection pool built in, bytea as Buffers, and nothing we would have to write
 * ourselves (no ORM: the few queries in this folder are the whole data layer, as with SQLite).
 */
import pg from 'pg'
import { migrate } from './schema.ts'

export interface PostgresConnectionOptions {
  /** postgres://user@host:port/database */
  url: string
  /** The schema to use (created when missing); `public` by default. Tests use one of their own. */
  schema?: string
  /** Connections per process. */
  maxConnections?: number
}

export interface PostgresConnection {
  readonly pool: pg.Pool
  readonly schema: string
  /** `fn` in one transaction on one connection: what spans stores (a board and its rows) commits together. */
  transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>
  /** The first row of a query, or undefined. */
  one<T extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<T | undefined>
  readonly open: boolean
  close(): Promise<void>
}

export const bytes = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength)
export const toU8 = (b: Buffer) => new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))

/** A schema name that is safe to put into SQL unquoted. */
function checkSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`DATABASE schema "${schema}" must be lower-case letters, digits and _`)
  return schema
}

export async function openPostgresConnection(options: PostgresConnectionOptions): Promise<PostgresConnection> {
  const schema = checkSchema(options.schema ?? 'public')
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
    // Every connection works in the board schema.
    options: `-c search_path=${schema}`,
  })
  // A connection that breaks while idle is dropped by the pool; queries get a new one.
  pool.on('error', () => {})
  let open = true

  const transaction = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      const result = await fn(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }

  try {
    await transaction((client) => migrate(client, schema))
  } catch (error) {
    await pool.end()
    throw error
  }

  return {
    pool,
    schema,
    transaction,
    async one<T extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<T | undefined> {
      return (await pool.query<T>(sql, values)).rows[0]
    },
    get open() {
      return open
    },
    async close() {
      if (!open) return
      open = false
      await pool.end()
    },
  }
}
