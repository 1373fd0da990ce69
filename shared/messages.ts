/**
 * Every string shown to people (the UI's nl.json / en.json, the report's, the names the server
 * gives) is an ICU message: `{name}` puts a value in, `{count, plural, one {# stip} other {#
 * stippen}}` picks the form by the language's plural rules, so no component counts to one itself.
 *
 * Formatted by intl-messageformat (FormatJS, the core of react-intl): maintained, and it formats
 * a message string as it is with Intl.PluralRules, which is all we need — no framework, loader or
 * backend as with i18next and its ICU plugin. Tags are not parsed (`ignoreTag`): a `<` in a
 * string is text.
 */
import { IntlMessageFormat } from 'intl-messageformat'
import type { Lang } from './lang.ts'

export type MessageValues = Record<string, string | number>

const compiled = new Map<string, IntlMessageFormat>()

/** The message parsed (cached: components format the same strings on every render). Throws for a message that is not ICU. */
export function compileMessage(lang: Lang, message: string): IntlMessageFormat {
  const key = `${lang}\u0000${message}`
  let format = compiled.get(key)
  if (!format) {
    format = new IntlMessageFormat(message, lang, undefined, { ignoreTag: true })
    compiled.set(key, format)
  }
  return format
}

/**
 * The message with `values` put in. Never throws: a message that does not parse, or a value
 * that is missing, gives the text with each `{name}` replaced by its value or left as it is.
 */
export function formatMessage(lang: Lang, message: string, values: MessageValues = {}): string {
  try {
    return String(compileMessage(lang, message).format(values))
  } catch {
    return message.replace(/\{(\w+)\}/g, (whole, name: string) => (values[name] === undefined ? whole : String(values[name])))
  }
}
