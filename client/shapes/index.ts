import { ActionLineShapeUtil } from './action-line-shape-util.tsx'
import { ContributionShapeUtil } from './contribution-shape-util.tsx'
import { EraShapeUtil, ExperimentShapeUtil, PersonaShapeUtil, QuoteShapeUtil } from './small-card-shape-utils.tsx'
import { ThemeCardShapeUtil } from './theme-card-shape-util.tsx'

/** The board's own shapes, in addition to tldraw's defaults. */
export const boardShapeUtils = [ContributionShapeUtil, ThemeCardShapeUtil, ActionLineShapeUtil, PersonaShapeUtil, QuoteShapeUtil, ExperimentShapeUtil, EraShapeUtil]
