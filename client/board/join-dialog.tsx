/** Asks for the name others will see; remembered in this browser. */
import { useState, type FormEvent } from 'react'
import { MAX_NAME_LENGTH } from '../identity.ts'
import { useI18n } from '../i18n/i18n.tsx'

export function JoinDialog({ boardTitle, initialName, onJoin }: { boardTitle: string; initialName: string; onJoin(name: string): void }) {
  const { t } = useI18n()
  const [name, setName] = useState(initialName)
  const [error, setError] = useState<string | null>(null)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = name.trim()
    if (!trimmed) return setError(t('join.nameRequired'))
    if (trimmed.length > MAX_NAME_LENGTH) return setError(t('join.nameTooLong'))
    onJoin(trimmed)
  }
  return (
    <main className="page centered">
      <form className="card join" onSubmit={submit} aria-labelledby="join-heading" noValidate>
        <p className="eyebrow">{boardTitle || t('board.untitled')}</p>
        <h1 id="join-heading">{t('join.heading')}</h1>
        <p>{t('join.explain')}</p>
        <label htmlFor="join-name">{t('join.nameLabel')}</label>
        <input
          id="join-name"
          name="name"
          autoFocus
          autoComplete="name"
          value={name}
          placeholder={t('join.namePlaceholder')}
          aria-invalid={error !== null}
          aria-describedby={error ? 'join-error' : undefined}
          onChange={(e) => {
            setName(e.target.value)
            setError(null)
          }}
        />
        {error && <p id="join-error" className="error" role="alert">{error}</p>}
        <button type="submit" className="primary">{t('join.submit')}</button>
      </form>
    </main>
  )
}
