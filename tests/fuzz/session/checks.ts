/**
 * What must hold after every step of a fuzzed session and at its end: no error screen, no
 * uncaught error or unexplained console error on any page, every page holding the server's
 * records (and the server none of anyone's private notes), no honest person refused by the
 * server, and a report that renders and counts what is on the board.
 */
import type { Page } from 'playwright-core'
import type { Editor } from 'tldraw'
import { recordsOf } from '../../../shared/doc-layout.ts'
import { CloseCode } from '../../../shared/protocol.ts'
import type { TestClient } from '../../helpers/client.ts'
import type { PageProblem } from './cast.ts'

/** Record types of a board's document (shared/tldr-file.ts DOCUMENT_TYPES). */
const DOCUMENT_TYPES = ['document', 'page', 'shape', 'binding', 'asset']

/** The error screens a page can show: tldraw's own, and the board's (whole page or one panel). */
const ERROR_SCREENS = [
  /Something went wrong/i,
  /Dit onderdeel liep vast/i,
  /This part (got stuck|crashed|stopped)/i,
  /Er ging iets mis/i,
  // A card that could not be drawn (the per-shape fallback): contained, and still a finding.
  /Dit onderdeel kan niet getekend worden/i,
  /This item cannot be drawn/i,
]

/** Sorted-key JSON, so the same record reads the same whoever serialised it. */
export function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

export async function errorScreens(page: Page): Promise<string[]> {
  const found: string[] = []
  if ((await page.locator('.tl-error-boundary').count()) > 0) found.push('tldraw error boundary (.tl-error-boundary)')
  const text = await page.evaluate(() => document.body?.innerText ?? '').catch(() => '')
  for (const pattern of ERROR_SCREENS) {
    const match = pattern.exec(text)
    if (match) found.push(`error text "${text.slice(Math.max(0, match.index - 40), match.index + 120).replace(/\s+/g, ' ')}"`)
  }
  return found
}

/**
 * Console errors a healthy page may log, each with its reason; anything else is a finding.
 * `faulty` is true while (or just after) this person's network was cut or frozen.
 */
export function explained(problem: PageProblem, faulty: boolean, phone = false): string | null {
  if (problem.kind !== 'console') return null
  // Chromium's intervention notice when tldraw calls preventDefault in a touch listener that
  // React registered as passive (every tap on its canvas and toolbar): the tap still works.
  if (phone && /^Unable to preventDefault inside passive event listener invocation\.$/.test(problem.text)) return 'tldraw touch handling (Chromium notice)'
  // Chromium logs every failed request and socket; while the network is down that is the point.
  if (faulty && /net::ERR_|WebSocket connection to .* failed|Failed to fetch|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION/i.test(problem.text))
    return 'network down (fault)'
  return null
}

type TestWindow = { __boardTest?: { editor?: Editor } }

export interface PageState {
  /** id → stable JSON of the document records this page shares. */
  shared: Record<string, string>
  /** Ids of the private-round notes this page holds back (shared/private-round.ts). */
  private: string[]
}

