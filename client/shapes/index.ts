import { ActionLineShapeUtil } from './action-line-shape-util.tsx'
import { ContributionShapeUtil } from './contribution-shape-util.tsx'
import { EraShapeUtil } from './era-shape-util.tsx'
import { ExperimentShapeUtil } from './experiment-shape-util.tsx'
import { PersonaShapeUtil } from './persona-shape-util.tsx'
import { QuoteShapeUtil } from './quote-shape-util.tsx'
import { ThemeCardShapeUtil } from './theme-card-shape-util.tsx'

/** The board's own shapes, in addition to tldraw's defaults. */
export const boardShapeUtils = [
  ContributionShapeUtil,
  ThemeCardShapeUtil,
  ActionLineShapeUtil,
  PersonaShapeUtil,
  QuoteShapeUtil,
  ExperimentShapeUtil,
  EraShapeUtil,
]
