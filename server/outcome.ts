/** The outcome of a board (shared/format) from its document, for the report endpoints. */
import type * as Y from 'yjs'
import { metaOf, MetaKey, recordsOf } from '../shared/doc-layout.ts'
import defaultGroups from '../shared/format/data/stakeholder-groups.json' with { type: 'json' }
import { extractOutcome, type AnyRecord } from '../shared/format/extract-outcome.ts'
import { Session, type Outcome } from '../shared/format/model.ts'

export function outcomeOf(doc: Y.Doc, fallbackTitle: string): Outcome {
  const stored = Session.safeParse(metaOf(doc).get(MetaKey.session))
  const session = stored.success
    ? stored.data
    : Session.parse({ title: fallbackTitle || 'Naamloos bord', targetYear: new Date().getFullYear(), groups: defaultGroups })
  return extractOutcome(recordsOf<AnyRecord>(doc).values(), session)
}
