import { I18nProvider, useI18n } from './i18n/i18n.tsx'
import { useRoute } from './navigation.ts'
import { BoardPage } from './pages/board-page.tsx'
import { Lobby } from './pages/lobby.tsx'
import { Archive } from './pages/archive.tsx'

function Routes() {
  const route = useRoute()
  const { t } = useI18n()
  switch (route.page) {
    case 'lobby':
      return <Lobby />
    case 'archive':
      return <Archive />
    case 'board':
      return <BoardPage key={route.boardId + (route.token ?? '')} boardId={route.boardId} token={route.token} />
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
      <Routes />
    </I18nProvider>
  )
}
