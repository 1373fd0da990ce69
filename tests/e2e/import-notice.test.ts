/**
 * An imported file whose images pointed at other sites (or held inline data that is no image) is
 * a new board without those sources; the lobby says how many were left out before it opens the
 * board, instead of opening it at once with empty image frames nobody explains.
 */
import { describe, expect, it } from 'vitest'
import { pageRecord } from '../../shared/format/records.ts'
import { createBoardSchema } from '../../shared/shapes/board-schema.ts'
import { toTldr } from '../../shared/tldr-file.ts'
import { violations } from '../helpers/axe.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'

const image = (id: string, src: string) => ({
  id,
  typeName: 'asset',
  type: 'image',
  meta: {},
  props: { name: 'foto.png', src, w: 10, h: 10, mimeType: 'image/png', isAnimated: false, fileSize: 100 },
})

describe('importing a file with foreign image sources', () => {
  it('tells how many sources were left out, then opens the board on request', async () => {
    const server = await startServer({ staticDir: 'dist' })
    const file = JSON.stringify(
      toTldr(
        [
          pageRecord('Pagina'),
          image('asset:a', 'https://elders.example/a.png'),
          image('asset:b', 'data:text/html,<b>x</b>'),
          image('asset:c', 'data:image/png;base64,AAAA'),
        ] as never,
        createBoardSchema().serialize(),
      ),
    )
    const browser = await launchBrowser()
    try {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
      await page.goto(server.url)
      await page.getByTestId('import-file').setInputFiles({ name: 'met-plaatjes.tldr', mimeType: 'application/json', buffer: Buffer.from(file) })
      const notice = page.getByTestId('import-dropped')
      await notice.waitFor({ timeout: 10_000 })
      expect(await notice.textContent()).toContain('2 afbeeldingen')
      expect(new URL(page.url()).pathname).toBe('/')
      expect(await violations(page)).toEqual([])
      await page.getByRole('link', { name: 'Open het bord' }).click()
      await page.waitForURL(/\/b\/.*token=/, { timeout: 10_000 })
    } finally {
      await browser.close()
      await server.close()
    }
  })
})
