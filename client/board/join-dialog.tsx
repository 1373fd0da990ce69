/** Asks for the name others will see; remembered in this browser. */
import { useState, type FormEvent } from 'react'
import defaultGroups from '../../shared/format/data/stakeholder-groups.json' with { type: 'json' }
import type { StakeholderGroup } from '../../shared/format/model.ts'
import { MAX_NAME_LENGTH } from '../identity.ts'
import { useI18n } from '../i18n/i18n.tsx'

/** `groups`: the board's own stakeholder groups (a session made with its own), else the default eight. */
export function JoinDialog({
  boardTitle,
  initialName,
  groups = defaultGroups as StakeholderGroup[],
  onJoin,
}: {
  boardTitle: string
  initialName: string
  groups?: StakeholderGroup[]
  onJoin(name: string, groupId: string, organisation: string): void
}) {
  const { t, lang } = useI18n()
  const [name, setName] = useState(initialName)
  const [groupId, setGroupId] = useState('')
  const [organisation, setOrganisation] = useState('')
  const [error, setError] = useState<string | null>(null)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = name.trim()
    if (!trimmed) return setError(t('join.nameRequired'))
    if (trimmed.length > MAX_NAME_LENGTH) return setError(t('join.nameTooLong'))
    onJoin(trimmed, groupId, organisation)
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
        {error && (
          <p id="join-error" className="error" role="alert">
            {error}
          </p>
        )}
        <label htmlFor="join-group">{t('join.groupLabel')}</label>
        <select id="join-group" value={groupId} onChange={(e) => setGroupId(e.target.value)}>
          <option value="">{t('join.groupNone')}</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name[lang]}
            </option>
          ))}
        </select>
        <label htmlFor="join-org">{t('join.orgLabel')}</label>
        <input id="join-org" value={organisation} maxLength={160} autoComplete="organization" onChange={(e) => setOrganisation(e.target.value)} />
        <button type="submit" className="primary">
          {t('join.submit')}
        </button>
      </form>
    </main>
  )
}
