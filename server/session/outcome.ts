/** The outcome of a board (shared/format) from its document, for the report endpoints. */
import type * as Y from 'yjs'
import { boardRecords, metaOf, MetaKey, templateOf } from '../../shared/doc-layout.ts'
import defaultGroups from '../../shared/format/data/stakeholder-groups.json' with { type: 'json' }
import { extractOutcome, type AnyRecord } from '../../shared/format/extract-outcome.ts'
import { Session, type Outcome } from '../../shared/format/model.ts'
import { renderHtml, renderMarkdown } from '../../shared/format/report.ts'
import { reportLayoutOf } from '../../shared/format/templates.ts'
import type { OutcomeFormat } from '../../shared/api.ts'

export function outcomeOf(doc: Y.Doc, fallbackTitle: string): Outcome {
  const stored = Session.safeParse(metaOf(doc).get(MetaKey.session))
  const session = stored.success
    ? stored.data
    : Session.parse({ title: fallbackTitle || 'Naamloos bord', targetYear: new Date().getFullYear(), groups: defaultGroups })
  return extractOutcome(boardRecords<AnyRecord>(doc), session, reportLayoutOf(templateOf(doc)))
}

export const OUTCOME_TYPES: Record<OutcomeFormat, string> = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
}

/** The outcome as the file of `format`: the JSON itself, or the report in Markdown or HTML. */
export function renderOutcome(outcome: Outcome, format: OutcomeFormat, lang: 'nl' | 'en'): string {
  return format === 'json' ? JSON.stringify(outcome, null, 2) : format === 'md' ? renderMarkdown(outcome, lang) : renderHtml(outcome, lang)
}
