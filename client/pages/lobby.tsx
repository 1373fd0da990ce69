/** The start page: create a board, open one by link or code, or reopen a recent one. */
import { timeInNetherlands } from '../../shared/netherlands-time.ts'
import { useEffect, useState, type FormEvent } from 'react'
import type { CreateBoardBody, TemplateSummary } from '../../shared/api.ts'
import { api, ApiError, createKey } from '../api-client.ts'
import { LanguageToggle, useI18n } from '../i18n/i18n.tsx'
import { boardLinkFromInput, navigate } from '../navigation.ts'
import { forgetBoard, loadRecentBoards, type RecentBoard } from '../recent-boards.ts'

export function Lobby() {
  const { t, lang } = useI18n()
  const [title, setTitle] = useState('')
  const [templates, setTemplates] = useState<TemplateSummary[]>([])
  const [template, setTemplate] = useState('24-uursconferentie')
  const [opgave, setOpgave] = useState('')
  const [year, setYear] = useState(new Date().getFullYear() + 4)
  const [creating, setCreating] = useState(false)
  const [createError, setCreateError] = useState<string | null>(null)
  const [needsKey, setNeedsKey] = useState(false)
  const [key, setKey] = useState(createKey.get)
  const [link, setLink] = useState('')
  const [linkError, setLinkError] = useState<string | null>(null)
  const [recent, setRecent] = useState<RecentBoard[]>(loadRecentBoards)

  useEffect(() => {
    api.templates().then(setTemplates, () => setTemplates([]))
  }, [])

  const createWith = async (body: CreateBoardBody) => {
    setCreating(true)
    setCreateError(null)
    try {
      const board = await api.createBoard(body)
      navigate(board.links.facilitator)
    } catch (error) {
      // A server facing the internet may want a key for making boards (CREATE_KEY).
      if (error instanceof ApiError && (error.status === 401 || error.status === 403) && /creation key/.test(error.message)) setNeedsKey(true)
      setCreateError(t('lobby.new.failed', { error: (error as Error).message }))
      setCreating(false)
    }
  }

  const create = (event: FormEvent) => {
    event.preventDefault()
    if (!template) return void createWith({ title: title.trim() || undefined })
    if (!opgave.trim()) return setCreateError(t('lobby.new.opgaveRequired'))
    void createWith({ template, title: title.trim() || undefined, centraleOpgave: opgave.trim(), targetYear: year, lang })
  }
  const chosen = templates.find((tpl) => tpl.id === template)

  const open = (event: FormEvent) => {
    event.preventDefault()
    const path = boardLinkFromInput(link)
    if (!path) return setLinkError(t('lobby.open.invalid'))
    if (!path.includes('token=')) {
      // A bare code opens nothing without its access token: use the link this browser opened it with, if any.
      const known = recent.find((b) => `/b/${b.id}` === path)
      if (!known) return setLinkError(t('lobby.open.needsLink'))
      return navigate(known.link)
    }
    navigate(path)
  }

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
        <form className="card" onSubmit={create} aria-labelledby="new-heading" noValidate>
          <h2 id="new-heading">{t('lobby.new.heading')}</h2>
          <label htmlFor="new-template">{t('lobby.new.template')}</label>
          <select id="new-template" value={template} onChange={(e) => setTemplate(e.target.value)} data-testid="template">
            {templates.map((tpl) => (
              <option key={tpl.id} value={tpl.id}>
                {tpl.name[lang]}
              </option>
            ))}
            <option value="">{t('lobby.new.blank')}</option>
          </select>
          {chosen && <p className="muted">{chosen.description[lang]}</p>}
          {template && (
            <>
              <label htmlFor="new-opgave">{t('lobby.new.opgave')}</label>
              <textarea
                id="new-opgave"
                rows={3}
                value={opgave}
                maxLength={1000}
                placeholder={t('lobby.new.opgavePlaceholder')}
                onChange={(e) => {
                  setOpgave(e.target.value)
                  setCreateError(null)
                }}
              />
              <label htmlFor="new-year">{t('lobby.new.year')}</label>
              <input id="new-year" type="number" min={2000} max={2200} value={year} onChange={(e) => setYear(Math.round(Number(e.target.value)) || year)} />
            </>
          )}
          <label htmlFor="new-title">{t('lobby.new.titleLabel')}</label>
          <input id="new-title" value={title} maxLength={200} placeholder={t('lobby.new.titlePlaceholder')} onChange={(e) => setTitle(e.target.value)} />
          {needsKey && (
            <>
              <label htmlFor="create-key">{t('lobby.new.key')}</label>
              <input
                id="create-key"
                type="password"
                autoComplete="off"
                value={key}
                onChange={(e) => {
                  setKey(e.target.value)
                  createKey.set(e.target.value.trim())
                }}
                data-testid="create-key"
              />
            </>
          )}
          {createError && (
            <p className="error" role="alert">
              {createError}
            </p>
          )}
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
          {linkError && (
            <p className="error" role="alert">
              {linkError}
            </p>
          )}
          <button type="submit">{t('lobby.open.submit')}</button>
        </form>
      </div>
      <section className="card example" aria-labelledby="example-heading">
        <h2 id="example-heading">{t('lobby.example.heading')}</h2>
        <p>{t('lobby.example.text')}</p>
        <button type="button" disabled={creating} onClick={() => void createWith({ example: 'samen-aan-de-slag-2018', lang })} data-testid="open-example">
          {t('lobby.example.open')}
        </button>
      </section>
      <ImportCard />
      <section className="card recent" aria-labelledby="recent-heading">
        <h2 id="recent-heading">{t('lobby.recent.heading')}</h2>
        {recent.length === 0 ? (
          <p className="muted">{t('lobby.recent.empty')}</p>
        ) : (
          <ul data-testid="recent-boards">
            {recent.map((board) => (
              <li key={board.id}>
                <a
                  href={board.link}
                  onClick={(e) => {
                    e.preventDefault()
                    navigate(board.link)
                  }}
                >
                  {board.title || t('board.untitled')}
                </a>
                <span className="muted">
                  {' '}
                  · {board.id} · {t('lobby.recent.opened', { date: timeInNetherlands(board.openedAt, lang, { dateStyle: 'medium', timeStyle: 'short' }) })}
                </span>
                <button
                  type="button"
                  className="link-button"
                  aria-label={`${t('lobby.recent.remove')}: ${board.title || board.id}`}
                  onClick={() => setRecent(forgetBoard(board.id))}
                >
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

/** A .tldr file (from tldraw or from this app's export) becomes a new board. */
function ImportCard() {
  const { t } = useI18n()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // A file whose images pointed elsewhere becomes a board without those sources (the server drops
  // them); say so before opening it, or the empty image frames on the board go unexplained.
  const [dropped, setDropped] = useState<{ count: number; link: string } | null>(null)
  const onFile = async (file: File | undefined) => {
    if (!file) return
    setError(null)
    setDropped(null)
    if (file.size > 32 * 1024 * 1024) return setError(t('lobby.import.tooBig'))
    setBusy(true)
    try {
      const board = await api.importTldr(await file.text(), file.name.replace(/\.tldr$/i, ''))
      if (board.droppedSources > 0) setDropped({ count: board.droppedSources, link: board.links.facilitator })
      else navigate(board.links.facilitator)
    } catch (e) {
      setError(t('lobby.import.failed', { error: (e as Error).message }))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="card" aria-labelledby="import-heading">
      <h2 id="import-heading">{t('lobby.import.heading')}</h2>
      <p>{t('lobby.import.text')}</p>
      <input
        type="file"
        accept=".tldr,application/json"
        disabled={busy}
        onChange={(e) => void onFile(e.target.files?.[0])}
        aria-label={t('lobby.import.heading')}
        data-testid="import-file"
      />
      {busy && <p className="muted">{t('history.loading')}</p>}
      {error && (
        <p className="error" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
      {dropped && (
        <p role="status" data-testid="import-dropped">
          {t('lobby.import.dropped', { count: dropped.count })}{' '}
          <a
            href={dropped.link}
            onClick={(e) => {
              e.preventDefault()
              navigate(dropped.link)
            }}
          >
            {t('lobby.import.open')}
          </a>
        </p>
      )}
      <p className="muted">
        <a href="/archive">{t('archive.link')}</a> · <a href="/p/new">{t('platform.link')}</a>
      </p>
    </section>
  )
}
