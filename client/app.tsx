import { lazy, Suspense } from 'react'
import { I18nProvider, useI18n } from './i18n/i18n.tsx'
import { useRoute } from './navigation.ts'
import { Lobby } from './pages/lobby.tsx'
import { Archive } from './pages/archive.tsx'
import { Platform } from './pages/platform.tsx'
import { PanelBoundary } from './board/panel-boundary.tsx'

/**
 * The board (tldraw, Yjs: ~2 MB of the 2.3 MB) is its own chunk: the lobby, the join link's first
 * paint and the archive do not wait for it on conference Wi-Fi.
 */
const BoardPage = lazy(() => import('./pages/board-page.tsx').then((m) => ({ default: m.BoardPage })))

function Loading() {
  const { t } = useI18n()
  return (
    <main className="page centered">
      <div className="card message" aria-busy="true" data-testid="board-message">
        <span className="spinner" aria-hidden="true" />
        <p>{t('board.loading')}</p>
      </div>
    </main>
  )
}

function Routes() {
  const route = useRoute()
  const { t } = useI18n()
  switch (route.page) {
    case 'lobby':
      return <Lobby />
    case 'archive':
      return <Archive />
    case 'programme':
      return <Platform key={route.programmeId ?? 'new'} programmeId={route.programmeId} />
    case 'board':
      return (
        <Suspense fallback={<Loading />}>
          <BoardPage key={route.boardId + (route.token ?? '')} boardId={route.boardId} token={route.token} />
        </Suspense>
      )
    case 'not-found':
      return (
        <main className="page centered">
          <div className="card message">
            <p>{t('board.notFound')}</p>
            <a href="/">{t('board.toLobby')}</a>
          </div>
        </main>
      )
    default: {
      const unreachable: never = route
      return unreachable
    }
  }
}

export function App() {
  return (
    <I18nProvider>
      {/* The last resort: a page that fails says so in Dutch, with a retry. */}
      <PanelBoundary where="page" className="page-fallback">
        <Routes />
      </PanelBoundary>
    </I18nProvider>
  )
}
