/**
 * UI strings come from nl.json / en.json as ICU messages (shared/messages.ts: plurals in the
 * string, not in components); Dutch is the default, the choice is remembered.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import en from './en.json'
import nl from './nl.json'
import type { Lang } from '../../shared/lang.ts'
import { formatMessage, type MessageValues } from '../../shared/messages.ts'

export type MessageKey = keyof typeof nl
export const messages: Record<Lang, Record<MessageKey, string>> = { nl, en }

const STORAGE_KEY = 'board.lang'

/** Whether a key built from data (a record's type, a snapshot's kind) names a UI string. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(messages.nl, key)
}

/**
 * Never throws, even for a key cast from data that names no string (one such key took down
 * every facilitator's board): the other language's string, else the key itself.
 */
export function translate(lang: Lang, key: MessageKey, vars: MessageValues = {}): string {
  const template: string | undefined = messages[lang][key] ?? messages[lang === 'nl' ? 'en' : 'nl'][key]
  return template === undefined ? String(key) : formatMessage(lang, template, vars)
}

interface I18n {
  lang: Lang
  setLang(lang: Lang): void
  t(key: MessageKey, vars?: MessageValues): string
}

const I18nContext = createContext<I18n | null>(null)

function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY)
  return saved === 'en' ? 'en' : 'nl'
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang)
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next)
    document.documentElement.lang = next
    setLangState(next)
  }, [])
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (key, vars) => translate(lang, key, vars) }), [lang, setLang])
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext)
  if (!i18n) throw new Error('useI18n outside I18nProvider')
  return i18n
}

/**
 * A UI string as an element, for places without a hook of their own (shape components). Image
 * export renders shapes outside the app's React tree: there it uses the language last chosen.
 */
export function Say({ k, vars }: { k: MessageKey; vars?: MessageValues }) {
  const i18n = useContext(I18nContext)
  return <>{i18n ? i18n.t(k, vars) : translate(initialLang(), k, vars)}</>
}

export function LanguageToggle() {
  const { lang, setLang, t } = useI18n()
  return (
    <button type="button" className="link-button" data-testid="language-toggle" onClick={() => setLang(lang === 'nl' ? 'en' : 'nl')}>
      {t('lang.other')}
    </button>
  )
}
