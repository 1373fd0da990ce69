/** The languages the board speaks: Dutch first (the default), English for guests. */
export const LANGS = ['nl', 'en'] as const
export type Lang = (typeof LANGS)[number]
