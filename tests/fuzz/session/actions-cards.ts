/**
 * The board's own panels for cards: every card type from the left panel to every destination
 * of *Waar komt het?* (and the phone's contribute view), edits of one's own and others' cards,
 * signing up to action lines and moving a theme to *niet gedeeld* and back.
 */
import type { Locator, Page } from 'playwright-core'
import type { Editor } from 'tldraw'
import type { Actor } from './cast.ts'
import { someText } from './actions-canvas.ts'
import { cardWithText, checkDestination, checkPrivacy } from './expectations.ts'
import { settle, shapesOnScreen, tap, watchPlaceAtSend } from './ui.ts'
import { canEdit, onDesktop, type Action, type World } from './world.ts'

const CARD_TYPES = ['contribution', 'theme-card', 'action-line', 'persona', 'quote', 'experiment', 'era']
type TestWindow = { __boardTest?: { editor?: Editor } }

async function openPanel(actor: Actor): Promise<boolean> {
  await settle(actor.page)
  await actor.page.keyboard.press('Escape')
  const toggle = actor.page.getByTestId('panel-toggle')
  if (!(await toggle.isVisible().catch(() => false))) return false
  if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click()
  return true
}

/** Picks one of the cards of `types` on screen: the person's own, or someone else's. */
async function pickCard(world: World, actor: Actor, pick: number, types: string[], mine?: boolean) {
  const cards = (await shapesOnScreen(actor.page, world.keyHash.get(actor.name))).filter(
    (s) => types.includes(s.type) && !s.locked && (mine === undefined || s.mine === mine),
  )
  return cards.length === 0 ? null : cards[pick % cards.length]!
}

async function selectCard(actor: Actor, at: { x: number; y: number }, id: string): Promise<boolean> {
  await settle(actor.page)
  await tap(actor, at)
  return actor.page
    .locator(`[data-testid="card-form"][data-shape-id="${id}"]`)
    .waitFor({ timeout: 3_000 })
    .then(
      () => true,
      () => false,
    )
}

/**
 * Choose a place from a list of destinations the way a person does. The list follows the board:
 * a phase change, a frame drawn or removed by someone else, or the sync after a reconnect can take
 * an option away between reading the list and choosing from it (seed 20261203, step 88: Noor read
 * the list just after her dead connection was replaced, with the phase moved on meanwhile, and
 * waited 30 s for an option that was gone). A person then chooses again from the list as it is
 * now; only a list that will not hold still for a second try is a finding.
 */
async function choosePlace(actor: Actor, select: Locator, dest: number): Promise<{ wanted: { id: string; label: string } | null; changed: string }> {
  let changed = ''
  for (let attempt = 0; attempt < 2 && (await select.isVisible().catch(() => false)); attempt++) {
    const options = await select
      .locator('option')
      .evaluateAll((els) => els.map((e) => ({ id: (e as HTMLOptionElement).value, label: e.textContent ?? '' })).filter((o) => o.id))
    if (options.length === 0) break
    const wanted = options[dest % options.length]!
    if (
      await select.selectOption(wanted.id, { timeout: 5_000 }).then(
        () => true,
        () => false,
      )
    )
      return { wanted, changed }
    if (attempt === 1) throw new Error(`the list of places changed twice while ${actor.name} chose "${wanted.label}"`)
    changed = ` (the list of places changed while choosing; "${wanted.label}" was gone)`
  }
  return { wanted: null, changed }
}

