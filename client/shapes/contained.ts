/**
 * Every shape util the board draws with (tldraw's and ours), made so that one record cannot take
 * the board down. A record the schema accepts but its util cannot measure (a stroke without
 * points, a text with an empty text node: each crashed every browser on the board, measured)
 * gets a placeholder box (and no fonts, no text); its component then fails inside tldraw's
 * per-shape boundary, which shows components.ShapeErrorFallback there.
 */
import {
  defaultShapeUtils,
  Rectangle2d,
  type Geometry2d,
  type ShapeUtil,
  type TLAnyShapeUtilConstructor,
  type TLFontFace,
  type TLGeometryOpts,
  type TLShape,
} from 'tldraw'
import { reportClientError } from '../client-errors.ts'
import { boardShapeUtils } from './index.ts'

/** The size of a shape that cannot be measured: room for the fallback's sentence. */
export const PLACEHOLDER_SIZE = { width: 200, height: 60 }

type AnyShapeUtil = abstract new (...args: ConstructorParameters<TLAnyShapeUtilConstructor>) => ShapeUtil<TLShape>

function contained<T extends TLAnyShapeUtilConstructor>(Util: T): T {
  const Base = Util as unknown as AnyShapeUtil
  // The util's own methods (super.… of an abstract method does not type-check).
  const own = Util.prototype as ShapeUtil<TLShape>
  abstract class Contained extends Base {
    override getGeometry(shape: TLShape, opts?: TLGeometryOpts): Geometry2d {
      try {
        return own.getGeometry.call(this, shape, opts)
      } catch (error) {
        reportClientError('shape', error)
        return new Rectangle2d({ ...PLACEHOLDER_SIZE, isFilled: true })
      }
    }

    // Read before the geometry (tldraw tracks a shape's fonts for its measurements).
    override getFontFaces(shape: TLShape): TLFontFace[] {
      try {
        return own.getFontFaces.call(this, shape)
      } catch {
        return []
      }
    }

    override getText(shape: TLShape): string | undefined {
      try {
        return own.getText.call(this, shape)
      } catch {
        return undefined
      }
    }

    override getIndicatorPath(shape: TLShape): ReturnType<ShapeUtil<TLShape>['getIndicatorPath']> {
      try {
        return own.getIndicatorPath.call(this, shape)
      } catch {
        const path = new Path2D()
        path.rect(0, 0, PLACEHOLDER_SIZE.width, PLACEHOLDER_SIZE.height)
        return path
      }
    }
  }
  return Contained as unknown as T
}

/** For createTLStore and <Tldraw shapeUtils>, where these replace tldraw's defaults of the same type. */
export const drawableShapeUtils = [...defaultShapeUtils, ...boardShapeUtils].map(contained)
