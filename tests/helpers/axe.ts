/** axe-core in a real page (WCAG 2.1 A/AA), run through the DevTools protocol. */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[]; failureSummary?: string }[]
}

/** axe-core's serious and critical WCAG 2.1 A/AA findings on the page as it is now. */
export async function violations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's own CSP (rightly) refuses injected scripts.
  await page.evaluate(AXE_SOURCE)
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<unknown> } }).axe
    const result = (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })) as {
      violations: AxeViolation[]
      passes: unknown[]
    }
    return { violations: result.violations, passes: result.passes.length }
  })
  expect(found.passes, 'axe ran its rules on the page').toBeGreaterThan(3)
  return found.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    )
}