export const cardActions: Action[] = [
  {
    name: 'add-card',
    weight: 8,
    who: (p) => canEdit(p) && onDesktop(p),
    args: (rng) => ({ type: rng.pick(CARD_TYPES), dest: rng.int(0, 999), auto: rng.chance(0.25), text: someText(rng) }),
    async run(world, actor, args) {
      if (!(await openPanel(actor))) return 'skipped: no card panel'
      const select = actor.page.getByTestId('destination')
      const { wanted: chosen } = args.auto ? { wanted: null } : await choosePlace(actor, select, Number(args.dest))
      const placeAtSend = await watchPlaceAtSend(actor.page, 'destination', 'click', `add-${args.type}`)
      await actor.page.getByTestId(`add-${args.type}`).click()
      // Where the panel put it: the list as it was when she clicked (her choice, unless a phase change
      // dropped it meanwhile; an earlier choice of this phase when she left the list alone); '' is
      // "automatic", which the fuzzer cannot check. Her own choice when the click was not seen.
      const sent = await placeAtSend()
      const wanted = sent === undefined ? chosen : sent?.id ? sent : null
      const form = actor.page.getByTestId('card-form')
      if (
        !(await form.waitFor({ timeout: 3_000 }).then(
          () => true,
          () => false,
        ))
      )
        return `add ${args.type}: no form opened`
      const id = (await form.getAttribute('data-shape-id')) ?? '?'
      const field = form.locator('input[data-field]:not([type=number]), textarea[data-field]').first()
      await field.fill(String(args.text))
      if (wanted) await checkDestination(world, actor, id, wanted, `${args.type} card`)
      await checkPrivacy(world, actor, id)
      await settle(actor.page)
      const dropped = chosen && chosen.id !== wanted?.id ? ` (the list showed ${wanted ? `"${wanted.label}"` : 'automatic'} when she clicked)` : ''
      return `add ${args.type} ${id} "${args.text}" → ${wanted ? `"${wanted.label}"` : 'auto'}${dropped}`
    },
  },
  {
    name: 'contribute',
    weight: 6,
    who: (p) => p.kind === 'phone' && p.role === 'participant',
    args: (rng) => ({ dest: rng.int(0, 999), text: someText(rng) }),
    async run(world, actor, args) {
      const box = actor.page.getByTestId('contribute-text')
      if (!(await box.isVisible().catch(() => false))) {
        const fold = actor.page.locator('.contribute .panel-toggle')
        if (await fold.isVisible().catch(() => false)) await fold.tap()
        if (!(await box.isVisible().catch(() => false))) return 'skipped: no contribute view'
      }
      await box.fill(String(args.text))
      const where = actor.page.getByTestId('contribute-where')
      const chosen = await choosePlace(actor, where, Number(args.dest))
      // Where the panel sent it: the list as it was when she sent (ui.ts watchPlaceAtSend). A phase
      // change arriving between choosing and sending drops a choice made in the phase before (by
      // design: a phase-4 group is not where phase-5 cards go), and the list then shows where the
      // card goes; so can one arriving while the tap is on its way, after any earlier reading (seed
      // 20261203, step 88, twice). Her own choice when the send was not seen.
      const placeAtSend = await watchPlaceAtSend(actor.page, 'contribute-where', 'submit', 'contribute')
      await actor.page.getByTestId('contribute-submit').tap()
      await actor.page
        .getByTestId('contribute-status')
        .waitFor({ timeout: 3_000 })
        .catch(() => {})
      const sent = await placeAtSend()
      const wanted = sent === undefined ? chosen.wanted : sent?.id ? sent : null
      const changed = chosen.changed + (chosen.wanted && wanted?.id !== chosen.wanted.id ? ` (the list showed "${wanted?.label ?? '—'}" when she sent)` : '')
      const id = await cardWithText(actor.page, String(args.text))
      if (!id) world.findings.push(`${actor.name} put "${args.text}" on the board from the phone, but no card with that text appeared on her page`)
      else {
        if (wanted) await checkDestination(world, actor, id, wanted, 'contribution')
        // And the panel told her so ("Geplaatst in …").
        const said = await actor.page
          .getByTestId('contribute-status')
          .textContent({ timeout: 1_000 })
          .catch(() => null)
        if (wanted && said !== null && !said.includes(wanted.label))
          world.findings.push(`${actor.name} sent "${args.text}" to "${wanted.label}" (${wanted.id}) from the phone, but the panel said: "${said}"`)
        await checkPrivacy(world, actor, id)
      }
      return `contribute "${args.text}" → ${wanted ? `"${wanted.label}"` : 'the only place'}${changed}`
    },
  },
  {
    name: 'fold-contribute',
    weight: 2,
    who: (p) => p.kind === 'phone' && p.role === 'participant',
    args: () => ({}),
    async run(_world, actor) {
      // Folding the contribute view away uncovers the board behind it (to tap and drag cards).
      const fold = actor.page.locator('.contribute .panel-toggle')
      if (!(await fold.isVisible().catch(() => false))) return 'skipped: no contribute view'
      const open = (await fold.getAttribute('aria-expanded')) === 'true'
      await fold.tap()
      return open ? 'fold the contribute view away' : 'unfold the contribute view'
    },
  },
  {
    name: 'edit-card',
    weight: 5,
    who: (p) => canEdit(p) && onDesktop(p),
    args: (rng) => ({ pick: rng.int(0, 999), mine: rng.chance(0.6), field: rng.int(0, 99), text: someText(rng) }),
    async run(world, actor, args) {
      const card = await pickCard(world, actor, Number(args.pick), CARD_TYPES, args.mine === true)
      if (!card) return `skipped: no ${args.mine ? 'own' : "one else's"} card on screen`
      if (!(await selectCard(actor, card.at, card.id))) return `edit: ${card.id} opened no form`
      const form = actor.page.getByTestId('card-form')
      const readOnly = await actor.page
        .getByTestId('not-mine')
        .isVisible()
        .catch(() => false)
      const expectReadOnly = actor.role === 'participant' && !card.mine && (await isOwned(actor.page, card.id))
      if (readOnly !== expectReadOnly)
        world.findings.push(
          `${actor.name} opened ${card.id} (${card.type}, ${card.mine ? 'her own' : "someone else's"}): the form is ${readOnly ? 'read-only' : 'editable'}, expected ${expectReadOnly ? 'read-only' : 'editable'}`,
        )
      if (readOnly) {
        await settle(actor.page)
        return `open ${card.id} (${card.type}) read-only`
      }
      const fields = form.locator('input[data-field]:not([type=number]), textarea[data-field]')
      const n = await fields.count()
      if (n === 0) return `edit ${card.id}: no text field`
      const field = fields.nth(Number(args.field) % n)
      const name = await field.getAttribute('data-field')
      // People lists are one person a line ("name, organisation").
      const value = name === 'trekkers' || name === 'betrokkenen' ? `${args.text}, Gemeente` : String(args.text)
      await field.fill(value)
      await settle(actor.page)
      return `edit ${card.id} (${card.type}${card.mine ? ', own' : ''}) ${name} = "${value}"`
    },
  },
  {
    name: 'card-choice',
    weight: 2,
    who: (p) => canEdit(p) && onDesktop(p),
    args: (rng) => ({ pick: rng.int(0, 999), option: rng.int(0, 99), check: rng.int(0, 9) }),
    async run(world, actor, args) {
      // The selects and tick boxes of a card: group, status, rol van de gemeente, themes, checks.
      const card = await pickCard(
        world,
        actor,
        Number(args.pick),
        ['contribution', 'action-line', 'experiment'],
        actor.role === 'participant' ? true : undefined,
      )
      if (!card) return 'skipped: no card with choices on screen'
      if (!(await selectCard(actor, card.at, card.id))) return `choose: ${card.id} opened no form`
      const form = actor.page.getByTestId('card-form')
      const selects = form.locator('select[data-field]')
      const boxes = form.locator('input[type=checkbox]')
      let did = 'nothing to choose'
      if ((await selects.count()) > 0 && (Number(args.check) % 2 === 0 || (await boxes.count()) === 0)) {
        const select = selects.nth(Number(args.option) % (await selects.count()))
        const values = await select.locator('option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value))
        const value = values[Number(args.option) % values.length]!
        if (await select.isEnabled()) await select.selectOption(value)
        did = `${await select.getAttribute('data-field')} = "${value}"`
      } else if ((await boxes.count()) > 0) {
        const box = boxes.nth(Number(args.check) % (await boxes.count()))
        if (await box.isEnabled()) await box.click()
        did = `tick box ${Number(args.check) % (await boxes.count())}`
      }
      await settle(actor.page)
      return `${card.id} (${card.type}): ${did}`
    },
  },
  {
    name: 'signup',
    weight: 2,
    who: (p) => canEdit(p) && onDesktop(p),
    args: (rng) => ({ pick: rng.int(0, 999), trekker: rng.chance(0.5) }),
    async run(world, actor, args) {
      const card = await pickCard(world, actor, Number(args.pick), ['action-line'])
      if (!card) return 'skipped: no action line on screen'
      if (!(await selectCard(actor, card.at, card.id))) return `signup: ${card.id} opened no form`
      const button = actor.page.getByTestId(args.trekker ? 'signup-trekker' : 'signup-betrokkene')
      const can = await button.isVisible().catch(() => false)
      if (can) await button.click()
      await settle(actor.page)
      return can ? `sign up to ${card.id} as ${args.trekker ? 'trekker' : 'betrokkene'}` : `already signed up to ${card.id}`
    },
  },
  {
    name: 'move-theme',
    weight: 1,
    who: (p) => canEdit(p) && onDesktop(p),
    args: (rng) => ({ pick: rng.int(0, 999) }),
    async run(world, actor, args) {
      const card = await pickCard(world, actor, Number(args.pick), ['theme-card'])
      if (!card) return 'skipped: no theme on screen'
      if (!(await selectCard(actor, card.at, card.id))) return `move theme: ${card.id} opened no form`
      const button = actor.page.getByTestId('move-theme')
      const can = (await button.isVisible().catch(() => false)) && (await button.isEnabled())
      if (can) await button.click()
      await settle(actor.page)
      return can ? `move theme ${card.id} to the other side of common ground` : `theme ${card.id}: no move button`
    },
  },
]

/** Whether a card has a writer at all (template cards have none and stay open to everyone). */
async function isOwned(page: Page, id: string): Promise<boolean> {
  return page.evaluate((shapeId) => {
    const editor = (window as unknown as TestWindow).__boardTest?.editor
    return typeof (editor?.getShape(shapeId as never)?.meta as Record<string, unknown> | undefined)?.owner === 'string'
  }, id)
}
