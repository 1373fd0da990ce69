/** For facilitators: the three links of the board (facilitator, participant, viewer), to copy. */
import { useState } from 'react'
import type { BoardLinks } from '../../shared/api.ts'
import { ROLES, type Role } from '../../shared/roles.ts'
import { api } from '../api-client.ts'
import { useI18n } from '../i18n/i18n.tsx'

export function ShareMenu({ boardId, token }: { boardId: string; token: string }) {
  const { t } = useI18n()
  const [links, setLinks] = useState<BoardLinks | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [copied, setCopied] = useState<Role | null>(null)

  const load = () => {
    if (links) return
    api.links(boardId, token).then(setLinks, (e: unknown) => setError((e as Error).message))
  }
  const copy = async (role: Role, url: string) => {
    try {
      await navigator.clipboard.writeText(url)
      setCopied(role)
      setTimeout(() => setCopied(null), 2_000)
    } catch {
      window.prompt(t('share.copy'), url)
    }
  }

  return (
    <details className="report-menu share-menu" onToggle={load}>
      <summary data-testid="share-menu">{t('share.menu')}</summary>
      <ul>
        {error && <li className="error">{error}</li>}
        {!links && !error && <li>…</li>}
        {links &&
          ROLES.map((role) => {
            const url = location.origin + links[role]
            return (
              <li key={role} className="share-link">
                <label htmlFor={`link-${role}`}>{t(`share.${role}`)}</label>
                <span>
                  <input id={`link-${role}`} readOnly value={url} onFocus={(e) => e.target.select()} data-testid={`link-${role}`} />
                  <button type="button" onClick={() => void copy(role, url)}>
                    {copied === role ? t('share.copied') : t('share.copy')}
                  </button>
                </span>
              </li>
            )
          })}
      </ul>
    </details>
  )
}
