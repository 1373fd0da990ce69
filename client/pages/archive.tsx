/**
 * /archive: every session on this server, searchable, for the municipality and partners who
 * follow the action lines up. Needs the archive key (printed in the server log at start-up, or
 * `npm run archive -- key`), given once as ?key=… and then remembered in this browser.
 */
import { useEffect, useState, type FormEvent } from 'react'
import type { ArchiveEntry } from '../../shared/archive.ts'
import { longDayInNetherlands } from '../../shared/netherlands-time.ts'
import { api, ApiError, fileUrl } from '../api-client.ts'
import { LanguageToggle, useI18n } from '../i18n/i18n.tsx'

const KEY = 'board.archiveKey'

function initialKey(): string {
  const fromUrl = new URLSearchParams(location.search).get('key')
  if (fromUrl) {
    localStorage.setItem(KEY, fromUrl)
    history.replaceState(null, '', '/archive')
    return fromUrl
  }
  return localStorage.getItem(KEY) ?? ''
}

export function Archive() {
  const { t, lang } = useI18n()
  const [key, setKey] = useState(initialKey)
  const [draftKey, setDraftKey] = useState('')
  const [query, setQuery] = useState('')
  const [entries, setEntries] = useState<ArchiveEntry[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const date = (ms: number) => longDayInNetherlands(ms, lang)

  useEffect(() => {
    if (!key) return
    let cancelled = false
    const timer = setTimeout(() => {
      api.archive(key, query).then(
        (list) => !cancelled && (setEntries(list), setError(null)),
        (e: unknown) => {
          if (cancelled) return
          if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
            localStorage.removeItem(KEY)
            setKey('')
          }
          setError((e as Error).message)
        },
      )
    }, 200)
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [key, query])

  const saveKey = (event: FormEvent) => {
    event.preventDefault()
    localStorage.setItem(KEY, draftKey.trim())
    setKey(draftKey.trim())
  }

  return (
    <main className="page archive">
      <header className="lobby-header">
        <h1>{t('archive.title')}</h1>
        <a href="/">{t('board.toLobby')}</a>
        <LanguageToggle />
      </header>
      {!key ? (
        <form className="card" onSubmit={saveKey}>
          <label htmlFor="archive-key">{t('archive.key')}</label>
          <input id="archive-key" value={draftKey} onChange={(e) => setDraftKey(e.target.value)} autoComplete="off" data-testid="archive-key" />
          <p className="muted">{t('archive.keyHint')}</p>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={!draftKey.trim()}>
            {t('archive.open')}
          </button>
        </form>
      ) : (
        <section className="card">
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder={t('archive.search')}
            aria-label={t('archive.search')}
            data-testid="archive-search"
          />
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          {!entries && !error && <p className="muted">{t('history.loading')}</p>}
          {entries?.length === 0 && <p className="muted">{t('archive.none')}</p>}
          <table className="archive-table" data-testid="archive-table">
            <thead>
              <tr>
                <th>{t('archive.col.title')}</th>
                <th>{t('archive.col.template')}</th>
                <th>{t('archive.col.date')}</th>
                <th>{t('archive.col.people')}</th>
                <th>{t('archive.col.actionLines')}</th>
                <th>{t('archive.col.snapshot')}</th>
                <th>{t('archive.col.open')}</th>
              </tr>
            </thead>
            <tbody>
              {entries?.map((e) => {
                const token = new URL(e.viewerLink, location.origin).searchParams.get('token') ?? ''
                return (
                  <tr key={e.id}>
                    <td>
                      <strong>{e.title || t('board.untitled')}</strong>
                      {e.closedAt ? <span className="muted"> · {t('archive.closed')}</span> : null}
                    </td>
                    <td>{e.template || '—'}</td>
                    <td>{date(e.createdAt)}</td>
                    <td>{e.participants}</td>
                    <td>{e.actionLines}</td>
                    <td>
                      {e.lastSnapshot ? (
                        <a href={`${e.viewerLink}&snapshot=${e.lastSnapshot.id}`} data-testid="archive-snapshot">
                          {e.lastSnapshot.name} ({date(e.lastSnapshot.createdAt)})
                        </a>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td className="archive-links">
                      <a href={e.viewerLink}>{t('archive.view')}</a>
                      <a href={e.reportPath} target="_blank" rel="noopener">
                        {t('report.menu')}
                      </a>
                      <a href={fileUrl(e.id, token, 'archive.zip')} download>
                        zip
                      </a>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </section>
      )}
    </main>
  )
}
