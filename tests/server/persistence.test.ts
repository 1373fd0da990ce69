import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/board-id.ts'
import { MessageType, SyncMessageType } from '../../shared/protocol.ts'
import { openSqliteStorage } from '../../server/storage/sqlite-storage.ts'
import type { Storage } from '../../server/storage/storage.ts'
import { makeClient, openRaw, recordsJson } from '../helpers/client.ts'
import { freePort, startServer, startServerProcess, tempDataDir } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'
import { card } from '../helpers/records.ts'

const note = (id: string, text: string) => card(id, text)

/** Writes `count` notes and waits until the server holds them (a second client sees them). */
async function fillBoard(wsUrl: string, board: string, count: number) {
  const client = makeClient(wsUrl, board)
  await client.synced()
  for (let i = 0; i < count; i++) client.records.set(`shape:n${i}`, note(`shape:n${i}`, `note ${i}`))
  const probe = makeClient(wsUrl, board)
  await probe.synced()
  await waitFor(() => probe.records.size === count, { what: `${count} notes on the server` })
  probe.destroy()
  return client
}

/** Storage whose load is slow, to make the "sync before load" race visible if it existed. */
function slowLoading(storage: Storage, ms: number): Storage {
  return {
    ...storage,
    log: {
      ...storage.log,
      load: async (id) => {
        await new Promise((r) => setTimeout(r, ms))
        return storage.log.load(id)
      },
    },
  }
}

