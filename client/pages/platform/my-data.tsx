import { useEffect, useState } from 'react'
import type { SignUp } from '../../../shared/programme.ts'
import { programmeApi, signUpDataUrl } from '../../api-client.ts'
import { useI18n } from '../../i18n/i18n.tsx'

/** The page a signed-up person's own link opens: their data, to download or remove. */
export function MyData({ programmeId, signupId, keyValue }: { programmeId: string; signupId: string; keyValue: string }) {
  const { t } = useI18n()
  const path = signUpDataUrl(programmeId, signupId, keyValue)
  const [data, setData] = useState<{ signup: SignUp; line: { number: number; title: string }; programme: string } | null>(null)
  const [state, setState] = useState<'loading' | 'shown' | 'deleted' | 'missing'>('loading')
  useEffect(() => {
    programmeApi.mySignUp(programmeId, signupId, keyValue).then(
      (d) => (setData(d), setState('shown')),
      () => setState('missing'),
    )
  }, [programmeId, signupId, keyValue])
  const remove = async () => {
    if (!confirm(t('platform.deleteConfirm'))) return
    await programmeApi.deleteMySignUp(programmeId, signupId, keyValue).then(
      () => setState('deleted'),
      () => setState('missing'),
    )
  }
  return (
    <section className="card" aria-labelledby="my-data" data-testid="my-data">
      <h2 id="my-data">{t('platform.myData')}</h2>
      {state === 'loading' && <p className="muted">{t('history.loading')}</p>}
      {state === 'missing' && <p role="alert">{t('platform.myDataMissing')}</p>}
      {state === 'deleted' && (
        <p role="status" data-testid="my-data-deleted">
          {t('platform.myDataDeleted')}
        </p>
      )}
      {state === 'shown' && data && (
        <>
          <dl className="line-facts">
            <dt>{t('platform.yourName')}</dt>
            <dd>{data.signup.name}</dd>
            <dt>{t('platform.contact')}</dt>
            <dd>{data.signup.contact}</dd>
            <dt>{t('platform.organisation')}</dt>
            <dd>{data.signup.organisation || '—'}</dd>
            <dt>{t('platform.group')}</dt>
            <dd>{data.signup.group || '—'}</dd>
            <dt>{t('platform.lines', { n: '1' })}</dt>
            <dd>
              {data.line.number}. {data.line.title}
            </dd>
            <dt>{t('platform.inSmoelenboek')}</dt>
            <dd>{data.signup.smoelenboek ? '✓' : '—'}</dd>
          </dl>
          <div className="line-actions">
            <a href={path} download>
              {t('platform.download')}
            </a>
            <button type="button" onClick={() => void remove()} data-testid="delete-my-data">
              {t('platform.deleteMyData')}
            </button>
          </div>
        </>
      )}
    </section>
  )
}
