/**
 * A failover keeps a person's cards editable (issue 19, finding 4): the process a participant's
 * stock client was connected to stops (SIGTERM, as a deploy does) or dies (SIGKILL); the client
 * reconnects to the other process at once, takes its presence and client id along, and edits its
 * own card — not closed, seen by the others within 2 s, without waiting for the heartbeat.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { OWNER_META } from '../../shared/ownership.ts'
import { sha256Hex } from '../../shared/sha256.ts'
import { startCluster, type TestCluster } from '../helpers/cluster.ts'
import { makeClient, type TestClient } from '../helpers/client.ts'
import { startFreezingProxy } from '../helpers/freezing-proxy.ts'
import { card } from '../helpers/records.ts'
import { waitFor } from '../helpers/wait.ts'

type Card = ReturnType<typeof card>
const textAt = (client: TestClient, id: string) => (client.records.get(id) as Card | undefined)?.props.text
const nameAt = (observer: TestClient, id: number) => (observer.provider.awareness.getStates().get(id)?.member as { name?: string } | undefined)?.name

/** A participant publishing a member key, whose client (like a browser behind nginx) reconnects to a live process. */
function personOn(cluster: TestCluster, index: number, board: string, name: string, url = cluster.nodes[index]!.wsUrl) {
  const key = randomBytes(32).toString('hex')
  const keyHash = sha256Hex(key)
  const client = makeClient(url, board, { role: 'participant', memberKey: key })
  client.provider.awareness.setLocalStateField('member', { userId: keyHash.slice(0, 8), name, role: 'participant', groupId: '', hand: false, keyHash })
  const closes: number[] = []
  client.provider.on('connection-close', (event: { code: number } | null) => event && closes.push(event.code))
  client.provider.on('status', ({ status }: { status: string }) => {
    if (status !== 'disconnected' || client.provider.serverUrl !== cluster.nodes[index]!.wsUrl) return
    const live = cluster.nodes.find((n) => n.alive)
    if (live) client.provider.serverUrl = live.wsUrl
  })
  return { client, closes, own: (id: string, text: string, x = 0): Card => card(id, text, { x, meta: { [OWNER_META]: keyHash } }) }
}

async function failover(how: 'stop' | 'kill') {
  const cluster = await startCluster(2)
  const created = await fetch(`${cluster.nodes[0]!.url}/api/boards`, { method: 'POST', body: '{}' })
  expect(created.status).toBe(201)
  const board = ((await created.json()) as { id: string }).id
  const anna = personOn(cluster, 0, board, 'Anna')
  const wim = personOn(cluster, 1, board, 'Wim')
  await Promise.all([anna.client.synced(), wim.client.synced()])
  await waitFor(() => nameAt(wim.client, anna.client.doc.clientID) === 'Anna', { what: "Anna's presence on B" })
  anna.client.records.set('shape:anna', anna.own('shape:anna', 'Op A geschreven'))
  await waitFor(() => textAt(wim.client, 'shape:anna') === 'Op A geschreven', { what: "Anna's card on B" })

  await (how === 'stop' ? cluster.stop(0) : cluster.kill(0))
  await waitFor(() => anna.client.provider.synced && anna.client.provider.url.startsWith(cluster.nodes[1]!.wsUrl), { what: 'Anna on B', timeout: 10_000 })
  const started = Date.now()
  anna.client.records.set('shape:anna', anna.own('shape:anna', 'Op B verbeterd', 300))
  anna.client.records.set('shape:anna2', anna.own('shape:anna2', 'Nieuw op B'))
  await waitFor(() => textAt(wim.client, 'shape:anna') === 'Op B verbeterd' && textAt(wim.client, 'shape:anna2') === 'Nieuw op B', {
    what: "Anna's edits through B",
    timeout: 2_000,
  })
  await waitFor(() => nameAt(wim.client, anna.client.doc.clientID) === 'Anna', { what: "Anna's presence on B after the failover", timeout: 2_000 })
  console.log(`failover (${how}): Anna's edit reached Wim ${Date.now() - started} ms after she reconnected`)
  expect(anna.closes.filter((code) => code >= 4400 && code < 4500)).toEqual([])
  expect(cluster.nodes[1]!.process.stderr()).not.toMatch(/"code":(4403|4400|4509)/)
}

describe('a failover between two processes (Redis)', () => {
  it("a half-open connection on A, the same browser back through B: A closes its old connection (4001) at once and A's people see her edits", async () => {
    const cluster = await startCluster(2)
    const [a, b] = cluster.nodes as [TestCluster['nodes'][0], TestCluster['nodes'][0]]
    const created = await fetch(`${a.url}/api/boards`, { method: 'POST', body: '{}' })
    const board = ((await created.json()) as { id: string }).id
    const proxy = await startFreezingProxy(a.port)
    // Anna's phone reaches A through the venue Wi-Fi (the proxy); the test moves her to B itself.
    const anna = personOn(cluster, 0, board, 'Anna', proxy.wsUrl)
    const wim = personOn(cluster, 0, board, 'Wim')
    await Promise.all([anna.client.synced(), wim.client.synced()])
    await waitFor(() => nameAt(wim.client, anna.client.doc.clientID) === 'Anna', { what: "Anna's presence at Wim on A" })
    anna.client.records.set('shape:anna', anna.own('shape:anna', 'Via A'))
    await waitFor(() => textAt(wim.client, 'shape:anna') === 'Via A', { what: "Anna's card at Wim" })
    expect(proxy.freeze()).toBe(1)
    anna.client.provider.serverUrl = b.wsUrl
    anna.client.provider.disconnect()
    anna.client.provider.connect()
    await anna.client.synced()
    expect(anna.client.provider.url.startsWith(b.wsUrl)).toBe(true)
    anna.client.records.set('shape:anna', anna.own('shape:anna', 'Via B verbeterd', 100))
    await waitFor(() => textAt(wim.client, 'shape:anna') === 'Via B verbeterd', { what: "Anna's edit through B at Wim on A", timeout: 2_000 })
    await waitFor(() => /"code":4001/.test(a.process.stderr()), { what: 'A closing the old connection as replaced', timeout: 2_000 })
    expect(anna.closes.filter((code) => code >= 4400 && code < 4500)).toEqual([])
  }, 60_000)

  it('SIGTERM of the process a participant is on: she reconnects to the other and edits her own card at once', () => failover('stop'), 60_000)
  it('SIGKILL (no goodbye): the other process hands her presence and client id over at once, not after the heartbeat', () => failover('kill'), 60_000)
})
