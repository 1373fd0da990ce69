/**
 * The report as a real PDF (not the browser's print dialog): the same blocks as the Markdown and
 * HTML report (shared/format/report.ts), laid out with pdfkit — chosen because it is maintained,
 * pure JavaScript (no headless browser on the server), flows text over pages by itself and
 * embeds the standard PDF fonts, so the file needs nothing from the machine it is made on.
 */
import PDFDocument from 'pdfkit'
import type { Outcome } from '../../shared/format/model.ts'
import { reportBlocks } from '../../shared/format/report.ts'

const INK = '#1f2a37'
const MUTED = '#5b6675'
const ACCENT = '#c2410c'

/**
 * The standard PDF fonts speak WinAnsi (Latin-1 plus a few typographic signs): the check marks of
 * the experiments become words, anything else outside it a question mark, never garbage.
 */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ')
export function winAnsi(text: string): string {
  return text
    .replace(/✔/g, '[x]')
    .replace(/✘/g, '[ ]')
    .replace(/[^\n]/gu, (c) => (c.codePointAt(0)! < 256 || WIN_ANSI_EXTRA.has(c) ? c : '?'))
}

export function renderPdf(outcome: Outcome, lang: 'nl' | 'en', generatedAt = new Date()): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 64, bottom: 64, left: 64, right: 64 },
    lang,
    displayTitle: true,
    info: { Title: winAnsi(outcome.session.title), Subject: winAnsi(outcome.session.centraleOpgave), Creator: 'Samen aan de slag — whiteboard' },
  })
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const width = doc.page.width - 128
  let first = true
  for (const block of reportBlocks(outcome, lang, generatedAt)) {
    switch (block.kind) {
      case 'h1':
        doc.font('Helvetica-Bold').fontSize(24).fillColor(INK).text(winAnsi(block.text), { width })
        doc.moveDown(0.3)
        break
      case 'h2': {
        // Each section on a new page, like the booklet; the first follows the title page's facts.
        if (!first) doc.addPage()
        first = false
        doc.font('Helvetica-Bold').fontSize(16).fillColor(INK).text(winAnsi(block.text), { width })
        const y = doc.y + 2
        doc
          .moveTo(64, y)
          .lineTo(64 + width, y)
          .lineWidth(1.5)
          .strokeColor(ACCENT)
          .stroke()
        doc.moveDown(0.6)
        break
      }
      case 'h3':
        doc.moveDown(0.4).font('Helvetica-Bold').fontSize(12).fillColor(INK).text(winAnsi(block.text), { width })
        doc.moveDown(0.2)
        break
      case 'p': {
        const style = block.className
        const font = style === 'opgave' || style === 'motto' ? 'Helvetica-Oblique' : style === 'label' || style === 'trekkers' ? 'Helvetica-Bold' : 'Helvetica'
        const color = style === 'facts' || style === 'generated' || style === 'none' || style === 'motto' ? MUTED : INK
        doc
          .font(font)
          .fontSize(style === 'opgave' ? 13 : 10.5)
          .fillColor(color)
          .text(winAnsi(block.text), { width })
        doc.moveDown(0.35)
        break
      }
      case 'quote':
        doc
          .font('Helvetica-Oblique')
          .fontSize(10.5)
          .fillColor(INK)
          .text(winAnsi(`“${block.text}”${block.by ? ` — ${block.by}` : ''}`), 80, undefined, { width: width - 16 })
        doc.x = 64
        doc.moveDown(0.35)
        break
      case 'list':
        doc.font('Helvetica').fontSize(10.5).fillColor(INK).list(block.items.map(winAnsi), { width, bulletRadius: 1.8, textIndent: 12, paragraphGap: 2 })
        doc.moveDown(0.4)
        break
      default: {
        const unreachable: never = block
        throw new Error(String(unreachable))
      }
    }
  }
  doc.end()
  return done
}
