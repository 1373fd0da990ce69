/** Minimal client-side routing: two pages, history API. */
import { useEffect, useState } from 'react'
import { parseBoardId, type BoardId } from '../shared/board-id.ts'

export type Route = { page: 'lobby' } | { page: 'board'; boardId: BoardId } | { page: 'not-found' }

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'lobby' }
  const match = /^\/b\/([^/]+)\/?$/.exec(pathname)
  if (match) {
    const boardId = parseBoardId(decodeURIComponent(match[1]!))
    return boardId ? { page: 'board', boardId } : { page: 'not-found' }
  }
  return { page: 'not-found' }
}

export function navigate(path: string): void {
  history.pushState(null, '', path)
  window.dispatchEvent(new PopStateEvent('popstate'))
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname))
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(location.pathname))
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])
  return route
}

/** Accepts a full board link or a bare code; returns the board id or null. */
export function boardIdFromInput(input: string): BoardId | null {
  const text = input.trim()
  const fromLink = /\/b\/([^/?#\s]+)/.exec(text)
  return parseBoardId(fromLink ? decodeURIComponent(fromLink[1]!) : text)
}
