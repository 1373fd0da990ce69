/** A theme of the common ground, carrying its shared value. */
import { T } from '@tldraw/validate'
import { createShapePropsMigrationSequence } from '@tldraw/tlschema'
import { size } from './common.ts'

export const THEME_CARD = 'theme-card'
export interface ThemeCardProps {
  w: number
  h: number
  title: string
  sharedValue: string
}
// tldraw's shape types know this shape wherever this module is imported (client, server, tests).
declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [THEME_CARD]: ThemeCardProps
  }
}
export const themeCardProps = { ...size, title: T.string, sharedValue: T.string }
export const themeCardMigrations = createShapePropsMigrationSequence({ sequence: [] })
export const themeCardDefaults = (): ThemeCardProps => ({ w: 320, h: 220, title: '', sharedValue: '' })
