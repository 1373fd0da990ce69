/**
 * How the fuzzer's people use a page: the mouse, the keyboard and (on the phone) touch, on points
 * of the canvas that nothing covers. The editor (client/board/test-hook.ts) is only *read*, to
 * find where shapes are on screen and whose they are; every change goes through the UI.
 */
import type { Page } from 'playwright-core'
import type { Editor } from 'tldraw'
import { sha256Hex } from '../../../shared/sha256.ts'
import type { Actor } from './cast.ts'

export interface Point {
  x: number
  y: number
}

/** A shape as the fuzzer sees it on one page. */
export interface SeenShape {
  id: string
  type: string
  /** Its centre on screen (CSS pixels), uncovered by the board's panels. */
  at: Point
  /** Its bounds on screen. */
  box: { x: number; y: number; w: number; h: number }
  mine: boolean
  locked: boolean
  text: string
}

type TestWindow = { __boardTest?: { editor?: Editor } }

export async function editorReady(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForFunction(() => !!(window as unknown as TestWindow).__boardTest?.editor, undefined, { timeout })
}

/**
 * A point of the canvas near (fx, fy) — fractions of the viewport — that is the canvas itself
 * (not a panel, the toolbar or a menu): tried on a fixed spiral around it, so a seed finds the
 * same point each time on the same layout. Null when the canvas is all covered.
 */
export async function canvasPoint(page: Page, fx: number, fy: number): Promise<Point | null> {
  return page.evaluate(
    ([fx, fy]) => {
      const w = innerWidth
      const h = innerHeight
      const free = (x: number, y: number) => {
        if (x < 8 || y < 8 || x > w - 8 || y > h - 8) return false
        const el = document.elementFromPoint(x, y)
        if (!el || !el.closest('.tl-canvas')) return false
        return !el.closest(
          '.tlui-layout__top, .tlui-layout__bottom, .tlui-toolbar, .tlui-menu-zone, .tlui-style-panel, .card-panel, .board-top, .contribute, .vote-bar, .tlui-popover, .tlui-minimap',
        )
      }
      for (let r = 0; r < 12; r++) {
        for (let k = 0; k < Math.max(1, r * 6); k++) {
          const angle = (k / Math.max(1, r * 6)) * Math.PI * 2
          const x = Math.round(fx * w + Math.cos(angle) * r * 40)
          const y = Math.round(fy * h + Math.sin(angle) * r * 40)
          if (free(x, y)) return { x, y }
        }
      }
      return null
    },
    [fx, fy] as const,
  )
}

/** The shapes on screen whose centre can be clicked, in a stable order (by id). */
export async function shapesOnScreen(page: Page, keyHash?: string): Promise<SeenShape[]> {
  return page.evaluate((ownKey) => {
    const editor = (window as unknown as TestWindow).__boardTest?.editor
    if (!editor) return []
    const viewport = editor.getViewportScreenBounds()
    const out: SeenShape[] = []
    const textOf = (props: Record<string, unknown>) => {
      for (const key of ['text', 'title', 'name']) if (typeof props[key] === 'string' && props[key]) return props[key] as string
      const rich = props.richText as { content?: { content?: { text?: string }[] }[] } | undefined
      return (
        rich?.content
          ?.flatMap((p) => p.content ?? [])
          .map((t) => t.text ?? '')
          .join('') ?? ''
      )
    }
    for (const shape of editor.getCurrentPageShapesSorted()) {
      const page = editor.getShapePageBounds(shape)
      if (!page) continue
      const a = editor.pageToViewport({ x: page.x, y: page.y })
      const b = editor.pageToViewport({ x: page.maxX, y: page.maxY })
      const box = { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y }
      const at = { x: Math.round(box.x + box.w / 2), y: Math.round(box.y + box.h / 2) }
      if (at.x < 8 || at.y < 8 || at.x > viewport.w - 8 || at.y > viewport.h - 8) continue
      // Clickable only where the shape itself (or its label) is the top element.
      const el = document.elementFromPoint(at.x, at.y)
      const onShape =
        el?.closest('.tl-shape, .tl-html-container, .tl-canvas') &&
        !el.closest('.tlui-layout__top, .tlui-layout__bottom, .card-panel, .board-top, .contribute, .vote-bar, .tlui-popover')
      if (!onShape) continue
      const owner = (shape.meta as Record<string, unknown>).owner
      out.push({
        id: shape.id,
        type: shape.type,
        at,
        box,
        mine: typeof owner === 'string' ? owner === ownKey : false,
        locked: shape.isLocked || editor.isShapeOrAncestorLocked(shape),
        text: textOf(shape.props as Record<string, unknown>).slice(0, 60),
      })
    }
    return out.sort((x, y) => (x.id < y.id ? -1 : 1))
  }, keyHash ?? '')
}

/** This page's member key hash (the owner stamp on cards made here, shared/ownership.ts). */
export async function keyHashOf(page: Page): Promise<string> {
  return sha256Hex(await page.evaluate(() => localStorage.getItem('board.memberKey') ?? ''))
}

/** The selected shapes' ids, for describing what a step did. */
export async function selectedIds(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as TestWindow).__boardTest?.editor?.getSelectedShapeIds() ?? [])
}

