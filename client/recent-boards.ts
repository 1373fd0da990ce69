/** Boards this browser opened, newest first, for the lobby. */

export interface RecentBoard {
  id: string
  title: string
  openedAt: number
  /** The link it was opened with (it carries the access token). */
  link: string
}

const STORAGE_KEY = 'board.recent'
const MAX_RECENT = 20

export function loadRecentBoards(): RecentBoard[] {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as unknown
    if (!Array.isArray(value)) return []
    return value.filter(
      (b): b is RecentBoard => typeof b?.id === 'string' && typeof b?.title === 'string' && typeof b?.openedAt === 'number' && typeof b?.link === 'string',
    )
  } catch {
    return []
  }
}

function save(boards: RecentBoard[]) {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(boards.slice(0, MAX_RECENT)))
}

export function rememberBoard(id: string, title: string, link: string): void {
  save([{ id, title, openedAt: Date.now(), link }, ...loadRecentBoards().filter((b) => b.id !== id)])
}

export function forgetBoard(id: string): RecentBoard[] {
  const boards = loadRecentBoards().filter((b) => b.id !== id)
  save(boards)
  return boards
}
