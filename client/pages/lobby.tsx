/** The start page: create a board, open one by link or code, or reopen a recent one. */
import { useState, type FormEvent } from 'react'
import { api } from '../api-client.ts'
import { LanguageToggle, useI18n } from '../i18n/i18n.tsx'
import { boardIdFromInput, navigate } from '../navigation.ts'
import { forgetBoard, loadRecentBoards, type RecentBoard } from '../recent-boards.ts'

export function Lobby() {
  const { t, lang } = useI18n()
  const [title, setTitle] = useState('')
  const [creating, setCreating] = useState(false)
  const [createError, setCreateError] = useState<string | null>(null)
  const [link, setLink] = useState('')
  const [linkError, setLinkError] = useState<string | null>(null)
  const [recent, setRecent] = useState<RecentBoard[]>(loadRecentBoards)

  const create = async (event: FormEvent) => {
    event.preventDefault()
    setCreating(true)
    setCreateError(null)
    try {
      const board = await api.createBoard({ title: title.trim() || undefined })
      navigate(board.path)
    } catch (error) {
      setCreateError(t('lobby.new.failed', { error: (error as Error).message }))
      setCreating(false)
    }
  }

  const open = (event: FormEvent) => {
    event.preventDefault()
    const id = boardIdFromInput(link)
    if (!id) return setLinkError(t('lobby.open.invalid'))
    navigate(`/b/${id}`)
  }

  const dateFormat = new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' })

  return (
    <main className="page lobby">
      <header className="lobby-header">
        <div>
          <h1>{t('app.title')}</h1>
          <p className="tagline">{t('app.tagline')}</p>
        </div>
        <LanguageToggle />
      </header>
      <div className="lobby-grid">
        <form className="card" onSubmit={(e) => void create(e)} aria-labelledby="new-heading">
          <h2 id="new-heading">{t('lobby.new.heading')}</h2>
          <label htmlFor="new-title">{t('lobby.new.titleLabel')}</label>
          <input id="new-title" value={title} maxLength={200} placeholder={t('lobby.new.titlePlaceholder')} onChange={(e) => setTitle(e.target.value)} />
          {createError && <p className="error" role="alert">{createError}</p>}
          <button type="submit" className="primary" disabled={creating} data-testid="create-board">
            {creating ? t('lobby.new.creating') : t('lobby.new.submit')}
          </button>
        </form>
        <form className="card" onSubmit={open} aria-labelledby="open-heading" noValidate>
          <h2 id="open-heading">{t('lobby.open.heading')}</h2>
          <label htmlFor="open-link">{t('lobby.open.label')}</label>
          <input
            id="open-link"
            value={link}
            placeholder={t('lobby.open.placeholder')}
            aria-invalid={linkError !== null}
            onChange={(e) => {
              setLink(e.target.value)
              setLinkError(null)
            }}
          />
          {linkError && <p className="error" role="alert">{linkError}</p>}
          <button type="submit">{t('lobby.open.submit')}</button>
        </form>
      </div>
      <section className="card recent" aria-labelledby="recent-heading">
        <h2 id="recent-heading">{t('lobby.recent.heading')}</h2>
        {recent.length === 0 ? (
          <p className="muted">{t('lobby.recent.empty')}</p>
        ) : (
          <ul data-testid="recent-boards">
            {recent.map((board) => (
              <li key={board.id}>
                <a href={`/b/${board.id}`} onClick={(e) => { e.preventDefault(); navigate(`/b/${board.id}`) }}>
                  {board.title || t('board.untitled')}
                </a>
                <span className="muted"> · {board.id} · {t('lobby.recent.opened', { date: dateFormat.format(board.openedAt) })}</span>
                <button type="button" className="link-button" aria-label={`${t('lobby.recent.remove')}: ${board.title || board.id}`} onClick={() => setRecent(forgetBoard(board.id))}>
                  {t('lobby.recent.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  )
}
