/**
 * The browser's side of the JSON API, the only place that writes an /api path. Every call goes
 * through openapi-fetch typed by client/api-schema.d.ts, which `npm run api:types` makes from
 * the server's OpenAPI document: a path, parameter or body the server does not take, or a field
 * it does not answer, fails the type check here. Refusals carry the server's message.
 */
import createClient from 'openapi-fetch'
import type { CreateBoardBody } from '../shared/api.ts'
import type { TldrFile } from '../shared/tldr-file.ts'
import type { components, paths } from './api-schema.d.ts'

type Lang = 'nl' | 'en'

export class ApiError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

const CREATE_KEY = 'board.createKey'
/** The key a server with CREATE_KEY wants for making boards, remembered in this browser. */
export const createKey = {
  get: () => localStorage.getItem(CREATE_KEY) ?? '',
  set: (key: string) => (key ? localStorage.setItem(CREATE_KEY, key) : localStorage.removeItem(CREATE_KEY)),
}
export const withCreateKey = (): Record<string, string> => (createKey.get() ? { 'x-create-key': createKey.get() } : {})

// fetch is looked up per call, not once: tests and the offline banner replace it.
const client = createClient<paths>({ fetch: (request) => globalThis.fetch(request) })

/** An answer's data, or an ApiError with the server's message (status 0: no connection). */
async function answer<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response }
  try {
    result = await call
  } catch {
    throw new ApiError(0, 'no connection to the server')
  }
  const { response, error, data } = result
  if (!response.ok) throw new ApiError(response.status, (error as { error?: string } | undefined)?.error ?? `HTTP ${response.status}`)
  return data as T
}

const bearer = (token: string | null, extra: Record<string, string> = {}) => ({ ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra })
const q = (token: string, lang?: Lang) => `?${lang ? `lang=${lang}&` : ''}token=${encodeURIComponent(token)}`

/** A download link for a file of a board or snapshot (the token travels in the URL: links are opened, not fetched). */
export function fileUrl(boardId: string, token: string, what: string, snapshotId?: string, lang?: Lang): string {
  return `/api/boards/${encodeURIComponent(boardId)}${snapshotId ? `/snapshots/${snapshotId}` : ''}/${what}${q(token, lang)}`
}
/** A download link for a programme's report or calendar. */
export function programmeFileUrl(programmeId: string, token: string, file: 'report.html' | 'report.md' | 'report.json' | 'meetings.ics', lang: Lang): string {
  return `/api/programmes/${encodeURIComponent(programmeId)}/${file}${q(token, lang)}`
}
/** The link of a signed-up person's own data, as JSON (their key in the URL). */
export function signUpDataUrl(programmeId: string, signupId: string, key: string): string {
  return `/api/programmes/${encodeURIComponent(programmeId)}/signups/${encodeURIComponent(signupId)}?key=${encodeURIComponent(key)}`
}

/** A dot's answer takes a round trip and one transaction; 10 s without one is a connection that is gone. */
const DOT_TIMEOUT_MS = 10_000

const board = (id: string) => ({ path: { id } })
const snapshot = (id: string, sid: string) => ({ path: { id, sid } })