describe('boards are stored', () => {
  it('a stopped and restarted server serves the identical state', async () => {
    const dataDir = tempDataDir()
    const first = await startServer({ dataDir })
    const writer = await fillBoard(first.wsUrl, 'restart', 120)
    writer.records.delete('shape:n7')
    const probe = makeClient(first.wsUrl, 'restart')
    await probe.synced()
    await waitFor(() => probe.records.size === 119, { what: 'the delete on the server' })
    const before = recordsJson(writer.doc)
    await first.close()

    const second = await startServer({ dataDir })
    const reader = makeClient(second.wsUrl, 'restart')
    await reader.synced()
    expect(recordsJson(reader.doc)).toEqual(before)
    expect(reader.records.has('shape:n7')).toBe(false)
  })

  it('compacts the log and unloads an idle board, keeping its content', async () => {
    const { wsUrl, server, storage } = await startServer({ room: { compactEvery: 20, idleUnloadMs: 50 } })
    const writer = await fillBoard(wsUrl, 'compact', 100)
    const before = recordsJson(writer.doc)
    writer.destroy()
    await waitFor(() => server.rooms.get('compact' as BoardId) === undefined, { what: 'board unloaded' })
    expect(await storage.log.countUpdates('compact' as BoardId)).toBe(1)
    const reader = makeClient(wsUrl, 'compact')
    await reader.synced()
    expect(recordsJson(reader.doc)).toEqual(before)
  })

  it('compacts by size: once the log since the last compaction is as big as the board, not after every few edits', async () => {
    const { wsUrl, server, storage } = await startServer({ room: { compactEvery: 1_000_000, compactMinBytes: 20_000, flushMs: 10 } })
    const id = 'by-size' as BoardId
    const writer = await fillBoard(wsUrl, 'by-size', 150)
    await server.rooms.get(id)!.flush()
    // 150 cards (~60 KB of updates) were compacted on the way, more than once.
    const compacted = await storage.log.countUpdates(id)
    expect(compacted).toBeLessThan(150)
    // A few small moves of a board this size are appended, not a reason to re-encode the board.
    for (let i = 0; i < 5; i++) {
      writer.records.set('shape:n1', { ...note('shape:n1', 'note 1'), x: 10 * (i + 1) })
      await waitFor(
        async () => {
          await server.rooms.get(id)!.flush()
          return (await storage.log.countUpdates(id)) === compacted + i + 1
        },
        { what: `move ${i + 1} appended` },
      )
    }
  })

  it('a client connecting the instant the server starts gets the stored content in its first sync', async () => {
    const dataDir = tempDataDir()
    const first = await startServer({ dataDir })
    const writer = await fillBoard(first.wsUrl, 'instant', 30)
    const expected = recordsJson(writer.doc)
    writer.destroy()
    await first.close()

    const second = await startServer({ dataDir, storage: slowLoading(openSqliteStorage(dataDir), 300) })
    const raw = await openRaw(`${second.wsUrl}/instant`)
    const step1 = encoding.createEncoder()
    encoding.writeVarUint(step1, MessageType.sync)
    encoding.writeVarUint(step1, SyncMessageType.step1)
    encoding.writeVarUint8Array(step1, Y.encodeStateVector(new Y.Doc()))
    raw.ws.send(encoding.toUint8Array(step1))
    await waitFor(() => raw.messages.length >= 2, { what: 'first sync messages' })

    // The first step-2 answer must already carry every stored record.
    const firstAnswer = raw.messages
      .map((m) => decoding.createDecoder(new Uint8Array(m)))
      .find((d) => {
        return decoding.readVarUint(d) === MessageType.sync && decoding.readVarUint(d) === SyncMessageType.step2
      })!
    const doc = new Y.Doc()
    Y.applyUpdate(doc, decoding.readVarUint8Array(firstAnswer))
    expect(recordsJson(doc)).toEqual(expected)

    // And the stock provider reports `synced` only with the content present.
    const client = makeClient(second.wsUrl, 'instant')
    let sizeAtSync = -1
    client.provider.once('sync', () => (sizeAtSync = client.records.size))
    await client.synced()
    expect(sizeAtSync).toBe(30)
  })

  it('a server killed with SIGKILL during edits loses nothing once the clients reconnect', async () => {
    const dataDir = tempDataDir()
    const port = await freePort()
    const wsUrl = `ws://127.0.0.1:${port}/sync`
    const first = await startServerProcess(dataDir, port)
    const clients = [makeClient(wsUrl, 'crash'), makeClient(wsUrl, 'crash')]
    await Promise.all(clients.map((c) => c.synced()))

    const written: Record<string, unknown> = {}
    let stop = false
    const writers = clients.map(async (client, i) => {
      for (let n = 0; !stop && n < 5_000; n++) {
        const record = note(`shape:w${i}-${n}`, `writer ${i} #${n}`)
        client.records.set(record.id, record)
        written[record.id] = record
        // Pacing: writes keep coming, also across the crash.
        await new Promise((r) => setTimeout(r, 2))
      }
    })
    await waitFor(() => Object.keys(written).length >= 200, { what: '200 writes' })
    first.child.kill('SIGKILL')
    expect((await first.exited).signal).toBe('SIGKILL')
    await new Promise((r) => setTimeout(r, 100)) // edits keep coming while the server is down
    stop = true
    await Promise.all(writers)

    await startServerProcess(dataDir, port)
    await waitFor(() => clients.every((c) => c.provider.wsconnected && c.provider.synced), { what: 'clients reconnected' })
    const fresh = makeClient(wsUrl, 'crash')
    await fresh.synced()
    await waitFor(() => fresh.records.size === Object.keys(written).length, { what: 'every write on a fresh client', timeout: 15_000 })
    expect(recordsJson(fresh.doc)).toEqual(written)
  })

  it('SIGTERM flushes every board and exits 0', async () => {
    const dataDir = tempDataDir()
    const port = await freePort()
    const proc = await startServerProcess(dataDir, port, { FLUSH_MS: '5000' })
    const writer = await fillBoard(`ws://127.0.0.1:${port}/sync`, 'term', 40)
    writer.provider.shouldConnect = false
    proc.child.kill('SIGTERM')
    expect((await proc.exited).code).toBe(0)
    expect(proc.stderr()).toContain('board unloaded')
    const storage = openSqliteStorage(dataDir)
    const doc = new Y.Doc()
    for (const update of await storage.log.load('term' as BoardId)) Y.applyUpdate(doc, update)
    await storage.close()
    expect(Object.keys(recordsJson(doc))).toHaveLength(40)
  })
})
