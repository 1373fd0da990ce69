/**
 * The browser part of `npm run bench:compare`: Debian's Chromium (headless, as in the tests) on a
 * board with 2,000 cards served by this server: time until every card is on the page, frames per
 * second while panning at 100 % and zoomed to fit, and the page's JavaScript heap.
 */
import { existsSync } from 'node:fs'
import { chromium, type Page } from 'playwright-core'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { card } from '../../helpers/records.ts'
import { removeData, startBenchServer } from './servers.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CARDS = 2_000

type Cdp = Awaited<ReturnType<ReturnType<Page['context']>['newCDPSession']>>

/** Chromium's own counters (seconds of script, layout, style and all tasks so far). */
async function cdpMetrics(cdp: Cdp): Promise<Record<string, number>> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]))
}

/**
 * Pans with the mouse wheel for `ms` and reports the page's frames meanwhile, and where the main
 * thread's time went (script, layout, style; the rest of a task is mostly paint and compositing).
 */
async function panFrames(
  page: Page,
  cdp: Cdp,
  ms: number,
): Promise<{ fps: number; p95FrameMs: number; scriptPct: number; layoutPct: number; stylePct: number; taskPct: number }> {
  const before = await cdpMetrics(cdp)
  await page.evaluate(() => {
    const w = window as unknown as { benchFrames: number[]; benchRunning: boolean }
    w.benchFrames = []
    w.benchRunning = true
    let last = performance.now()
    const tick = (t: number) => {
      w.benchFrames.push(t - last)
      last = t
      if (w.benchRunning) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
  const started = Date.now()
  let direction = 1
  for (let i = 0; Date.now() - started < ms; i++) {
    if (i % 40 === 0) direction = -direction
    await page.mouse.wheel(60 * direction, 25 * direction)
  }
  const frames = await page.evaluate(() => {
    const w = window as unknown as { benchFrames: number[]; benchRunning: boolean }
    w.benchRunning = false
    return w.benchFrames.slice(1)
  })
  const total = frames.reduce((n, f) => n + f, 0)
  const after = await cdpMetrics(cdp)
  const pct = (name: string) => ((after[name]! - before[name]!) / (total / 1000)) * 100
  const sorted = [...frames].sort((a, b) => a - b)
  return {
    fps: (frames.length / total) * 1000,
    p95FrameMs: sorted[Math.floor(sorted.length * 0.95)] ?? NaN,
    scriptPct: pct('ScriptDuration'),
    layoutPct: pct('LayoutDuration'),
    stylePct: pct('RecalcStyleDuration'),
    taskPct: pct('TaskDuration'),
  }
}

export async function browserRun() {
  console.log(`\nBrowser: headless Chromium, 1400×850, a board with ${CARDS.toLocaleString('en')} cards`)
  if (!existsSync(CHROMIUM)) {
    console.log(`  NOT RUN: Chromium not found at ${CHROMIUM} (bash scripts/ensure-test-tools.sh installs it)`)
    return
  }
  if (!existsSync('dist/index.html')) {
    console.log('  NOT RUN: the client is not built (npm run build)')
    return
  }
  const server = await startBenchServer('this')
  const http = server.wsBase.replace('ws', 'http').replace(/\/sync$/, '')
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  try {
    const created = await fetch(`${http}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Benchmark 2000' }),
    })
    const { id, links } = (await created.json()) as { id: string; links: { facilitator: string } }
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(server.wsBase, id, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: server.token(id, 0)! },
      disableBc: true,
    })
    while (!provider.synced) await new Promise((resolve) => setTimeout(resolve, 20))
    const records = doc.getMap('records')
    for (let i = 0; i < CARDS; i += 100) {
      doc.transact(() => {
        for (let j = i; j < i + 100; j++) {
          const shapeId = `shape:bench${j}`
          records.set(shapeId, card(shapeId, `Bijdrage ${j}: wat ons bindt in de wijk`, { x: (j % 50) * 240, y: Math.floor(j / 50) * 240 }))
        }
      })
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    provider.destroy()
    doc.destroy()

    const page = await (await browser.newContext({ viewport: { width: 1400, height: 850 } })).newPage()
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable')
    const started = performance.now()
    await page.goto(http + links.facilitator)
    await page.getByLabel('Je naam').fill('Bench')
    await page.getByRole('button', { name: 'Naar het bord' }).click()
    await page.waitForFunction((n) => document.querySelectorAll('[data-shape-type="contribution"]').length >= n, CARDS, { timeout: 120_000, polling: 50 })
    const shownMs = performance.now() - started
    await page.mouse.move(700, 500)
    await page.keyboard.press('Shift+0') // 100 %
    await page.waitForTimeout(500)
    const atHundred = await panFrames(page, cdp, 4_000)
    await page.keyboard.press('Shift+1') // zoom to fit
    await page.waitForTimeout(1_000)
    const fitted = await panFrames(page, cdp, 4_000)
    const heapMb = (await page.evaluate(() => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize)) / 1024 / 1024
    await page.screenshot({ path: 'test-results/bench-2000-cards-fit.png' }).catch(() => {})
    console.table({
      'join → all cards on the page (ms)': Math.round(shownMs),
      'panning at 100 %: fps': Number(atHundred.fps.toFixed(1)),
      'panning at 100 %: p95 frame (ms)': Number(atHundred.p95FrameMs.toFixed(1)),
      'panning at 100 %: main thread busy / script / layout / style (%)': [atHundred.taskPct, atHundred.scriptPct, atHundred.layoutPct, atHundred.stylePct]
        .map((v) => v.toFixed(0))
        .join(' / '),
      'panning zoomed to fit: fps': Number(fitted.fps.toFixed(1)),
      'panning zoomed to fit: p95 frame (ms)': Number(fitted.p95FrameMs.toFixed(1)),
      'panning zoomed to fit: main thread busy / script / layout / style (%)': [fitted.taskPct, fitted.scriptPct, fitted.layoutPct, fitted.stylePct]
        .map((v) => v.toFixed(0))
        .join(' / '),
      'JS heap (MB)': Math.round(heapMb),
    })
  } finally {
    await browser.close()
    await server.stop()
    removeData(server)
  }
}
