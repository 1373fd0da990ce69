/**
 * What tldraw's own UI says of our cards. tldraw names a shape by the translation `tool.<type>`
 * (its screen-reader announcement on select and create, its menus); for our card types it had none
 * and read out the key itself: "tool.contribution. 4 van 11". The names are the panel's own.
 */
import type { TLUiOverrides } from 'tldraw'
import en from '../i18n/en.json'
import nl from '../i18n/nl.json'
import { boardShapeUtils } from '../shapes/index.ts'

const names = (messages: Record<string, string>) =>
  Object.fromEntries(boardShapeUtils.map((util) => [`tool.${util.type}`, messages[`panel.add.${util.type}`] ?? util.type]))

export const tldrawOverrides: TLUiOverrides = { translations: { nl: names(nl), en: names(en) } }
