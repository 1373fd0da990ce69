/**
 * Running the session from the board's header and agenda: phases, spotlight, private rounds and
 * their reveal, dot votes, max-mix groups, raised hands, the Prullenbak, snapshots and reverts,
 * and the facilitator's smaller tools (tidy, cluster, parking lot, summon, present, timer).
 */
import type { Locator } from 'playwright-core'
import nl from '../../../client/i18n/nl.json' with { type: 'json' }
import en from '../../../client/i18n/en.json' with { type: 'json' }
import type { Actor } from './cast.ts'
import { someText } from './actions-canvas.ts'
import { settle, shapesOnScreen, tap } from './ui.ts'
import { anyone, canEdit, isFacilitator, onDesktop, type Action } from './world.ts'

type Key = keyof typeof nl & keyof typeof en
/** A button's name in either language (a language switch may have happened). */
const either = (key: Key) => new RegExp(`^\\s*(${[nl[key], en[key]].map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\s*$`)

const visible = (l: Locator) => l.isVisible().catch(() => false)

/** Clicks a control if this screen shows it; false when it is not there (now). */
async function press(actor: Actor, l: Locator): Promise<boolean> {
  if (!(await visible(l)) || !(await l.isEnabled().catch(() => false))) return false
  if (actor.kind === 'phone') await l.tap({ timeout: 3_000 })
  else await l.click({ timeout: 3_000 })
  return true
}

