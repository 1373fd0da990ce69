import { describe, expect, it } from 'vitest'
import en from '../../client/i18n/en.json'
import nl from '../../client/i18n/nl.json'
import { translate, type MessageKey } from '../../client/i18n/i18n.tsx'

describe('UI strings', () => {
  it('English has exactly the Dutch keys, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort())
    for (const value of [...Object.values(nl), ...Object.values(en)]) expect(value.trim()).not.toBe('')
  })

  it('uses the same placeholders in both languages', () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort()
    for (const key of Object.keys(nl) as (keyof typeof nl)[]) expect(placeholders(en[key]), key).toEqual(placeholders(nl[key]))
  })
})

describe('translate', () => {
  it('never throws for a key made from data that names no string: it shows the key', () => {
    expect(translate('nl', 'panel.add.text' as MessageKey)).toBe('panel.add.text')
    expect(translate('en', 'trash.restore')).toBe('Restore')
  })
})
