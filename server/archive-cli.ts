/**
 * `npm run archive -- <command>`: the session archive from the command line, on the same
 * storage as the server — DATA_DIR's SQLite file (it may be running; SQLite takes turns), or
 * PostgreSQL when DATABASE_URL is set.
 *
 *   list                    every board: id, title, template, dates, action lines, snapshots
 *   export <board> <dir>    the board's .tldr, outcome, report (Markdown, HTML), map (SVG) and
 *                           archive zip, and every snapshot's .tldr and thumbnail, with progress
 *   import <file.tldr>      a new board from a tldraw file; prints its facilitator link
 *   key                     the archive key (for /archive in the browser)
 *   programme list          every programme: id, name, region, boards, action lines, quiet lines
 *   programme export <p> <dir>  its progress report (Markdown, HTML, JSON) and meetings (.ics),
 *                           and its aanjager and public links
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import * as Y from 'yjs'
import { parseBoardId, type BoardId } from '../shared/board-id.ts'
import { templateOf } from '../shared/doc-layout.ts'
import { boardLink } from '../shared/roles.ts'
import { TldrError } from '../shared/tldr-file.ts'
import { readConfig } from './config.ts'
import { fileNameOf } from '../shared/file-name.ts'
import { archiveFiles, tldrOf, zip } from './session/exports.ts'
import { importTldr } from './session/import-board.ts'
import { outcomeOf } from './session/outcome.ts'
import { snapshotDoc } from './session/snapshots.ts'
import { openSqliteStorage } from './storage/sqlite-storage.ts'
import { openPostgresStorage } from './storage/postgres-storage.ts'
import type { Storage } from './storage/storage.ts'
import { ARCHIVE_SCOPE, createTokens, loadOrCreateSecret, type Tokens } from './policy/tokens.ts'
import { inlineBoardWork } from './room/board-work.ts'
import { createLogger } from './log.ts'
import { ProgrammeService } from './programmes/programmes.ts'
import { programmeHtml, programmeIcs, programmeJson, programmeMarkdown } from '../shared/programme-report.ts'
import { minuteInNetherlands } from '../shared/netherlands-time.ts'
import { isStale } from '../shared/programme.ts'

const USAGE = `usage: npm run archive -- list | export <board> <dir> | import <file.tldr> [title] | key
       npm run archive -- programme list | programme export <programme> <dir>`

class UsageError extends Error {}

/** Dutch time: what the people who ran the session remember (not UTC, an hour or two off). */
const date = (ms: number | null) => (ms ? minuteInNetherlands(ms) : '—')

/** The board as stored (the CLI has no live rooms; a running server flushes within FLUSH_MS). */
async function boardDoc(storage: Storage, id: BoardId): Promise<Y.Doc> {
  const updates = await storage.log.load(id)
  const doc = new Y.Doc()
  Y.transact(doc, () => {
    for (const update of updates) Y.applyUpdate(doc, update)
  })
  return doc
}

async function list(storage: Storage) {
  const boards = await storage.catalogue.list()
  if (boards.length === 0) return console.log('No boards in this DATA_DIR.')
  console.log(['id', 'title', 'template', 'created', 'last change', 'closed', 'action lines', 'snapshots'].join('\t'))
  for (const info of boards) {
    const doc = await boardDoc(storage, info.id)
    const outcome = outcomeOf(doc, info.title)
    const template = templateOf(doc)
    doc.destroy()
    const snapshots = await storage.snapshots.list(info.id)
    console.log(
      [
        info.id,
        info.title,
        template || '—',
        date(info.createdAt),
        date(info.updatedAt),
        date(info.closedAt),
        outcome.actionLines.length,
        snapshots.length,
      ].join('\t'),
    )
  }
}

async function exportBoard(storage: Storage, rawId: string | undefined, dir: string | undefined) {
  const id = rawId ? parseBoardId(rawId) : null
  if (!id || !dir) throw new UsageError('export needs a board id and a folder')
  const info = await storage.catalogue.get(id)
  if (!info) throw new Error(`no board ${id} in this DATA_DIR (see: npm run archive -- list)`)
  const snapshots = await storage.snapshots.list(id)
  const doc = await boardDoc(storage, id)
  const files = archiveFiles(doc, info.title, 'nl', await storage.log.loadLateUpdates(id))
  doc.destroy()
  // Each file, the zip of them, then each snapshot.
  const steps = files.length + 1 + snapshots.length
  let step = 0
  const progress = (what: string) => console.log(`[${++step}/${steps}] ${what}`)
  mkdirSync(dir, { recursive: true })
  const write = (name: string, data: string | Uint8Array) => {
    writeFileSync(join(dir, name), data)
    progress(name)
  }
  for (const file of files) write(file.name, file.data)
  write(`${fileNameOf(info.title, id)}.zip`, zip(files))
  if (snapshots.length > 0) mkdirSync(join(dir, 'snapshots'), { recursive: true })
  for (const listed of snapshots) {
    const snapshot = (await storage.snapshots.get(id, listed.id))!
    const base = `${minuteInNetherlands(snapshot.createdAt).replace(/[: ]/g, '-')}-${snapshot.kind}-${fileNameOf(snapshot.name, snapshot.id)}`
    const snapDoc = snapshotDoc(snapshot)
    writeFileSync(join(dir, 'snapshots', `${base}.tldr`), JSON.stringify(tldrOf(snapDoc)))
    writeFileSync(join(dir, 'snapshots', `${base}.svg`), snapshot.thumbnail)
    snapDoc.destroy()
    progress(`snapshots/${base} (.tldr, .svg)`)
  }
  console.log(`Exported “${info.title}” (${id}) to ${dir}`)
}

