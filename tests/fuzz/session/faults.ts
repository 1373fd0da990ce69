/**
 * Network faults for one person at a time, while the others keep working:
 * - a half-open blip: their proxy freezes the connection (no byte, no close) for a few seconds,
 *   or for longer than y-websocket's 30 s watchdog; then the held bytes arrive, or the route is
 *   gone (the browser's side is reset, the server's stays open until its keepalive notices);
 * - an offline spell: the browser goes offline (Playwright's `context.setOffline`, or the
 *   DevTools protocol's `Network.emulateNetworkConditions`) and their proxy drops every socket —
 *   in this Chromium neither offline switch closes a WebSocket that is already open (seen:
 *   the board kept its one connection), so the proxy does what the operating system would;
 * - a reload, and (actions-facilitation.ts) a language switch.
 * A fault ends at the first step after its time is up; the person may act meanwhile (edits made
 * offline must arrive afterwards).
 */
import { editorReady } from './ui.ts'
import type { Actor } from './cast.ts'
import { connectionState } from './checks.ts'
import { anyone, type Action, type World } from './world.ts'

async function setOffline(actor: Actor, offline: boolean, via: string): Promise<void> {
  if (via === 'cdp') {
    const cdp = await actor.context.newCDPSession(actor.page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
    await cdp.detach()
  } else {
    await actor.context.setOffline(offline)
  }
}

export const faultActions: Action[] = [
  {
    name: 'blip',
    weight: 3,
    who: anyone,
    args: (rng) => ({ seconds: rng.pick([2, 4, 8, 12, 34]), only: rng.pick(['sync', 'all']), end: rng.pick(['resume', 'drop']) }),
    async run(world, actor, args) {
      if (actor.fault) return `skipped: ${actor.name} is already ${actor.fault.kind}`
      actor.proxy.freeze(args.only === 'sync' ? 'sync' : undefined)
      actor.fault = { kind: 'blip', until: Date.now() + Number(args.seconds) * 1_000, step: world.step, via: String(args.end) }
      const end = args.end === 'drop' ? 'then the connection is dead (reset for the browser, silent for the server)' : 'then everything held back arrives'
      return `freeze ${args.only === 'sync' ? 'the WebSocket' : 'all traffic'} for ${args.seconds} s (half-open), ${end}`
    },
  },
  {
    name: 'offline',
    weight: 2,
    who: anyone,
    args: (rng) => ({ seconds: rng.pick([3, 6, 15]), via: rng.pick(['context', 'cdp']) }),
    async run(world, actor, args) {
      if (actor.fault) return `skipped: ${actor.name} is already ${actor.fault.kind}`
      await setOffline(actor, true, String(args.via))
      actor.proxy.cut()
      actor.fault = { kind: 'offline', until: Date.now() + Number(args.seconds) * 1_000, step: world.step, via: String(args.via) }
      return `offline for ${args.seconds} s (${args.via === 'cdp' ? 'DevTools network emulation' : 'context.setOffline'})`
    },
  },
  {
    name: 'reload',
    weight: 2,
    who: anyone,
    args: () => ({}),
    async run(_world, actor) {
      if (actor.fault) return `skipped: ${actor.name} is ${actor.fault.kind}`
      await actor.page.reload()
      await editorReady(actor.page)
      return 'reload'
    },
  },
]

/** Ends the faults whose time is up (all of them with `all`); returns who came back. */
export async function healFaults(world: World, all = false): Promise<Actor[]> {
  const healed: Actor[] = []
  for (const actor of world.actors) {
    const fault = actor.fault
    if (!fault || (!all && Date.now() < fault.until)) continue
    if (fault.kind === 'blip') actor.proxy.thaw(fault.via === 'drop' ? 'drop' : 'resume')
    else {
      actor.proxy.restore()
      await setOffline(actor, false, fault.via)
    }
    actor.fault = null
    actor.faultEndedAt = world.step
    healed.push(actor)
  }
  return healed
}

/** Waits until a person's page says it is connected again (after a fault, a reload). */
export async function reconnected(actor: Actor, timeout: number): Promise<boolean> {
  const deadline = Date.now() + timeout
  while (Date.now() < deadline) {
    if ((await connectionState(actor.page)) === 'connected') return true
    await actor.page.waitForTimeout(200)
  }
  return false
}
