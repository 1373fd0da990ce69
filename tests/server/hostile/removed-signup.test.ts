/**
 * Removed is gone, from the disk too (issue 20, finding 7): after a resident's sign-up to an
 * action line is removed, the database files hold her e-mail address nowhere. Before: the
 * SQLite file and its write-ahead log held 2 copies of the record (`secure_delete` was off), and
 * PostgreSQL kept it in the table's heap after a checkpoint. The files are searched as they lie
 * on disk: SQLite's `boards.sqlite` and `-wal`; PostgreSQL's `records` relation file, read by the
 * server itself (`pg_read_binary_file`, as superuser: the data directory may belong to another
 * user) after a CHECKPOINT has written every page out.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import type { CreatedBoard } from '../../../shared/api.ts'
import type { CreatedProgramme, ProgrammeView, SignedUp } from '../../../shared/programme.ts'
import { TEST_DATABASE_URL, testPostgresStorage, testSchema } from '../../helpers/postgres.ts'
import { startServer, type TestServer } from '../../helpers/server.ts'

const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('token')!

function api(server: TestServer) {
  return async <T = unknown>(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json().catch(() => ({}))) as T }
  }
}

/** A programme whose conference (the 2018 example) handed over its action lines; its public token and one line. */
async function programmeWithLine(server: TestServer) {
  const call = api(server)
  const created = await call<CreatedProgramme>('POST', '/api/programmes', null, {
    name: 'Samen aan de slag',
    region: 'Midden-Limburg',
    municipalities: ['Weert'],
    staleWeeks: 6,
  })
  expect(created.status).toBe(201)
  const { programme, links } = created.body
  const p = `/api/programmes/${programme.id}`
  const board = (await call<CreatedBoard>('POST', '/api/boards', null, { example: 'samen-aan-de-slag-2018' })).body
  expect((await call('POST', `${p}/boards`, tokenOf(links.aanjager), { boardLink: board.links.facilitator })).status).toBe(201)
  expect((await call('POST', `${p}/boards/${board.id}/action-lines`, tokenOf(links.aanjager))).status).toBe(200)
  const line = (await call<ProgrammeView>('GET', p, tokenOf(links.public))).body.lines[0]!
  return { call, programmeId: programme.id, p, publicToken: tokenOf(links.public), lineId: line.id }
}

/**
 * Signs two residents up (among 115 others, written straight to storage so pages fill and split),
 * and returns their e-mail addresses and how to remove each. Joost is the newest record of his
 * page: plain VACUUM leaves such a tuple's bytes where they were (nothing is moved over them).
 */
async function twoResidents(server: TestServer) {
  const { call, programmeId, p, publicToken, lineId } = await programmeWithLine(server)
  const tag = randomBytes(4).toString('hex')
  const others = (from: number, length: number) =>
    Promise.all(
      Array.from({ length }, (_, i) =>
        server.storage.records.insert(
          programmeId,
          'signup',
          `ander-${from + i}`,
          JSON.stringify({
            id: `ander-${from + i}`,
            lineId,
            name: `Inwoner ${from + i}`,
            contact: `inwoner${from + i}@example.nl`,
            organisation: 'Buurtvereniging',
            group: '',
            smoelenboek: false,
            keyHash: '0'.repeat(64),
            at: 0,
          }),
        ),
      ),
    )
  await others(0, 15)
  const people = []
  for (const name of ['Mieke Smeets', 'Joost Hendriks']) {
    if (people.length === 1) await others(100, 100) // her page splits after her: cells move
    const email = `${name.split(' ')[0]!.toLowerCase()}.${tag}@example.nl`
    const signed = await call<SignedUp>('POST', `${p}/lines/${lineId}/signups`, publicToken, {
      name,
      contact: email,
      organisation: `Stichting ${tag}`,
      consent: true,
    })
    expect(signed.status).toBe(201)
    const manage = new URL(signed.body.manageLink, server.url)
    const path = `${p}/signups/${manage.searchParams.get('signup')}?key=${manage.searchParams.get('key')}`
    people.push({ email, remove: async () => expect((await call('DELETE', path, null)).status).toBe(204) })
  }
  return people
}

const copiesIn = (bytes: Buffer, text: string) => {
  let count = 0
  for (let at = bytes.indexOf(text); at !== -1; at = bytes.indexOf(text, at + 1)) count++
  return count
}

/** The copies of `text` in the SQLite database file and its write-ahead log. */
function inSqliteFiles(dataDir: string, text: string): { file: number; wal: number } {
  const read = (name: string) => (existsSync(join(dataDir, name)) ? readFileSync(join(dataDir, name)) : Buffer.alloc(0))
  return { file: copiesIn(read('boards.sqlite'), text), wal: copiesIn(read('boards.sqlite-wal'), text) }
}

/** The copies of `text` in the files of a schema's `records` table (heap and TOAST), after a CHECKPOINT. */
async function inPostgresFiles(schema: string, text: string): Promise<number> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await admin.connect()
  try {
    await admin.query('CHECKPOINT')
    const { rows } = await admin.query<{ file: Buffer }>(
      `
      SELECT pg_read_binary_file(pg_relation_filepath(c.oid)) AS file FROM pg_class c
      WHERE c.oid = $1::regclass OR c.oid = (SELECT reltoastrelid FROM pg_class WHERE oid = $1::regclass)`,
      [`${schema}.records`],
    )
    expect(rows.length).toBeGreaterThan(0)
    return rows.reduce((sum, row) => sum + copiesIn(row.file, text), 0)
  } finally {
    await admin.end()
  }
}

describe('a removed sign-up is gone from the disk', () => {
  it('SQLite: neither boards.sqlite nor its write-ahead log holds the e-mail address after removal', async () => {
    const server = await startServer()
    const people = await twoResidents(server)
    for (const { email, remove } of people) {
      const before = inSqliteFiles(server.dataDir, email)
      expect(before.file + before.wal, `${email} on disk before removal`).toBeGreaterThan(0)
      await remove()
      expect(inSqliteFiles(server.dataDir, email), `${email} on disk after removal`).toEqual({ file: 0, wal: 0 })
    }
  })

  it("PostgreSQL: the records table's files hold the e-mail address nowhere after removal and a checkpoint", async () => {
    const schema = await testSchema()
    const server = await startServer({ storage: await testPostgresStorage(schema) })
    const people = await twoResidents(server)
    for (const { email, remove } of people) {
      expect(await inPostgresFiles(schema, email), `${email} on disk before removal`).toBeGreaterThan(0)
      await remove()
      expect(await inPostgresFiles(schema, email), `${email} on disk after removal`).toBe(0)
    }
  })
})
