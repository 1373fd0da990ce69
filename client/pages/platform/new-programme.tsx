/** /p/new: the form that starts a programme; its aanjager link opens next. */
import { useState, type FormEvent } from 'react'
import { programmeApi } from '../../api-client.ts'
import { useI18n } from '../../i18n/i18n.tsx'
import { navigate } from '../../navigation.ts'

export function NewProgramme() {
  const { t } = useI18n()
  const [name, setName] = useState('')
  const [region, setRegion] = useState('')
  const [task, setTask] = useState('')
  const [municipalities, setMunicipalities] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const created = await programmeApi.create({
        name,
        region,
        centraleOpgave: task,
        municipalities: municipalities
          .split(',')
          .map((m) => m.trim())
          .filter(Boolean),
      })
      navigate(created.links.aanjager)
    } catch (e) {
      setError((e as Error).message)
      setBusy(false)
    }
  }
  return (
    <form className="card" onSubmit={submit} data-testid="new-programme">
      <h2>{t('platform.new')}</h2>
      <p className="muted">{t('platform.newHint')}</p>
      <label htmlFor="programme-name">{t('platform.name')}</label>
      <input id="programme-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
      <label htmlFor="programme-region">{t('platform.region')}</label>
      <input id="programme-region" value={region} onChange={(e) => setRegion(e.target.value)} maxLength={200} />
      <label htmlFor="programme-task">{t('platform.task')}</label>
      <textarea id="programme-task" value={task} onChange={(e) => setTask(e.target.value)} maxLength={1000} rows={3} />
      <label htmlFor="programme-municipalities">{t('platform.municipalities')}</label>
      <input
        id="programme-municipalities"
        value={municipalities}
        onChange={(e) => setMunicipalities(e.target.value)}
        placeholder="Weert, Nederweert, Cranendonck"
      />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy || !name.trim()}>
        {t('platform.create')}
      </button>
    </form>
  )
}
