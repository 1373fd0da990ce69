/** The browser's side of the JSON API; errors carry the server's message. */
import type { BoardAccess, BoardLinks, CreateBoardBody, CreatedBoard, ImportedBoard, MyDots, TemplateSummary } from '../shared/api.ts'
import type { VoteState } from '../shared/voting.ts'
import type { RecordDiff, SnapshotSummary } from '../shared/snapshot.ts'
import type { TldrFile } from '../shared/tldr-file.ts'
import type { ArchiveEntry } from '../shared/archive.ts'

/** A download link for a file the API serves (the token travels in the URL). */
export function fileUrl(boardId: string, token: string, what: string, snapshotId?: string): string {
  return `${board(boardId)}${snapshotId ? `/snapshots/${snapshotId}` : ''}/${what}?token=${encodeURIComponent(token)}`
}

export class ApiError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } })

const CREATE_KEY = 'board.createKey'
/** The key a server with CREATE_KEY wants for making boards, remembered in this browser. */
export const createKey = {
  get: () => localStorage.getItem(CREATE_KEY) ?? '',
  set: (key: string) => (key ? localStorage.setItem(CREATE_KEY, key) : localStorage.removeItem(CREATE_KEY)),
}
export const withCreateKey = (): Record<string, string> => (createKey.get() ? { 'x-create-key': createKey.get() } : {})

/** A note only facilitators see (server/http/routes/facilitator-notes.ts). */
export interface FacilitatorNote { id: string; text: string; createdBy: string; createdAt: number }

/** A JSON request to the API; a refusal becomes an ApiError with the server's message. */
export async function request<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } })
  } catch {
    throw new ApiError(0, 'no connection to the server')
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string }
  if (!response.ok) throw new ApiError(response.status, body.error ?? `HTTP ${response.status}`)
  return body as T
}

/** A dot's answer takes a round trip and one transaction; 10 s without one is a connection that is gone. */
const DOT_TIMEOUT_MS = 10_000

const board = (id: string) => `/api/boards/${encodeURIComponent(id)}`
const post = (token: string, body: unknown = {}): RequestInit => ({ method: 'POST', body: JSON.stringify(body), ...bearer(token) })

export const api = {
  snapshots: (id: string, token: string) => request<SnapshotSummary[]>(`${board(id)}/snapshots`, bearer(token)),
  takeSnapshot: (id: string, token: string, name: string, by: string) => request<SnapshotSummary>(`${board(id)}/snapshots`, post(token, { name, by })),
  snapshotRecords: (id: string, token: string, sid: string) => request<TldrFile>(`${board(id)}/snapshots/${sid}/records`, bearer(token)),
  compare: (id: string, token: string, sid: string, other: string) => request<RecordDiff>(`${board(id)}/snapshots/${sid}/compare?with=${encodeURIComponent(other)}`, bearer(token)),
  revert: (id: string, token: string, sid: string, by: string) => request<{ before: SnapshotSummary; diff: RecordDiff }>(`${board(id)}/snapshots/${sid}/revert`, post(token, { by })),
  // A fork is a new board: a server with CREATE_KEY wants the key for it too.
  fork: (id: string, token: string, sid: string) => request<CreatedBoard>(`${board(id)}/snapshots/${sid}/fork`, { method: 'POST', body: '{}', headers: { authorization: `Bearer ${token}`, ...withCreateKey() } }),
  closeSession: (id: string, token: string, by: string) => request<{ closedAt: number }>(`${board(id)}/close`, post(token, { by })),
  deleteBoard: (id: string, token: string) => request<{ deleted: string }>(board(id), { method: 'DELETE', ...bearer(token) }),
  importTldr: (text: string, title: string) => request<ImportedBoard>(`/api/boards/import?title=${encodeURIComponent(title)}`, { method: 'POST', body: text, headers: withCreateKey() }),
  archive: (key: string, query: string) => request<ArchiveEntry[]>(`/api/archive?q=${encodeURIComponent(query)}`, bearer(key)),
  createBoard: (body: CreateBoardBody) => request<CreatedBoard>('/api/boards', { method: 'POST', body: JSON.stringify(body), headers: withCreateKey() }),
  getBoard: (id: string, token: string) => request<BoardAccess>(`/api/boards/${encodeURIComponent(id)}`, bearer(token)),
  links: (id: string, token: string) => request<BoardLinks>(`/api/boards/${encodeURIComponent(id)}/links`, bearer(token)),
  claimCoFacilitator: (id: string, token: string, key: string) =>
    request<{ link: string }>(`/api/boards/${encodeURIComponent(id)}/cofacilitator`, { method: 'POST', body: JSON.stringify({ memberKey: key }), ...bearer(token) }),
  templates: () => request<TemplateSummary[]>('/api/templates'),
  startVote: (id: string, token: string, frameId: string, dots: number, minutes?: number) =>
    request<VoteState>(`/api/boards/${id}/votes`, { method: 'POST', body: JSON.stringify({ frameId, dots, minutes }), ...bearer(token) }),
  facilitatorNotes: (id: string, token: string) => request<FacilitatorNote[]>(`/api/boards/${id}/facilitator-notes`, bearer(token)),
  addFacilitatorNote: (id: string, token: string, text: string, by: string) =>
    request<FacilitatorNote>(`/api/boards/${id}/facilitator-notes`, { method: 'POST', body: JSON.stringify({ text, by }), ...bearer(token) }),
  deleteFacilitatorNote: (id: string, token: string, noteId: string) =>
    request<void>(`/api/boards/${id}/facilitator-notes/${noteId}`, { method: 'DELETE', ...bearer(token) }),
  closeVote: (id: string, token: string, voteId: string) => request<VoteState>(`/api/boards/${id}/votes/${voteId}/close`, { method: 'POST', body: '{}', ...bearer(token) }),
  myDots: (id: string, token: string, voteId: string, memberKey: string) =>
    request<MyDots>(`/api/boards/${id}/votes/${voteId}/mine`, { headers: { authorization: `Bearer ${token}`, 'x-member-key': memberKey } }),
  /** Gives up after DOT_TIMEOUT_MS (a half-open connection never answers): the request id makes the retry safe. */
  dot: (id: string, token: string, voteId: string, memberKey: string, shapeId: string, delta: 1 | -1, requestId: string) =>
    request<MyDots>(`/api/boards/${id}/votes/${voteId}/dots`, { method: 'POST', body: JSON.stringify({ memberKey, shapeId, delta, requestId }), signal: AbortSignal.timeout(DOT_TIMEOUT_MS), ...bearer(token) }),
}
