/** A persona told twice: now (then) and in the target year (now). */
import { T } from '@tldraw/validate'
import { createShapePropsMigrationSequence } from '@tldraw/tlschema'
import { size } from './common.ts'

export const PERSONA = 'persona'
export interface PersonaProps {
  w: number
  h: number
  name: string
  then: string
  now: string
}
// tldraw's shape types know this shape wherever this module is imported (client, server, tests).
declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [PERSONA]: PersonaProps
  }
}
export const personaProps = { ...size, name: T.string, then: T.string, now: T.string }
export const personaMigrations = createShapePropsMigrationSequence({ sequence: [] })
export const personaDefaults = (): PersonaProps => ({ w: 320, h: 240, name: '', then: '', now: '' })
