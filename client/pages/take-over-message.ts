/** What "Actielijnen nu overnemen" tells the aanjager: how many lines, which were shortened, which were not taken and why. */
import type { TakeOverResult } from '../../shared/take-over.ts'
import type { MessageValues } from '../../shared/messages.ts'
import type { MessageKey } from '../i18n/i18n.tsx'

type Translate = (key: MessageKey, vars?: MessageValues) => string

export function takeOverMessage(result: TakeOverResult, t: Translate): { text: string; details: string[] } {
  return {
    text: t('platform.takenOverCount', { n: result.lines.length }),
    details: [
      ...result.trimmed.map((line) =>
        t('platform.trimmed', {
          number: String(line.number),
          title: line.title,
          fields: line.fields.map((f) => t('platform.trimmedField', { field: t(`platform.field.${f.field}`), max: String(f.max) })).join(', '),
        }),
      ),
      ...result.refused.map((line) => t(`platform.refused.${line.reason}`, { number: String(line.number), title: line.title, detail: line.detail })),
    ],
  }
}
