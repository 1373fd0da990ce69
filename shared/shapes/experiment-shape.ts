/** An experiment with the three checks of the toetsingskader. */
import { T } from '@tldraw/validate'
import { createShapePropsMigrationSequence } from '@tldraw/tlschema'
import { size } from './common.ts'

export const EXPERIMENT = 'experiment'
export interface ExperimentProps {
  w: number
  h: number
  title: string
  description: string
  horizon: boolean
  noConflict: boolean
  transformation: boolean
}
// tldraw's shape types know this shape wherever this module is imported (client, server, tests).
declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [EXPERIMENT]: ExperimentProps
  }
}
export const experimentProps = { ...size, title: T.string, description: T.string, horizon: T.boolean, noConflict: T.boolean, transformation: T.boolean }
export const experimentMigrations = createShapePropsMigrationSequence({ sequence: [] })
export const experimentDefaults = (): ExperimentProps => ({
  w: 320,
  h: 240,
  title: '',
  description: '',
  horizon: false,
  noConflict: false,
  transformation: false,
})
