/** `npm run archive`: the real CLI as a child process on a DATA_DIR the real server wrote. */
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { CreatedBoard } from '../../shared/api.ts'
import type { BoardId } from '../../shared/board-id.ts'
import { openSqliteStorage } from '../../server/storage/sqlite-storage.ts'
import { startServer, TEST_SECRET, tempDataDir, tokenFor } from '../helpers/server.ts'

const run = promisify(execFile)

async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['server/archive-cli.ts', ...args], {
      env: { ...process.env, DATA_DIR: dataDir, TOKEN_SECRET: TEST_SECRET },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('npm run archive', () => {
  it('lists, exports the example board with report and images, and imports its .tldr again', async () => {
    const dataDir = tempDataDir()
    const server = await startServer({ dataDir })
    const created = (await (
      await fetch(`${server.url}/api/boards`, { method: 'POST', body: JSON.stringify({ example: 'samen-aan-de-slag-2018' }) })
    ).json()) as CreatedBoard
    const snap = await fetch(`${server.url}/api/boards/${created.id}/snapshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenFor(created.id, 'facilitator')}` },
      body: JSON.stringify({ name: 'Eindstand' }),
    })
    expect(snap.status).toBe(201)
    await server.close()

    const listed = await cli(dataDir, 'list')
    expect(listed.code).toBe(0)
    expect(listed.stdout).toMatch(new RegExp(`${created.id}\\tSamen aan de slag! \\(2018\\)\\t24-uursconferentie\\t.*\\t8\\t1`))

    const out = join(tempDataDir(), 'export')
    const exported = await cli(dataDir, 'export', created.id, out)
    expect(exported.code).toBe(0)
    expect(exported.stdout).toMatch(/^\[1\/7\] bord\.tldr$/m)
    expect(exported.stdout).toMatch(/^\[7\/7\] snapshots\/.*-manual-Eindstand/m)
    expect(readdirSync(out).sort()).toEqual([
      'Samen-aan-de-slag-2018.zip',
      'bord.tldr',
      'overzicht.svg',
      'snapshots',
      'uitkomst.json',
      'verslag.html',
      'verslag.md',
    ])
    expect(readFileSync(join(out, 'verslag.md'), 'utf8')).toContain('Actielijnen')
    expect(readFileSync(join(out, 'verslag.html'), 'utf8')).toContain('<h2')
    expect(readFileSync(join(out, 'overzicht.svg'), 'utf8')).toMatch(/^<svg[^>]*>.*<rect/s)
    const snapshotFiles = readdirSync(join(out, 'snapshots'))
    expect(snapshotFiles.filter((f) => f.endsWith('.svg'))).toHaveLength(1)
    expect(snapshotFiles.filter((f) => f.endsWith('.tldr'))).toHaveLength(1)

    const imported = await cli(dataDir, 'import', join(out, 'bord.tldr'), 'Weer binnen')
    expect(imported.code).toBe(0)
    expect(imported.stdout).toMatch(/Facilitator link: \/b\/[A-Za-z0-9]+\?token=/)
    expect((await cli(dataDir, 'list')).stdout).toContain('Weer binnen')

    const bad = join(out, 'kapot.tldr')
    const schema = (JSON.parse(readFileSync(join(out, 'bord.tldr'), 'utf8')) as { schema: unknown }).schema
    writeFileSync(bad, JSON.stringify({ tldrawFileFormatVersion: 1, schema, records: [] }))
    const refused = await cli(dataDir, 'import', bad)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('Refused: the file has no page')
    expect((await cli(dataDir, 'export', 'nietbestaand', out)).stderr).toMatch(/no board nietbestaand/)
    expect((await cli(dataDir)).code).toBe(2)
    expect(existsSync(join(dataDir, 'boards.sqlite'))).toBe(true)
  })

  it("lists programmes and exports one's progress report and calendar", async () => {
    const dataDir = tempDataDir()
    const server = await startServer({ dataDir })
    const post = async (path: string, body: unknown, token?: string) =>
      (
        await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        })
      ).json() as Promise<Record<string, unknown>>
    const created = (await post('/api/programmes', { name: 'Midden-Limburg', region: 'Weert e.o.' })) as {
      programme: { id: string }
      links: { aanjager: string }
    }
    const aanjager = new URL(created.links.aanjager, server.url).searchParams.get('token')!
    const board = (await post('/api/boards', { example: 'samen-aan-de-slag-2018' })) as unknown as CreatedBoard
    await post(`/api/programmes/${created.programme.id}/boards`, { boardLink: board.links.facilitator }, aanjager)
    await post(`/api/programmes/${created.programme.id}/boards/${board.id}/action-lines`, {}, aanjager)
    await server.close()

    const listed = await cli(dataDir, 'programme', 'list')
    expect(listed.code).toBe(0)
    expect(listed.stdout).toContain(`${created.programme.id}  Midden-Limburg (Weert e.o.) — 1 boards, 8 action lines`)
    const out = join(tempDataDir(), 'programma')
    const exported = await cli(dataDir, 'programme', 'export', created.programme.id, out)
    expect(exported.code).toBe(0)
    expect(readdirSync(out).sort()).toEqual(['links.txt', 'meetings.ics', 'report.html', 'report.json', 'report.md'])
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain("### 7. Platform 'Samen aan de slag'")
    expect(readFileSync(join(out, 'links.txt'), 'utf8')).toMatch(/^aanjager: \/p\/[a-z0-9]+\?token=/)
    expect((await cli(dataDir, 'programme', 'export', 'onbekend123', out)).stderr).toMatch(/no programme onbekend123/)
    expect((await cli(dataDir, 'programme')).code).toBe(2)
  })

  it('dates what it lists and writes in Dutch time: half past midnight there is that day, in summer and winter', async () => {
    const dataDir = tempDataDir()
    let clock = Date.parse('2026-01-10T12:00:00Z')
    const server = await startServer({ dataDir, now: () => clock })
    const post = async (path: string, body: unknown, token?: string) =>
      (
        await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        })
      ).json() as Promise<Record<string, unknown>>
    const created = (await post('/api/programmes', { name: 'Nachtwerk' })) as { programme: { id: string }; links: { aanjager: string } }
    const aanjager = new URL(created.links.aanjager, server.url).searchParams.get('token')!
    const board = (await post('/api/boards', { example: 'samen-aan-de-slag-2018' })) as unknown as CreatedBoard
    const p = `/api/programmes/${created.programme.id}`
    await post(`${p}/boards`, { boardLink: board.links.facilitator }, aanjager)
    const [line] = ((await post(`${p}/boards/${board.id}/action-lines`, {}, aanjager)) as unknown as { lines: { id: string }[] }).lines
    clock = Date.parse('2026-01-14T23:30:00Z')
    await post(`${p}/lines/${line!.id}/updates`, { text: 'Winternacht', author: 'John' }, aanjager)
    clock = Date.parse('2026-06-14T22:30:00Z')
    await post(`${p}/lines/${line!.id}/updates`, { text: 'Zomernacht', author: 'Martine' }, aanjager)
    expect((await post(`/api/boards/${board.id}/snapshots`, { name: 'Nacht' }, tokenFor(board.id, 'facilitator'))).id).toEqual(expect.any(String))
    await server.close()
    // A copy of the snapshot as if taken at 00:30 on 15 June (the storage keeps the instant it is given).
    const storage = openSqliteStorage(dataDir)
    const [listed] = await storage.snapshots.list(board.id as BoardId)
    const snapshot = (await storage.snapshots.get(board.id as BoardId, listed!.id))!
    await storage.snapshots.add({ ...snapshot, id: 'nacht', createdAt: Date.parse('2026-06-14T22:30:00Z') })
    await storage.close()

    const out = join(tempDataDir(), 'nacht')
    expect((await cli(dataDir, 'programme', 'export', created.programme.id, out)).code).toBe(0)
    const md = readFileSync(join(out, 'report.md'), 'utf8')
    expect(md).toContain('- 2026-01-15 — John: Winternacht')
    expect(md).toContain('- 2026-06-15 — Martine: Zomernacht')
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('2026-06-15 — Martine')
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { lines: { updates: { day: string }[] }[] }
    expect(json.lines[0]!.updates.map((u) => u.day)).toEqual(['2026-01-15', '2026-06-15'])
    const exported = await cli(dataDir, 'export', board.id, join(tempDataDir(), 'bord'))
    expect(exported.stdout).toMatch(/^\[\d+\/\d+\] snapshots\/2026-06-15-00-30-manual-Nacht/m)
  })
})
