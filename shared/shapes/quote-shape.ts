/** A notable quote with name and organisation. */
import { T } from '@tldraw/validate'
import { createShapePropsMigrationSequence } from '@tldraw/tlschema'
import { size } from './common.ts'

export const QUOTE = 'quote'
export interface QuoteProps {
  w: number
  h: number
  text: string
  name: string
  organisation: string
}
// tldraw's shape types know this shape wherever this module is imported (client, server, tests).
declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [QUOTE]: QuoteProps
  }
}
export const quoteProps = { ...size, text: T.string, name: T.string, organisation: T.string }
export const quoteMigrations = createShapePropsMigrationSequence({ sequence: [] })
export const quoteDefaults = (): QuoteProps => ({ w: 300, h: 160, text: '', name: '', organisation: '' })
