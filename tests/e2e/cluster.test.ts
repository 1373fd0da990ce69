/**
 * Two server processes (PostgreSQL + Redis) behind nginx with the README's configuration
 * (deploy/nginx.conf), round-robin, no sticky sessions; two people in Debian's Chromium.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { violations } from '../helpers/axe.ts'
import { addNote, joinWithName as join_, launchBrowser, screenshot } from '../helpers/browser.ts'
import { startCluster } from '../helpers/cluster.ts'
import { startNginx } from '../helpers/nginx.ts'

describe('behind nginx, two server processes', () => {
  it("a board opened through nginx: two people, each possibly on another process, see each other's notes", async () => {
    expect(existsSync(join(process.cwd(), 'dist', 'index.html')), 'run `npm run build` first (npm test does)').toBe(true)
    const cluster = await startCluster(2, { TRUST_PROXY: 'true', LOG_LEVEL: 'debug' })
    const nginx = await startNginx(cluster.nodes.map((n) => n.port))

    const created = await fetch(`${nginx.url}/api/boards`, { method: 'POST', body: '{"title":"Via nginx"}' })
    expect(created.status).toBe(201)
    const { links } = (await created.json()) as { links: Record<'facilitator' | 'participant', string> }
    const browser = await launchBrowser()
    const errors: string[] = []
    const pages: Page[] = []
    for (const [name, link] of [
      ['Anna', links.facilitator],
      ['Bram', links.participant],
    ] as const) {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(nginx.url + link)
      await join_(page, name)
      pages.push(page)
    }
    const [anna, bram] = pages as [Page, Page]
    await anna.locator('.tl-canvas').click({ position: { x: 640, y: 420 } })
    await addNote(anna, 500, 400, 'Via de eerste server')
    await bram.locator('[data-shape-type="note"]').filter({ hasText: 'Via de eerste server' }).waitFor({ timeout: 5_000 })
    await addNote(bram, 800, 300, 'En terug')
    await anna.locator('[data-shape-type="note"]').filter({ hasText: 'En terug' }).waitFor({ timeout: 5_000 })
    await screenshot(anna, 'e2e-nginx-anna')
    await screenshot(bram, 'e2e-nginx-bram')

    // Where nginx put the two sockets (round-robin over every request, so it varies with the page's requests).
    const opened = cluster.nodes.map((n) => (n.process.stderr().match(/connection opened/g) ?? []).length)
    console.log(`nginx: board connections per process ${opened.join(' / ')}`)
    expect(opened.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2)
    expect(await violations(bram)).toEqual([])
    expect(errors).toEqual([])
  }, 90_000)
})
