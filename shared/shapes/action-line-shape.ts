/** An action line with its owners; `themeIds` are the ids of linked theme-card shapes. */
import { T } from '@tldraw/validate'
import { createShapePropsMigrationSequence } from '@tldraw/tlschema'
import type { ActionLineStatus, GemeenteRol } from '../format/model.ts'
import { actionLineStatus, gemeenteRol, person, size, type PersonProps } from './common.ts'

export const ACTION_LINE = 'action-line'
export interface ActionLineProps {
  w: number
  h: number
  number: number
  title: string
  motto: string
  description: string
  themeIds: string[]
  trekkers: PersonProps[]
  betrokkenen: PersonProps[]
  gemeenteRol: GemeenteRol | ''
  status: ActionLineStatus
}
// tldraw's shape types know this shape wherever this module is imported (client, server, tests).
declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [ACTION_LINE]: ActionLineProps
  }
}
export const actionLineProps = {
  ...size,
  number: T.positiveInteger,
  title: T.string,
  motto: T.string,
  description: T.string,
  themeIds: T.arrayOf(T.string),
  trekkers: T.arrayOf(person),
  betrokkenen: T.arrayOf(person),
  gemeenteRol,
  status: actionLineStatus,
}
export const actionLineMigrations = createShapePropsMigrationSequence({ sequence: [] })
export const actionLineDefaults = (): ActionLineProps => ({
  w: 360,
  h: 260,
  number: 0,
  title: '',
  motto: '',
  description: '',
  themeIds: [],
  trekkers: [],
  betrokkenen: [],
  gemeenteRol: '',
  status: 'idee',
})