/** The selection's bounds on screen, or null. */
export async function selectionBox(page: Page): Promise<{ x: number; y: number; w: number; h: number } | null> {
  return page.evaluate(() => {
    const editor = (window as unknown as TestWindow).__boardTest?.editor
    const b = editor?.getSelectionScreenBounds()
    return b ? { x: b.x, y: b.y, w: b.w, h: b.h } : null
  })
}

/**
 * Picks a tldraw tool from its toolbar (or the toolbar's overflow), as a person would; false
 * when this screen shows no such button (the phone's contribute view covers the toolbar).
 */
export async function chooseTool(actor: Actor, tool: string): Promise<boolean> {
  const { page } = actor
  const press = async (testId: string) => {
    const button = page.locator(`[data-testid="${testId}"]`).first()
    if (!(await button.isVisible().catch(() => false))) return false
    if (actor.kind === 'phone') await button.tap({ timeout: 3_000 })
    else await button.click({ timeout: 3_000 })
    return true
  }
  if (await press(`tools.${tool}`)) return true
  if (!(await press('tools.more-button'))) return false
  await page
    .locator(`[data-testid="tools.more.${tool}"]`)
    .waitFor({ timeout: 2_000 })
    .catch(() => {})
  return press(`tools.more.${tool}`)
}

/** A drag with the mouse (desktop) or a finger (phone, through the DevTools touch input). */
export async function drag(actor: Actor, from: Point, path: Point[]): Promise<void> {
  const { page } = actor
  if (actor.kind === 'phone') {
    const cdp = await actor.context.newCDPSession(page)
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from.x, y: from.y }] })
    for (const p of path) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: p.x, y: p.y }] })
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
    await cdp.detach()
    return
  }
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  for (const p of path) await page.mouse.move(p.x, p.y, { steps: 4 })
  await page.mouse.up()
}

/** A click (desktop) or tap (phone); with shift held for adding to a selection. */
export async function tap(actor: Actor, at: Point, opts: { shift?: boolean } = {}): Promise<void> {
  if (actor.kind === 'phone' && !opts.shift) return actor.page.touchscreen.tap(at.x, at.y)
  if (opts.shift) await actor.page.keyboard.down('Shift')
  await actor.page.mouse.click(at.x, at.y)
  if (opts.shift) await actor.page.keyboard.up('Shift')
}

/** Back to the select tool with nothing being edited, as Escape and a click on the tool do. */
export async function settle(page: Page): Promise<void> {
  await page.keyboard.press('Escape')
  await page.keyboard.press('Escape')
  const select = page.locator('[data-testid="tools.select"]')
  if (await select.isVisible().catch(() => false)) await select.click({ timeout: 2_000 }).catch(() => {})
}

/** Focus on the canvas (not a form field) so tldraw's keyboard shortcuts reach it. */
export async function focusCanvas(page: Page): Promise<void> {
  const active = await page.evaluate(() => document.activeElement?.tagName ?? '')
  if (/INPUT|TEXTAREA|SELECT|BUTTON/.test(active) || (await page.evaluate(() => (document.activeElement as HTMLElement | null)?.isContentEditable ?? false))) {
    await page.keyboard.press('Escape')
    await page
      .locator('.tl-canvas')
      .focus()
      .catch(() => {})
  }
}

export const point = (x: number, y: number): Point => ({ x: Math.round(x), y: Math.round(y) })

/** A place in a list of places: its option's value (a frame's id; '' for "automatic") and text. */
export interface ShownPlace {
  id: string
  label: string
}

type SendWindow = { __placeAtSend?: ShownPlace | null; __stopWatchingPlace?: () => void }

/**
 * Reads what the list `listTestId` shows at the moment the person sends: when the `event` (the
 * form's submit, the add button's click) from inside `senderTestId` reaches the page — in a
 * capturing listener on the window, in the same dispatch as the panel's own handler and just before
 * it, so no re-render can come between. The panel's handler and the list are of the same render; a
 * phase change or a reconnect's sync that arrives while the fuzzer's tap is on its way re-renders
 * both, and reading the list before the tap then names a place the panel no longer offered (seed
 * 20261203, step 88, after Noor's dead connection was replaced: read "Onderwijs — Sorry voor", the
 * panel had moved on to "Toekomst" and said "Geplaatst in Toekomst").
 *
 * Call before the tap; the returned function gives the place (null: no list on the page when she
 * sent), or undefined when nothing was sent.
 */
export async function watchPlaceAtSend(
  page: Page,
  listTestId: string,
  event: 'submit' | 'click',
  senderTestId: string,
): Promise<() => Promise<ShownPlace | null | undefined>> {
  await page.evaluate(
    ([list, type, sender]) => {
      const w = window as unknown as SendWindow
      w.__stopWatchingPlace?.()
      delete w.__placeAtSend
      const read = (e: Event) => {
        if (!(e.target instanceof Element) || !e.target.closest(`[data-testid="${sender}"]`)) return
        w.__stopWatchingPlace?.()
        const select = document.querySelector(`[data-testid="${list}"]`) as HTMLSelectElement | null
        w.__placeAtSend = select ? { id: select.value, label: select.selectedOptions[0]?.textContent ?? '' } : null
      }
      window.addEventListener(type, read, true)
      w.__stopWatchingPlace = () => window.removeEventListener(type, read, true)
    },
    [listTestId, event, senderTestId] as const,
  )
  return () => page.evaluate(() => (window as unknown as SendWindow).__placeAtSend).catch(() => undefined)
}
