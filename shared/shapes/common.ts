/** Validators shared by the board's custom shapes. */
import { T } from '@tldraw/validate'
import { GEMEENTE_ROLES, ACTION_LINE_STATUSES, NOTE_COLORS } from '../format/model.ts'

export const size = { w: T.nonZeroNumber, h: T.nonZeroNumber }
export const noteColor = T.literalEnum(...NOTE_COLORS)
export const person = T.object({ name: T.string, organisation: T.string })
export const gemeenteRol = T.literalEnum('', ...GEMEENTE_ROLES)
export const actionLineStatus = T.literalEnum(...ACTION_LINE_STATUSES)

export interface PersonProps {
  name: string
  organisation: string
}