export async function pageState(page: Page): Promise<PageState | null> {
  return page
    .evaluate((types) => {
      const editor = (window as unknown as TestWindow).__boardTest?.editor
      if (!editor) return null
      const stableIn = (value: unknown): string => {
        if (Array.isArray(value)) return `[${value.map(stableIn).join(',')}]`
        if (value && typeof value === 'object')
          return `{${Object.keys(value)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${stableIn((value as Record<string, unknown>)[k])}`)
            .join(',')}}`
        return JSON.stringify(value) ?? 'null'
      }
      const shared: Record<string, string> = {}
      const held: string[] = []
      const isPrivate = (record: { typeName: string; meta?: Record<string, unknown> } | undefined) =>
        record?.typeName === 'shape' && typeof record.meta?.privateRound === 'string'
      for (const record of editor.store.allRecords()) {
        if (!types.includes(record.typeName)) continue
        // An arrow's binding to or from a private shape stays in this browser with it (shared/store-binding.ts).
        const ends = record.typeName === 'binding' ? [(record as { fromId: string }).fromId, (record as { toId: string }).toId] : []
        if (isPrivate(record as never) || ends.some((id) => isPrivate(editor.store.get(id as never) as never))) held.push(record.id)
        else shared[record.id] = stableIn(record)
      }
      return { shared, private: held }
    }, DOCUMENT_TYPES)
    .catch(() => null)
}

export function serverRecords(mirror: TestClient): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [id, value] of recordsOf(mirror.doc).entries()) out[id] = stable(value)
  return out
}

/** What differs between a page and the server, in a few lines (empty: the same). */
export function differences(page: Record<string, string>, server: Record<string, string>, max = 6): string[] {
  const lines: string[] = []
  for (const id of Object.keys(server)) {
    if (!(id in page)) lines.push(`missing on the page: ${id} ${server[id]!.slice(0, 160)}`)
    else if (page[id] !== server[id]) lines.push(`differs: ${id}\n      page:   ${diffHint(page[id]!, server[id]!)}`)
  }
  for (const id of Object.keys(page)) if (!(id in server)) lines.push(`not on the server: ${id} ${page[id]!.slice(0, 160)}`)
  return lines.length > max ? [...lines.slice(0, max), `… and ${lines.length - max} more`] : lines
}

/** The stretch where two serialisations part, with a little context. */
function diffHint(a: string, b: string): string {
  let i = 0
  while (i < a.length && a[i] === b[i]) i++
  const from = Math.max(0, i - 40)
  return `…${a.slice(from, i + 60)}…\n      server: …${b.slice(from, i + 60)}…`
}

/**
 * Closes that refuse nobody: a server shutting down, the half-open old connection of a browser
 * that came back on a new one (it is on the new one already), a deleted board.
 */
const NOT_REFUSALS = new Set<number>([CloseCode.goingAway, CloseCode.replaced, CloseCode.boardDeleted])

/** The server's refusals of an honest connection (server/room/connection.ts logs each close it makes). */
export function refusals(records: readonly Record<string, unknown>[], from = 0): string[] {
  return records.slice(from).flatMap((r) => {
    if (r.msg === 'closing connection' && !NOT_REFUSALS.has(r.code as number))
      return [`server closed ${String(r.role)} connection ${String(r.conn)}: ${String(r.code)} ${String(r.reason)} — ${String(r.detail ?? '').slice(0, 300)}`]
    if (r.msg === 'refused upgrade') return [`server refused an upgrade: ${stable(r).slice(0, 300)}`]
    if (r.msg === 'unexpected error on connection') return [`server error on a connection: ${String(r.error).slice(0, 400)}`]
    return []
  })
}

/** The connection state the page shows (connection-badge.tsx). */
export async function connectionState(page: Page): Promise<string> {
  return (
    (await page
      .getByTestId('connection-status')
      .first()
      .getAttribute('data-state', { timeout: 2_000 })
      .catch(() => null)) ?? 'none'
  )
}

export interface Outcome {
  actionLines: unknown[]
  themes: unknown[]
  personas: unknown[]
  quotes: unknown[]
  experiments: unknown[]
}

/** Typed cards the report must count exactly, wherever they lie (README, The format on the board). */
export const COUNTED: Record<keyof Outcome, string> = {
  actionLines: 'action-line',
  themes: 'theme-card',
  personas: 'persona',
  quotes: 'quote',
  experiments: 'experiment',
}

/** The report of the board: it renders in every format and counts what the server holds. */
export async function reportProblems(baseUrl: string, boardId: string, token: string, server: Record<string, string>): Promise<string[]> {
  const problems: string[] = []
  const get = (format: string) => fetch(`${baseUrl}/api/boards/${boardId}/outcome.${format}?token=${encodeURIComponent(token)}`)
  for (const format of ['md', 'html']) {
    const answer = await get(format)
    if (!answer.ok) problems.push(`outcome.${format} answered ${answer.status}: ${(await answer.text()).slice(0, 300)}`)
  }
  const answer = await get('json')
  if (!answer.ok) return [...problems, `outcome.json answered ${answer.status}: ${(await answer.text()).slice(0, 300)}`]
  const outcome = (await answer.json()) as Outcome
  const shapes = Object.values(server).map((json) => JSON.parse(json) as { typeName: string; type?: string; props?: Record<string, unknown> })
  for (const [key, type] of Object.entries(COUNTED) as [keyof Outcome, string][]) {
    // A quote without words is left out of the report (shared/format/extract-outcome.ts).
    const counts = (s: (typeof shapes)[number]) => s.typeName === 'shape' && s.type === type && (type !== 'quote' || String(s.props?.text ?? '').trim() !== '')
    const onBoard = shapes.filter(counts).length
    const counted = outcome[key]?.length ?? -1
    if (counted !== onBoard) problems.push(`report counts ${counted} ${key}, the board holds ${onBoard} ${type} cards`)
  }
  return problems
}
