/** Minimal client-side routing: two pages, history API. */
import { useEffect, useState } from 'react'
import { parseBoardId, type BoardId } from '../shared/board-id.ts'

export type Route =
  | { page: 'lobby' }
  | { page: 'archive' }
  | { page: 'board'; boardId: BoardId; token: string | null }
  | { page: 'programme'; programmeId: string | null }
  | { page: 'not-found' }

export function parseRoute(pathname: string, search = ''): Route {
  if (pathname === '/' || pathname === '') return { page: 'lobby' }
  if (pathname === '/archive' || pathname === '/archive/') return { page: 'archive' }
  if (pathname === '/p/new' || pathname === '/p/new/') return { page: 'programme', programmeId: null }
  const programme = /^\/p\/([a-z0-9]{8,32})\/?$/.exec(pathname)
  if (programme) return { page: 'programme', programmeId: programme[1]! }
  const match = /^\/b\/([^/]+)\/?$/.exec(pathname)
  if (match) {
    const boardId = parseBoardId(decodeURIComponent(match[1]!))
    return boardId ? { page: 'board', boardId, token: new URLSearchParams(search).get('token') } : { page: 'not-found' }
  }
  return { page: 'not-found' }
}

export function navigate(path: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', path)
  else history.pushState(null, '', path)
  window.dispatchEvent(new PopStateEvent('popstate'))
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname, location.search))
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(location.pathname, location.search))
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])
  return route
}

/** Accepts a full board link (keeping its access token) or a bare code; returns the path to open, or null. */
export function boardLinkFromInput(input: string): string | null {
  const id = boardIdFromInput(input)
  if (!id) return null
  const token = /[?&]token=([^&#\s]+)/.exec(input.trim())?.[1]
  return token ? `/b/${id}?token=${token}` : `/b/${id}`
}

/** Accepts a full board link or a bare code; returns the board id or null. */
export function boardIdFromInput(input: string): BoardId | null {
  const text = input.trim()
  const fromLink = /\/b\/([^/?#\s]+)/.exec(text)
  return parseBoardId(fromLink ? decodeURIComponent(fromLink[1]!) : text)
}
