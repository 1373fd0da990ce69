/** A participant's note: text, author and stakeholder group (which gives its colour). */
import { T } from '@tldraw/validate'
import { createShapePropsMigrationSequence } from '@tldraw/tlschema'
import type { NoteColor } from '../format/model.ts'
import { noteColor, size } from './common.ts'

export const CONTRIBUTION = 'contribution'
export interface ContributionProps {
  w: number
  h: number
  text: string
  author: string
  groupId: string
  color: NoteColor
}
// tldraw's shape types know this shape wherever this module is imported (client, server, tests).
declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [CONTRIBUTION]: ContributionProps
  }
}
export const contributionProps = { ...size, text: T.string, author: T.string, groupId: T.string, color: noteColor }
export const contributionMigrations = createShapePropsMigrationSequence({ sequence: [] })
export const contributionDefaults = (): ContributionProps => ({ w: 200, h: 140, text: '', author: '', groupId: '', color: 'yellow' })
