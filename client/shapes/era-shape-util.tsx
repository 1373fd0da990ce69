import { HTMLContainer, type TLShape } from 'tldraw'
import { ERA, eraDefaults, eraMigrations, eraProps } from '../../shared/shapes/era-shape.ts'
import { CardShapeUtil } from './card-shape-util.tsx'

export type EraShape = TLShape<typeof ERA>

export class EraShapeUtil extends CardShapeUtil<EraShape> {
  static override type = ERA
  static override props = eraProps
  static override migrations = eraMigrations
  getDefaultProps() {
    return eraDefaults()
  }
  override canBind() {
    return false
  }
  component(shape: EraShape) {
    return (
      <HTMLContainer className="card card-era">
        <div className="card-title">{shape.props.title || '…'}</div>
      </HTMLContainer>
    )
  }
}
