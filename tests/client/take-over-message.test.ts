/** The aanjager reads what a take-over did: the count, each shortened line by number and title, each line not taken and why. */
import { describe, expect, it } from 'vitest'
import { translate } from '../../client/i18n/i18n.tsx'
import { takeOverMessage } from '../../client/pages/take-over-message.ts'
import type { TakeOverResult } from '../../shared/take-over.ts'

describe('the take-over message', () => {
  it('names the shortened and the refused lines, in Dutch', () => {
    const result = {
      lines: [{}, {}, {}],
      trimmed: [
        {
          shapeId: 'shape:a',
          number: 1,
          title: 'Zorg dichtbij…',
          fields: [
            { field: 'title', max: 200 },
            { field: 'trekkers', max: 160 },
          ],
        },
      ],
      refused: [{ shapeId: 'shape:b', number: 2, title: 'Kapot', reason: 'invalid', detail: 'status: Invalid option' }],
    } as unknown as TakeOverResult
    const message = takeOverMessage(result, (key, vars) => translate('nl', key, vars))
    expect(message.text).toBe('3 actielijnen overgenomen.')
    expect(message.details).toEqual([
      'Actielijn 1 ‘Zorg dichtbij…’ is overgenomen, maar ingekort: titel tot 200 tekens, naam of organisatie van een trekker tot 160 tekens. Wil je de hele tekst op het platform, maak de kaart op het bord korter en neem opnieuw over.',
      'Actielijn 2 ‘Kapot’ is niet overgenomen: de kaart is geen geldige actielijn (status: Invalid option). Herstel de kaart op het bord en neem opnieuw over.',
    ])
  })
})
