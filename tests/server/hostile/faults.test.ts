/** Faults (finding 8): a full disk, and a damaged or lost database. */
import { execFileSync } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../../shared/board-id.ts'
import { openSqliteStorage } from '../../../server/storage/sqlite-storage.ts'
import { makeClient } from '../../helpers/client.ts'
import { card } from '../../helpers/records.ts'
import { freePort, onCleanup, startServerProcess, tempDataDir } from '../../helpers/server.ts'
import { waitFor } from '../../helpers/wait.ts'

/** Starts the server expecting it to refuse; resolves with its exit code and what it printed. */
async function refusedStart(dataDir: string) {
  const port = await freePort()
  try {
    await startServerProcess(dataDir, port, { TOKEN_SECRET: '' })
  } catch (error) {
    return String((error as Error).message)
  }
  throw new Error('the server started')
}

const isRoot = process.getuid?.() === 0

describe('faults', () => {
  it('refuses to start on an empty (0-byte) database instead of serving every link as an empty board', async () => {
    const dir = tempDataDir()
    writeFileSync(join(dir, 'token-secret'), 'x'.repeat(43) + '\n')
    writeFileSync(join(dir, 'boards.sqlite'), '')
    const output = await refusedStart(dir)
    expect(output).toMatch(/exited with 3/)
    expect(output).toMatch(/is empty \(0 bytes\)/)
  })

  it('refuses to start on a database with damaged pages (quick_check)', async () => {
    const dir = tempDataDir()
    writeFileSync(join(dir, 'token-secret'), 'x'.repeat(43) + '\n')
    const storage = openSqliteStorage(dir)
    for (let i = 0; i < 40; i++) {
      const doc = new Y.Doc()
      doc.getMap('records').set(`shape:${i}`, card(`shape:${i}`, 'tekst '.repeat(2_000)))
      await storage.log.append(`board-${i}` as BoardId, [Y.encodeStateAsUpdate(doc)])
    }
    await storage.close()
    const path = join(dir, 'boards.sqlite')
    expect(statSync(path).size).toBeGreaterThan(100_000)
    const fd = openSync(path, 'r+')
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 8192) // garbage over pages in the middle
    closeSync(fd)
    const output = await refusedStart(dir)
    expect(output).toMatch(/exited with 3/)
    expect(output).toMatch(/is damaged/)
  })

  it('refuses to start when the database is gone but the links it served still work', async () => {
    const dir = tempDataDir()
    writeFileSync(join(dir, 'token-secret'), 'x'.repeat(43) + '\n')
    const output = await refusedStart(dir)
    expect(output).toMatch(/is missing while the links' secret is there/)
  })

  it.skipIf(!isRoot)(
    'on a full disk: logs SQLITE_FULL, answers 507, keeps edits in memory and writes them once there is room; SIGTERM ends in bounded time',
    async () => {
      const mount = mkdtempSync(join(tmpdir(), 'board-full-'))
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mount])
      onCleanup(() => {
        execFileSync('umount', ['-l', mount])
        rmSync(mount, { recursive: true, force: true })
      })
      const dataDir = join(mount, 'data')
      mkdirSync(dataDir)
      const port = await freePort()
      const first = await startServerProcess(dataDir, port, { SHUTDOWN_TIMEOUT_SECONDS: '3', SNAPSHOT_EVERY_MINUTES: '0' })
      const url = `http://127.0.0.1:${port}`
      const writer = makeClient(`ws://127.0.0.1:${port}/sync`, 'vol-bord')
      await writer.synced()
      writer.records.set('shape:first', card('shape:first', 'voor de volle schijf'))
      // Fill the disk, leaving next to nothing.
      const filler = join(mount, 'filler')
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' })
      } catch {
        // dd stops with "no space left": that is the point.
      }
      for (let i = 0; i < 40; i++) writer.records.set(`shape:full-${i}`, card(`shape:full-${i}`, 'tijdens de volle schijf '.repeat(200)))
      await waitFor(() => /storage is full \(SQLITE_FULL/.test(first.stderr()), { what: 'the SQLITE_FULL log line', timeout: 15_000 })
      expect(first.stderr()).not.toMatch(/no transaction is active/)
      let created = 201
      for (let i = 0; i < 50 && created === 201; i++)
        created = (await fetch(`${url}/api/boards`, { method: 'POST', body: JSON.stringify({ title: 'x'.repeat(150) }) })).status
      expect(created).toBe(507)

      // Room again: the edits kept in memory are written.
      rmSync(filler)
      await waitFor(() => /"msg":"request"/.test(first.stderr()), { what: 'the server to keep serving' })
      first.child.kill('SIGTERM')
      const exit = await first.exited
      expect(exit.code).toBe(0)
      const second = await startServerProcess(dataDir, port, { SHUTDOWN_TIMEOUT_SECONDS: '3', SNAPSHOT_EVERY_MINUTES: '0' })
      const reader = makeClient(`ws://127.0.0.1:${port}/sync`, 'vol-bord', { role: 'viewer' })
      await reader.synced()
      expect(reader.records.has('shape:full-39')).toBe(true)

      // Full again, and shut down: it ends within the timeout and says which edits were not written.
      execFileSync('sh', ['-c', `dd if=/dev/zero of=${filler} bs=64k 2>/dev/null || true`])
      const writer2 = makeClient(`ws://127.0.0.1:${port}/sync`, 'vol-bord')
      await writer2.synced()
      for (let i = 0; i < 40; i++) writer2.records.set(`shape:again-${i}`, card(`shape:again-${i}`, 'nog eens vol '.repeat(200)))
      await waitFor(() => /storage is full \(SQLITE_FULL/.test(second.stderr()), { what: 'SQLITE_FULL again', timeout: 15_000 })
      const stopped = Date.now()
      second.child.kill('SIGTERM')
      const end = await second.exited
      expect(Date.now() - stopped).toBeLessThan(10_000)
      expect(end.code).toBe(1)
      const last = second
        .stderr()
        .split('\n')
        .find((l) => l.includes('exiting with these edits unsaved on this server'))
      expect(last).toMatch(/"board":"vol-bord","updates":[1-9]/)
    },
    60_000,
  )

  if (!isRoot) console.log('faults: the full-disk test mounts a tmpfs and needs root; skipped on this machine')
})
