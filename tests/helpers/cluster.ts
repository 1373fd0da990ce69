/**
 * Several real server processes (server/main.ts) sharing the machine's PostgreSQL (a schema of
 * their own) and Redis (a key prefix of their own), on ephemeral ports; stopped and cleaned up
 * after the test.
 */
import { freePort } from './ports.ts'
import { TEST_DATABASE_URL, testSchema } from './postgres.ts'
import { TEST_REDIS_URL, testRedis } from './redis.ts'
import { startServerProcess, tempDataDir, type ServerProcess } from './server.ts'

export interface ClusterProcess {
  port: number
  url: string
  wsUrl: string
  process: ServerProcess
  alive: boolean
}

export interface TestCluster {
  nodes: ClusterProcess[]
  schema: string
  prefix: string
  /** SIGKILL: no goodbye, nothing flushed. */
  kill(index: number): Promise<void>
  /** SIGTERM and wait for the exit (a clean stop). */
  stop(index: number): Promise<void>
  /** Starts process `index` again on its port. */
  restart(index: number): Promise<void>
}

export async function startCluster(count: number, env: Record<string, string> | ((index: number) => Record<string, string>) = {}): Promise<TestCluster> {
  const schema = await testSchema()
  const { prefix } = await testRedis()
  const envOf = (index: number) => ({
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: schema,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'info',
    FLUSH_MS: '50',
    ...(typeof env === 'function' ? env(index) : env),
  })
  const start = async (index: number, port: number): Promise<ClusterProcess> => ({
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/sync`,
    process: await startServerProcess(tempDataDir(), port, envOf(index)),
    alive: true,
  })
  // Started one after the other: the first creates the schema, the others find it migrated.
  const nodes: ClusterProcess[] = []
  for (let i = 0; i < count; i++) nodes.push(await start(i, await freePort()))
  return {
    nodes,
    schema,
    prefix,
    async kill(index) {
      const node = nodes[index]!
      node.alive = false
      node.process.child.kill('SIGKILL')
      await node.process.exited
    },
    async stop(index) {
      const node = nodes[index]!
      node.alive = false
      node.process.child.kill('SIGTERM')
      await node.process.exited
    },
    async restart(index) {
      nodes[index] = await start(index, nodes[index]!.port)
    },
  }
}