/** The facilitator's controls are folded away by *Bediening verbergen*: unfold them. */
async function controls(actor: Actor): Promise<void> {
  const toggle = actor.page.getByTestId('controls-toggle')
  if ((await visible(toggle)) && (await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click()
}

/** Opens a header menu (a <details>), runs `inside`, closes it again. */
async function inMenu<T>(actor: Actor, testId: string, inside: () => Promise<T>): Promise<T | null> {
  const summary = actor.page.getByTestId(testId)
  if (!(await visible(summary))) return null
  const details = summary.locator('xpath=..')
  if ((await details.getAttribute('open')) === null) await summary.click()
  try {
    return await inside()
  } finally {
    if ((await details.getAttribute('open').catch(() => null)) !== null) await summary.click().catch(() => {})
  }
}

/** A facilitator's control that is either on (then `offId` ends it) or off (`onId` starts it). */
function toggle(name: string, offId: string, offSays: string, onId: string, onSays: string): Action {
  return {
    name,
    weight: name === 'spotlight' ? 2 : 3,
    who: isFacilitator,
    args: () => ({}),
    async run(_world, actor) {
      await controls(actor)
      if (await press(actor, actor.page.getByTestId(offId))) return offSays
      return (await press(actor, actor.page.getByTestId(onId))) ? onSays : `no ${name} control`
    },
  }
}

export const facilitationActions: Action[] = [
  {
    name: 'phase',
    weight: 3,
    who: isFacilitator,
    args: (rng) => ({ back: rng.chance(0.25) }),
    async run(_world, actor, args) {
      await controls(actor)
      const button = args.back ? actor.page.getByRole('button', { name: either('agenda.prev') }) : actor.page.getByTestId('next-phase')
      const did = await press(actor, button)
      return did ? (args.back ? 'previous phase' : 'next phase') : 'no phase that way'
    },
  },
  toggle('spotlight', 'spotlight-off', 'spotlight off', 'spotlight-start', 'spotlight on'),
  toggle('private-round', 'reveal', 'reveal the private round', 'private-start', 'start a private round'),
  {
    name: 'vote',
    weight: 3,
    who: canEdit,
    args: (rng) => ({ pick: rng.int(0, 999), close: rng.chance(0.4), dots: rng.int(1, 5) }),
    async run(_world, actor, args) {
      const open = await visible(actor.page.getByTestId('vote-bar'))
      if (actor.role === 'facilitator' && (!open || args.close)) {
        if (open) return (await press(actor, actor.page.getByTestId('vote-close'))) ? 'close the vote' : 'no close button'
        if (!(await press(actor, actor.page.getByTestId('vote-start')))) return 'no vote button'
        const dots = actor.page.locator('.vote-start input[type=number]').first()
        if (await visible(dots)) await dots.fill(String(args.dots))
        const began = await press(actor, actor.page.getByTestId('vote-begin'))
        return began ? `start a vote with ${args.dots} dots` : 'vote form did not open'
      }
      if (!open) return 'skipped: no vote open'
      const cards = (await shapesOnScreen(actor.page)).filter((s) => s.type !== 'frame' && s.type !== 'era' && s.type !== 'text')
      if (cards.length === 0) return 'skipped: no card on screen to vote on'
      const card = cards[Number(args.pick) % cards.length]!
      await settle(actor.page)
      await tap(actor, card.at)
      const dotted = await press(actor, actor.page.getByTestId('vote-add'))
      return dotted ? `a dot on ${card.id}` : `no dot left for ${card.id}`
    },
  },
  {
    name: 'hand',
    weight: 2,
    who: canEdit,
    args: () => ({}),
    async run(_world, actor) {
      const button = actor.page.getByTestId('hand')
      if (actor.role === 'facilitator') {
        const lowered = await inMenu(actor, 'people-menu', async () => press(actor, actor.page.getByTestId('lower-hand').first()))
        if (lowered) return "lower someone's hand"
      }
      const was = await button.getAttribute('aria-pressed').catch(() => null)
      return (await press(actor, button)) ? (was === 'true' ? 'hand down' : 'hand up') : 'no hand button'
    },
  },
  {
    name: 'groups',
    weight: 1,
    who: isFacilitator,
    args: (rng) => ({ count: rng.int(1, 3) }),
    async run(_world, actor, args) {
      await controls(actor)
      if (!(await press(actor, actor.page.getByRole('button', { name: either('groups.form') })))) return 'no groups button'
      const count = actor.page.locator('#group-count')
      if (await visible(count)) await count.fill(String(args.count))
      const made = await press(actor, actor.page.getByRole('button', { name: either('groups.make') }))
      return made ? `form ${args.count} mixed groups` : 'nobody to put in groups'
    },
  },
  {
    name: 'facilitate',
    weight: 3,
    who: isFacilitator,
    args: (rng) => ({ what: rng.pick(['tidy', 'cluster', 'parking-lot', 'summon', 'present', 'start-timer', 'minus-minute', 'timer-reset', 'go-to-phase']) }),
    async run(_world, actor, args) {
      await controls(actor)
      if (args.what === 'present') {
        const stop = actor.page.getByRole('button', { name: either('agenda.stopPresent') })
        if (await press(actor, stop)) return 'stop presenting'
      }
      if (args.what === 'start-timer') {
        const pause = actor.page.getByRole('button', { name: either('agenda.pause') })
        if (await press(actor, pause)) return 'pause the timer'
      }
      return (await press(actor, actor.page.getByTestId(String(args.what)))) ? String(args.what) : `no ${args.what} button`
    },
  },
  {
    name: 'trash-restore',
    weight: 3,
    who: isFacilitator,
    args: (rng) => ({ pick: rng.int(0, 999) }),
    async run(_world, actor, args) {
      const did = await inMenu(actor, 'trash-menu', async () => {
        const buttons = actor.page.getByTestId('trash-restore')
        await buttons
          .first()
          .waitFor({ timeout: 1_500 })
          .catch(() => {})
        const n = await buttons.count()
        if (n === 0) return 'the Prullenbak is empty'
        const item = buttons.nth(Number(args.pick) % n)
        const label = (await item.locator('xpath=..').textContent())?.slice(0, 80)
        await item.click()
        return `restore "${label}"`
      })
      return did ?? 'no Prullenbak'
    },
  },
  {
    name: 'snapshot',
    weight: 2,
    who: isFacilitator,
    args: (rng) => ({ name: someText(rng) }),
    async run(_world, actor, args) {
      const did = await inMenu(actor, 'history-menu', async () => {
        const items = actor.page.getByTestId('snapshot-list').locator('li')
        const before = await items.count()
        await actor.page.getByTestId('snapshot-name').fill(String(args.name))
        await actor.page.getByTestId('snapshot-take').click()
        await actor.page
          .waitForFunction((n) => document.querySelectorAll('[data-testid="snapshot-list"] li').length > n, before, { timeout: 10_000 })
          .catch(() => {})
        return `snapshot "${args.name}"`
      })
      return did ?? 'no history menu'
    },
  },
  {
    name: 'revert',
    weight: 1,
    who: isFacilitator,
    args: (rng) => ({ pick: rng.int(0, 999) }),
    async run(world, actor, args) {
      const opened = await inMenu(actor, 'history-menu', async () => {
        const open = actor.page.getByTestId('snapshot-open')
        await open
          .first()
          .waitFor({ timeout: 5_000 })
          .catch(() => {})
        const n = await open.count()
        if (n === 0) return null
        await open.nth(Number(args.pick) % n).click()
        return n
      })
      if (!opened) return 'no snapshot to revert to'
      const viewer = actor.page.getByTestId('snapshot-viewer')
      await viewer.waitFor({ timeout: 5_000 })
      // The confirmation dialog is accepted (cast.ts).
      await actor.page.getByTestId('snapshot-revert').click()
      const notice = await actor.page
        .getByTestId('snapshot-notice')
        .waitFor({ timeout: 15_000 })
        .then(
          () => actor.page.getByTestId('snapshot-notice').textContent(),
          () => null,
        )
      await press(actor, actor.page.getByTestId('snapshot-close'))
      // On a frozen or cut network no answer comes (yet): that is the network, not the board.
      if (!notice && !actor.fault)
        world.findings.push(`${actor.name} reverted to snapshot ${Number(args.pick) % opened} of ${opened}, but no notice said it was done`)
      return `revert to snapshot ${Number(args.pick) % opened} of ${opened}: ${notice ?? 'no answer'}`
    },
  },
  {
    name: 'facilitator-note',
    weight: 1,
    who: isFacilitator,
    args: (rng) => ({ text: someText(rng) }),
    async run(_world, actor, args) {
      const did = await inMenu(actor, 'fnotes-menu', async () => {
        await actor.page.getByTestId('fnote-text').fill(String(args.text))
        await actor.page.getByTestId('fnote-add').click()
        return `facilitator note "${args.text}"`
      })
      return did ?? 'no facilitator notes'
    },
  },
  {
    name: 'look-around',
    weight: 2,
    who: onDesktop,
    args: (rng) => ({ what: rng.pick(['outline', 'follow', 'go-to-phase', 'report-menu']), pick: rng.int(0, 999) }),
    async run(_world, actor, args) {
      if (args.what === 'go-to-phase') return (await press(actor, actor.page.getByTestId('go-to-phase'))) ? 'go to the phase' : 'no phase'
      const menu = args.what === 'outline' ? 'outline-menu' : args.what === 'follow' ? 'people-menu' : 'report-menu'
      const did = await inMenu(actor, menu, async () => {
        if (args.what === 'report-menu') return 'opened the report menu'
        const items = args.what === 'outline' ? actor.page.getByTestId('outline-list').locator('button') : actor.page.getByTestId('follow-person')
        const n = await items.count()
        if (n === 0) return `nothing in ${menu}`
        const item = items.nth(Number(args.pick) % n)
        const label = await item.textContent()
        await item.click()
        return `${args.what === 'outline' ? 'jump to' : 'follow'} "${label}"`
      })
      // Following ends when the person moves their own view; a step later, anything may happen.
      if (args.what === 'follow') await actor.page.keyboard.press('Escape')
      return did ?? `no ${menu}`
    },
  },
  {
    name: 'language',
    weight: 1,
    who: anyone,
    args: () => ({}),
    async run(_world, actor) {
      const menu = actor.page.getByTestId('menu-button')
      if (await visible(menu)) await press(actor, menu)
      const did = await press(actor, actor.page.getByTestId('language-toggle'))
      if ((await visible(menu)) && (await menu.getAttribute('aria-expanded')) === 'true') await press(actor, menu)
      return did ? 'switch language' : 'no language switch'
    },
  },
]
