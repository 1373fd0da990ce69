/**
 * The people of a fuzzed session: a facilitator and five others, each in their own browser
 * context of one Chromium and behind their own freezing proxy (freezing-proxy.ts), so a network
 * fault hits one person at a time. What each page reports (uncaught errors, console errors) is
 * collected here for the checks.
 */
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core'
import type { Role } from '../../../shared/roles.ts'
import { joinBoard } from '../../helpers/browser.ts'
import { startFreezingProxy, type FreezingProxy } from './freezing-proxy.ts'

export type Kind = 'desktop' | 'phone'

export interface Person {
  name: string
  role: Role
  kind: Kind
}

/** The cast, fixed so a seed's plan never depends on anything but the seed. */
export const CAST: readonly Person[] = [
  { name: 'Fien', role: 'facilitator', kind: 'desktop' },
  { name: 'Piet', role: 'participant', kind: 'desktop' },
  { name: 'Pam', role: 'participant', kind: 'desktop' },
  { name: 'Ali', role: 'participant', kind: 'desktop' },
  { name: 'Noor', role: 'participant', kind: 'phone' },
  { name: 'Vera', role: 'viewer', kind: 'desktop' },
]

export interface PageProblem {
  kind: 'pageerror' | 'console'
  text: string
  /** The step during which it happened (0: while joining). */
  step: number
}

export interface Actor extends Person {
  context: BrowserContext
  page: Page
  proxy: FreezingProxy
  /** The board path with this person's token. */
  link: string
  problems: PageProblem[]
  /** The store binding's warnings about records it kept out of tldraw's store (the latest 50). */
  skipped: string[]
  /** A network fault in progress (faults.ts), else null. */
  fault: { kind: 'blip' | 'offline'; until: number; step: number; via: string } | null
  /** The last step at which a fault of this actor ended (network errors are expected around it). */
  faultEndedAt: number
}

export interface Stage {
  /** The step now running, for stamping problems. */
  step: number
}

const DESKTOP = { viewport: { width: 1280, height: 800 } }
// An iPhone-sized phone: below 700 px a participant gets the contribute view (README, Phones).
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }

export async function openActor(browser: Browser, person: Person, serverPort: number, link: string, stage: Stage): Promise<Actor> {
  const proxy = await startFreezingProxy({ port: serverPort })
  const context = await browser.newContext(person.kind === 'phone' ? PHONE : DESKTOP)
  // The test hook (client/board/test-hook.ts): the page hands its editor over for reading.
  await context.addInitScript(() => {
    ;(window as unknown as { __boardTest: object }).__boardTest = {}
  })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: proxy.url })
  const page = await context.newPage()
  const actor: Actor = { ...person, context, page, proxy, link, problems: [], skipped: [], fault: null, faultEndedAt: -1 }
  page.on('pageerror', (error) => actor.problems.push({ kind: 'pageerror', text: `${error.message}\n${error.stack ?? ''}`.slice(0, 2_000), step: stage.step }))
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') actor.problems.push({ kind: 'console', text: message.text().slice(0, 2_000), step: stage.step })
    // Why a record the server has is not on the page (shared/store-binding.ts logs each it leaves out).
    else if (message.type() === 'warning' && message.text().startsWith('skipped'))
      actor.skipped = [...actor.skipped.slice(-49), `step ${stage.step}: ${message.text().slice(0, 400)}`]
  })
  // Dialogs (revert's confirmation) are answered yes, as the person meant to do it.
  page.on('dialog', (dialog) => void dialog.accept().catch(() => {}))
  await joinBoard(page, proxy.url + link, person.name)
  return actor
}

/** Opens the cast one after the other (joining six at once on two cores times out). */
export async function openCast(browser: Browser, serverPort: number, links: Record<Role, string>, stage: Stage): Promise<Actor[]> {
  const actors: Actor[] = []
  for (const person of CAST) actors.push(await openActor(browser, person, serverPort, links[person.role], stage))
  return actors
}
