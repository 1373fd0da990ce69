/** A resident signs up to join an action line (with consent) and gets their own link to their data. */
import { useState, type FormEvent } from 'react'
import type { ActionLineSummary } from '../../../shared/programme.ts'
import { programmeApi } from '../../api-client.ts'
import { useI18n } from '../../i18n/i18n.tsx'

export function SignUpForm({ programmeId, line, token, onDone }: { programmeId: string; line: ActionLineSummary; token: string; onDone(): void }) {
  const { t } = useI18n()
  const [name, setName] = useState('')
  const [contact, setContact] = useState('')
  const [organisation, setOrganisation] = useState('')
  const [group, setGroup] = useState('')
  const [consent, setConsent] = useState(false)
  const [smoelenboek, setSmoelenboek] = useState(false)
  const [done, setDone] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const id = `signup-${line.id}`
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      // The checkbox is required: a form without consent is not sent (the server would refuse it too).
      if (!consent) return
      const result = await programmeApi.signUp(programmeId, token, line.id, { name, contact, organisation, group, consent, smoelenboek })
      setDone(location.origin + result.manageLink)
      onDone()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  if (done) {
    return (
      <div className="card signup-done" role="status" data-testid="signup-done">
        <p>{t('platform.signedUp')}</p>
        <label htmlFor={`${id}-manage`}>{t('platform.manageLink')}</label>
        <input id={`${id}-manage`} readOnly value={done} onFocus={(e) => e.target.select()} data-testid="manage-link" />
      </div>
    )
  }
  return (
    <form onSubmit={submit} className="signup-form" data-testid="signup-form">
      <h4>{t('platform.join')}</h4>
      <label htmlFor={`${id}-name`}>{t('platform.yourName')}</label>
      <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} autoComplete="name" />
      <label htmlFor={`${id}-contact`}>{t('platform.contact')}</label>
      <input id={`${id}-contact`} value={contact} onChange={(e) => setContact(e.target.value)} required maxLength={200} autoComplete="email" />
      <label htmlFor={`${id}-organisation`}>{t('platform.organisation')}</label>
      <input id={`${id}-organisation`} value={organisation} onChange={(e) => setOrganisation(e.target.value)} maxLength={160} autoComplete="organization" />
      <label htmlFor={`${id}-group`}>{t('platform.group')}</label>
      <input id={`${id}-group`} value={group} onChange={(e) => setGroup(e.target.value)} maxLength={100} />
      <label className="check">
        <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} required /> {t('platform.consent')}
      </label>
      <label className="check">
        <input type="checkbox" checked={smoelenboek} onChange={(e) => setSmoelenboek(e.target.checked)} /> {t('platform.inSmoelenboek')}
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={!consent || !name.trim() || !contact.trim()}>
        {t('platform.signUp')}
      </button>
    </form>
  )
}
