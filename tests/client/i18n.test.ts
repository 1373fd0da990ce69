import { describe, expect, it } from 'vitest'
import en from '../../client/i18n/en.json'
import nl from '../../client/i18n/nl.json'

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
