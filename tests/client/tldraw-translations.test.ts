import { describe, expect, it } from 'vitest'
import { boardShapeUtils } from '../../client/shapes/index.ts'
import { tldrawOverrides } from '../../client/board/tldraw-translations.ts'

describe('what tldraw says of our cards', () => {
  it('names every card type in Dutch and English (a screen reader heard "tool.contribution. 4 van 11")', () => {
    const translations = tldrawOverrides.translations as Record<string, Record<string, string>>
    for (const util of boardShapeUtils) {
      expect(translations.nl![`tool.${util.type}`], util.type).toMatch(/^[A-Z]/)
      expect(translations.en![`tool.${util.type}`], util.type).toMatch(/^[A-Z]/)
    }
    expect(translations.nl!['tool.contribution']).toBe('Bijdrage')
    expect(translations.en!['tool.action-line']).toBe('Action line')
  })
})