async function importFile(storage: Storage, path: string | undefined, title: string | undefined, dataDir: string, secret: string | undefined) {
  if (!path) throw new UsageError('import needs a .tldr file')
  const text = readFileSync(path, 'utf8')
  const { info, droppedSources } = await importTldr(storage, inlineBoardWork, text, title?.trim() || basename(path).replace(/\.tldr$/i, ''))
  if (droppedSources > 0) console.log(`Left out ${droppedSources} image source(s) that pointed at another site or held no image`)
  const tokens = createTokens(loadOrCreateSecret(dataDir, secret))
  console.log(`Imported ${path} as board ${info.id} (“${info.title}”)`)
  console.log(`Facilitator link: ${boardLink(info.id, tokens.sign(info.id, 'facilitator'))}`)
}

async function programme(storage: Storage, tokens: Tokens, [sub, id, dir]: string[]) {
  const programmes = new ProgrammeService(storage, (board) => storage.log.load(board), inlineBoardWork, tokens, createLogger('error', 'json'))
  if (sub === 'list') {
    const all = await programmes.list()
    if (all.length === 0) return console.log('No programmes.')
    for (const p of all) {
      const view = await programmes.view(p.id, { role: 'aanjager' })
      const quiet = view.lines.filter((l) => isStale(l, p.staleWeeks, Date.now())).length
      console.log(
        `${p.id}  ${p.name}${p.region ? ` (${p.region})` : ''} — ${view.boards.length} boards, ${view.lines.length} action lines, ${quiet} without progress for ${p.staleWeeks} weeks`,
      )
    }
    return
  }
  if (sub !== 'export' || !id || !dir) throw new UsageError('programme needs: list, or export <programme> <dir>')
  const data = await programmes.reportData(id, { role: 'public' })
  mkdirSync(dir, { recursive: true })
  const files: [string, string][] = [
    ['report.md', programmeMarkdown(data, 'nl')],
    ['report.html', programmeHtml(data, 'nl')],
    ['report.json', JSON.stringify(programmeJson(data), null, 2)],
    ['meetings.ics', programmeIcs(data, 'nl', 'localhost')],
    [
      'links.txt',
      `aanjager: /p/${id}?token=${tokens.sign(`programme:${id}`, 'facilitator')}\npublic: /p/${id}?token=${tokens.sign(`programme:${id}`, 'viewer')}\n`,
    ],
  ]
  files.forEach(([name, text], i) => {
    writeFileSync(join(dir, name), text)
    console.log(`[${i + 1}/${files.length}] ${name}`)
  })
  console.log(`Exported programme “${data.programme.name}” (${id}) to ${dir}`)
}

async function main(args: string[]): Promise<number> {
  const config = readConfig()
  const [command, ...rest] = args
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE)
    return command ? 0 : 2
  }
  if (command === 'key') {
    const tokens = createTokens(loadOrCreateSecret(config.dataDir, config.tokenSecret))
    console.log(tokens.sign(ARCHIVE_SCOPE, 'facilitator'))
    return 0
  }
  const storage = config.databaseUrl
    ? await openPostgresStorage({ url: config.databaseUrl, schema: config.databaseSchema, maxConnections: 2 })
    : openSqliteStorage(config.dataDir)
  try {
    if (command === 'list') await list(storage)
    else if (command === 'export') await exportBoard(storage, rest[0], rest[1])
    else if (command === 'import') await importFile(storage, rest[0], rest[1], config.dataDir, config.tokenSecret)
    else if (command === 'programme') await programme(storage, createTokens(loadOrCreateSecret(config.dataDir, config.tokenSecret)), rest)
    else throw new UsageError(`unknown command “${command}”`)
    return 0
  } finally {
    await storage.close()
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n${USAGE}`)
    else if (error instanceof TldrError) console.error(`Refused: ${error.message}`)
    else console.error(`Failed: ${(error as Error).message}`)
    process.exit(error instanceof UsageError ? 2 : 1)
  },
)