export const api = {
  time: () => answer(client.GET('/api/time')),
  templates: () => answer(client.GET('/api/templates')),
  createBoard: (body: CreateBoardBody) => answer(client.POST('/api/boards', { body, headers: withCreateKey() })),
  getBoard: (id: string, token: string) => answer(client.GET('/api/boards/{id}', { params: board(id), headers: bearer(token) })),
  deleteBoard: (id: string, token: string) => answer(client.DELETE('/api/boards/{id}', { params: board(id), headers: bearer(token) })),
  links: (id: string, token: string) => answer(client.GET('/api/boards/{id}/links', { params: board(id), headers: bearer(token) })),
  claimCoFacilitator: (id: string, token: string, memberKey: string) =>
    answer(client.POST('/api/boards/{id}/cofacilitator', { params: board(id), body: { memberKey }, headers: bearer(token) })),
  closeSession: (id: string, token: string, by: string) =>
    answer(client.POST('/api/boards/{id}/close', { params: board(id), body: { by }, headers: bearer(token) })),

  snapshots: (id: string, token: string) => answer(client.GET('/api/boards/{id}/snapshots', { params: board(id), headers: bearer(token) })),
  takeSnapshot: (id: string, token: string, name: string, by: string) =>
    answer(client.POST('/api/boards/{id}/snapshots', { params: board(id), body: { name, by }, headers: bearer(token) })),
  // The document describes tldraw's records loosely; they are the .tldr file's.
  snapshotRecords: (id: string, token: string, sid: string) =>
    answer(client.GET('/api/boards/{id}/snapshots/{sid}/records', { params: snapshot(id, sid), headers: bearer(token) })) as unknown as Promise<TldrFile>,
  compare: (id: string, token: string, sid: string, other: string) =>
    answer(client.GET('/api/boards/{id}/snapshots/{sid}/compare', { params: { ...snapshot(id, sid), query: { with: other } }, headers: bearer(token) })),
  revert: (id: string, token: string, sid: string, by: string) =>
    answer(client.POST('/api/boards/{id}/snapshots/{sid}/revert', { params: snapshot(id, sid), body: { by }, headers: bearer(token) })),
  // A fork is a new board: a server with CREATE_KEY wants the key for it too.
  fork: (id: string, token: string, sid: string) =>
    answer(client.POST('/api/boards/{id}/snapshots/{sid}/fork', { params: snapshot(id, sid), body: {}, headers: bearer(token, withCreateKey()) })),

  importTldr: (text: string, title: string) =>
    answer(client.POST('/api/boards/import', { params: { query: { title } }, body: text, bodySerializer: (body: string) => body, headers: withCreateKey() })),
  archive: (key: string, query: string) => answer(client.GET('/api/archive', { params: { query: { q: query } }, headers: bearer(key) })),

  startVote: (id: string, token: string, frameId: string, dots: number, minutes?: number) =>
    answer(
      client.POST('/api/boards/{id}/votes', {
        params: board(id),
        body: { frameId, dots, ...(minutes === undefined ? {} : { minutes }) },
        headers: bearer(token),
      }),
    ),
  closeVote: (id: string, token: string, vote: string) =>
    answer(client.POST('/api/boards/{id}/votes/{vote}/close', { params: { path: { id, vote } }, headers: bearer(token) })),
  myDots: (id: string, token: string, vote: string, memberKey: string) =>
    answer(client.GET('/api/boards/{id}/votes/{vote}/mine', { params: { path: { id, vote }, header: { 'x-member-key': memberKey } }, headers: bearer(token) })),
  /** Gives up after DOT_TIMEOUT_MS (a half-open connection never answers): the request id makes the retry safe. */
  dot: (id: string, token: string, vote: string, memberKey: string, shapeId: string, delta: 1 | -1, requestId: string) =>
    answer(
      client.POST('/api/boards/{id}/votes/{vote}/dots', {
        params: { path: { id, vote } },
        body: { memberKey, shapeId, delta, requestId },
        signal: AbortSignal.timeout(DOT_TIMEOUT_MS),
        headers: bearer(token),
      }),
    ),

  facilitatorNotes: (id: string, token: string) => answer(client.GET('/api/boards/{id}/facilitator-notes', { params: board(id), headers: bearer(token) })),
  addFacilitatorNote: (id: string, token: string, text: string, by: string) =>
    answer(client.POST('/api/boards/{id}/facilitator-notes', { params: board(id), body: { text, by }, headers: bearer(token) })),
  deleteFacilitatorNote: (id: string, token: string, note: string) =>
    answer(client.DELETE('/api/boards/{id}/facilitator-notes/{note}', { params: { path: { id, note } }, headers: bearer(token) })),

  /** Progress from a werkplaats board to its action line (the board's facilitator token). */
  postLineUpdate: (boardId: string, token: string, body: { text: string; author: string; status?: ProgressStatus }) =>
    answer(client.POST('/api/boards/{board}/line-updates', { params: { path: { board: boardId } }, body, headers: bearer(token) })),
}

type ProgressStatus = NonNullable<paths['/api/boards/{board}/line-updates']['post']['requestBody']>['content']['application/json']['status']

