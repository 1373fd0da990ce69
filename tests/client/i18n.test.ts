import { describe, expect, it } from 'vitest'
import en from '../../client/i18n/en.json'
import nl from '../../client/i18n/nl.json'
import { translate, type MessageKey } from '../../client/i18n/i18n.tsx'
import reportStrings from '../../shared/format/data/report-strings.json'
import serverNames from '../../shared/format/data/server-names.json'
import type { Lang } from '../../shared/lang.ts'
import { compileMessage, formatMessage } from '../../shared/messages.ts'

type MessageFormatElement = ReturnType<ReturnType<typeof compileMessage>['getAst']>[number]

/** Every string people see, by where it lives: the UI's, the report's, the server's names (Dutch only). */
const TABLES: { name: string; strings: Partial<Record<Lang, Record<string, string>>> }[] = [
  { name: 'client/i18n', strings: { nl, en } },
  { name: 'report-strings.json', strings: reportStrings },
  { name: 'server-names.json', strings: { nl: serverNames } },
]

/** The arguments a message takes, and whether it chooses a form (plural, select). */
function argumentsOf(elements: MessageFormatElement[], found = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type !== 0 && 'value' in element) found.add(String(element.value))
    if ('options' in element) for (const option of Object.values(element.options)) argumentsOf(option.value, found)
    if ('children' in element) argumentsOf(element.children, found)
  }
  return found
}
const choosesAForm = (message: string) => /\{\s*\w+\s*,\s*(plural|select|selectordinal)\s*,/.test(message)

describe('UI strings', () => {
  it('English has exactly the Dutch keys, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort())
    for (const value of [...Object.values(nl), ...Object.values(en)]) expect(value.trim()).not.toBe('')
    expect(Object.keys(reportStrings.en).sort()).toEqual(Object.keys(reportStrings.nl).sort())
  })

  it('every message parses as ICU, in its language', () => {
    const broken: string[] = []
    for (const { name, strings } of TABLES) {
      for (const [lang, table] of Object.entries(strings) as [Lang, Record<string, string>][]) {
        for (const [key, message] of Object.entries(table)) {
          try {
            compileMessage(lang, message)
          } catch (error) {
            broken.push(`${name} ${lang} ${key}: ${(error as Error).message}`)
          }
        }
      }
    }
    expect(broken).toEqual([])
  })

  it('takes the same arguments in both languages', () => {
    for (const { strings } of TABLES) {
      if (!strings.en || !strings.nl) continue
      for (const key of Object.keys(strings.nl)) {
        const args = (lang: Lang) => [...argumentsOf(compileMessage(lang, strings[lang]![key]!).getAst())].sort()
        expect(args('en'), key).toEqual(args('nl'))
      }
    }
  })

  it('a message without a plural reads as its text with the values put in (an apostrophe stays an apostrophe)', () => {
    for (const { name, strings } of TABLES) {
      for (const [lang, table] of Object.entries(strings) as [Lang, Record<string, string>][]) {
        for (const [key, message] of Object.entries(table)) {
          if (choosesAForm(message)) continue
          const values = Object.fromEntries([...message.matchAll(/\{(\w+)\}/g)].map(([, arg]) => [arg!, `«${arg}»`]))
          expect(formatMessage(lang, message, values), `${name} ${lang} ${key}`).toBe(message.replace(/\{(\w+)\}/g, (_, arg: string) => `«${arg}»`))
        }
      }
    }
  })

  it("counts by the language's plural rules: one, and more than one", () => {
    expect(translate('nl', 'vote.badge', { n: 1 })).toBe('1 stip')
    expect(translate('nl', 'vote.badge', { n: 3 })).toBe('3 stippen')
    expect(translate('en', 'vote.badge', { n: 1 })).toBe('1 dot')
    expect(translate('nl', 'vote.pending', { n: 1 })).toBe('Je stip wordt geplaatst zodra je weer verbonden bent.')
    expect(translate('nl', 'vote.pending', { n: 2 })).toBe('Je 2 stippen worden geplaatst zodra je weer verbonden bent.')
    expect(translate('nl', 'platform.takenOverCount', { n: 1 })).toBe('1 actielijn overgenomen.')
    expect(translate('en', 'platform.takenOverCount', { n: 8 })).toBe('8 action lines taken over.')
    expect(translate('nl', 'tidy.done', { n: 1, frame: 'Toekomst' })).toBe('1 kaart in Toekomst op zijn plek gezet.')
    expect(translate('nl', 'lobby.import.dropped', { count: 1 })).toContain('1 afbeelding verwees')
    expect(translate('en', 'lobby.import.dropped', { count: 2 })).toContain('2 images pointed')
    expect(translate('nl', 'vote.openViewer', { dots: 3 })).toBe('Stemronde: de deelnemers verdelen elk 3 stippen over de kaarten.')
    expect(translate('en', 'vote.open', { dots: 1, left: 1 })).toBe('Dot vote: spread your dot over the cards. 1 left.')
  })
})

describe('translate', () => {
  it('never throws for a key made from data that names no string: it shows the key', () => {
    expect(translate('nl', 'panel.add.text' as MessageKey)).toBe('panel.add.text')
    expect(translate('en', 'trash.restore')).toBe('Restore')
  })

  it('never throws for a missing value: the placeholder stays', () => {
    expect(translate('nl', 'people.menu')).toBe('Mensen ({n})')
    expect(() => translate('nl', 'vote.badge')).not.toThrow()
  })
})
