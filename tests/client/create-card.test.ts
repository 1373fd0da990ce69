// @vitest-environment jsdom
/**
 * A card is made in one place (client/board/create-card.ts) for the card panel and the phone
 * view, and its record carries its maker from the start: the owner's key hash, and on a
 * contribution the author and their stakeholder group's colour — with no side effect of the
 * canvas registered (a real tldraw Editor in jsdom, the board's own shapes).
 */
import '../helpers/jsdom-gaps.ts'
import { describe, expect, it } from 'vitest'
import { createTLStore, defaultBindingUtils, defaultShapeUtils, Editor, type TLShape } from 'tldraw'
import defaultGroups from '../../shared/format/data/stakeholder-groups.json' with { type: 'json' }
import type { StakeholderGroup } from '../../shared/format/model.ts'
import { ownerOf } from '../../shared/ownership.ts'
import { CARD_TYPES, createCard, type Maker } from '../../client/board/create-card.ts'
import type { Identity } from '../../client/identity.ts'
import { boardShapeUtils } from '../../client/shapes/index.ts'

const shapeUtils = [...defaultShapeUtils, ...boardShapeUtils]

function editor(): Editor {
  const container = document.createElement('div')
  document.body.appendChild(container)
  return new Editor({
    store: createTLStore({ shapeUtils, bindingUtils: defaultBindingUtils }),
    shapeUtils,
    bindingUtils: defaultBindingUtils,
    tools: [],
    getContainer: () => container,
  })
}

const pam: Maker = {
  identity: { id: 'pam', name: 'Pam', color: '#0f766e', groupId: 'onderwijs', organisation: 'Het Lyceum' } as Identity,
  keyHash: 'a'.repeat(64),
  groups: defaultGroups as StakeholderGroup[],
}

describe('making a card', () => {
  it('stamps the owner on every card type, and the author and group colour on a contribution', () => {
    const e = editor()
    const ids = CARD_TYPES.map((type) => createCard(e, { type, maker: pam, spotFor: () => ({ x: 100, y: 200 }) }))
    for (const id of ids) expect(ownerOf(e.getShape(id))).toBe(pam.keyHash)
    const contribution = e.getShape(ids[CARD_TYPES.indexOf('contribution')]!) as TLShape
    expect(contribution).toMatchObject({ x: 100, y: 200, props: { author: 'Pam', groupId: 'onderwijs', color: 'green', text: '' } })
    const quote = e.getShape(ids[CARD_TYPES.indexOf('quote')]!) as TLShape
    expect(quote.props).not.toHaveProperty('author')
  })

  it("asks for a spot of the card's own size, and takes the phone view's text; one undo removes it", () => {
    const e = editor()
    const asked: { w: number; h: number }[] = []
    const id = createCard(e, {
      type: 'contribution',
      maker: pam,
      props: { text: 'Meer groen op het plein' },
      spotFor: (size) => (asked.push(size), { x: 0, y: 0 }),
    })
    expect(asked).toEqual([{ w: 200, h: 140 }])
    expect(e.getShape(id)).toMatchObject({ props: { text: 'Meer groen op het plein', author: 'Pam' } })
    e.undo()
    expect(e.getShape(id)).toBeUndefined()
  })

  it('gives a stakeholder group the board does not have the default colour, and no group', () => {
    const e = editor()
    const id = createCard(e, { type: 'contribution', maker: { ...pam, identity: { ...pam.identity, groupId: 'elders' } }, spotFor: () => ({ x: 0, y: 0 }) })
    expect(e.getShape(id)).toMatchObject({ props: { groupId: '', color: 'yellow' } })
  })
})