/** The vliegwiel's calls (client/pages/platform/): the page's link is the bearer, the create key goes where a board is made. */
export const programmeApi = {
  create: (body: { name: string; region: string; centraleOpgave: string; municipalities: string[] }) =>
    answer(client.POST('/api/programmes', { body, headers: withCreateKey() })),
  view: (programme: string, token: string, line?: string | null) =>
    answer(client.GET('/api/programmes/{programme}', { params: { path: { programme }, query: line ? { line } : {} }, headers: bearer(token) })),
  addBoard: (programme: string, token: string, boardLink: string, kind: 'conference' | 'terugkomdag' | 'werkplaats' | 'other') =>
    answer(client.POST('/api/programmes/{programme}/boards', { params: { path: { programme } }, body: { boardLink, kind }, headers: bearer(token) })),
  newBoard: (programme: string, token: string, lang: Lang) =>
    answer(client.POST('/api/programmes/{programme}/boards/new', { params: { path: { programme } }, body: { lang }, headers: bearer(token, withCreateKey()) })),
  takeOver: (programme: string, token: string, board: string) =>
    answer(client.POST('/api/programmes/{programme}/boards/{board}/action-lines', { params: { path: { programme, board } }, headers: bearer(token) })),
  startTerugkomdag: (programme: string, token: string, lang: Lang) =>
    answer(
      client.POST('/api/programmes/{programme}/terugkomdag', { params: { path: { programme }, query: { lang } }, headers: bearer(token, withCreateKey()) }),
    ),
  line: (programme: string, token: string, line: string) =>
    answer(client.GET('/api/programmes/{programme}/lines/{line}', { params: { path: { programme, line } }, headers: bearer(token) })),
  addUpdate: (programme: string, token: string, line: string, body: { text: string; author: string; status?: ProgressStatus }) =>
    answer(client.POST('/api/programmes/{programme}/lines/{line}/updates', { params: { path: { programme, line } }, body, headers: bearer(token) })),
  setNextMeeting: (programme: string, token: string, line: string, nextMeeting: string | null) =>
    answer(client.PATCH('/api/programmes/{programme}/lines/{line}', { params: { path: { programme, line } }, body: { nextMeeting }, headers: bearer(token) })),
  makeWerkplaats: (programme: string, token: string, line: string) =>
    answer(
      client.POST('/api/programmes/{programme}/lines/{line}/werkplaats', { params: { path: { programme, line } }, headers: bearer(token, withCreateKey()) }),
    ),
  trekkerLink: (programme: string, token: string, line: string) =>
    answer(client.GET('/api/programmes/{programme}/lines/{line}/trekker-link', { params: { path: { programme, line } }, headers: bearer(token) })),
  signUps: (programme: string, token: string, line: string) =>
    answer(client.GET('/api/programmes/{programme}/signups', { params: { path: { programme }, query: { line } }, headers: bearer(token) })),
  signUp: (
    programme: string,
    token: string,
    line: string,
    body: { name: string; contact: string; organisation: string; group: string; consent: true; smoelenboek: boolean },
  ) => answer(client.POST('/api/programmes/{programme}/lines/{line}/signups', { params: { path: { programme, line } }, body, headers: bearer(token) })),
  mySignUp: (programme: string, signup: string, key: string) =>
    answer(client.GET('/api/programmes/{programme}/signups/{signup}', { params: { path: { programme, signup }, query: { key } } })),
  deleteMySignUp: (programme: string, signup: string, key: string) =>
    answer(client.DELETE('/api/programmes/{programme}/signups/{signup}', { params: { path: { programme, signup }, query: { key } } })),
  proposeExperiment: (programme: string, token: string, body: ExperimentProposal) =>
    answer(client.POST('/api/programmes/{programme}/experiments', { params: { path: { programme } }, body, headers: bearer(token) })),
  decideExperiment: (programme: string, token: string, experiment: string, decision: 'accepted' | 'declined', reason: string) =>
    answer(
      client.POST('/api/programmes/{programme}/experiments/{experiment}/decision', {
        params: { path: { programme, experiment } },
        body: { decision, reason },
        headers: bearer(token),
      }),
    ),
}

export type ExperimentProposal = NonNullable<paths['/api/programmes/{programme}/experiments']['post']['requestBody']>['content']['application/json']

/** A note only facilitators see (server/http/routes/facilitator-notes.ts). */
export type FacilitatorNote = components['schemas']['FacilitatorNote']
