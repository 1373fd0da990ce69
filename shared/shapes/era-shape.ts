/** A column of the timeline: contributions placed inside it belong to its era. */
import { T } from '@tldraw/validate'
import { createShapePropsMigrationSequence } from '@tldraw/tlschema'
import { size } from './common.ts'

export const ERA = 'era'
export interface EraProps {
  w: number
  h: number
  title: string
}
// tldraw's shape types know this shape wherever this module is imported (client, server, tests).
declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [ERA]: EraProps
  }
}
export const eraProps = { ...size, title: T.string }
export const eraMigrations = createShapePropsMigrationSequence({ sequence: [] })
export const eraDefaults = (): EraProps => ({ w: 280, h: 600, title: '' })
