/**
 * The text of a PDF made by pdfkit, page by page: its content streams inflated, each text run
 * (a TJ array of hex strings in WinAnsi) one line. Enough to read our own report back, not a
 * general PDF reader.
 */
import { inflateSync } from 'node:zlib'

export function pdfPages(pdf: Uint8Array): string[] {
  const raw = Buffer.from(pdf).toString('latin1')
  const pages: string[] = []
  for (const stream of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string
    try {
      content = inflateSync(Buffer.from(stream[1]!, 'latin1')).toString('latin1')
    } catch {
      continue // an image or font, not compressed text
    }
    if (!/\bTJ\b/.test(content)) continue
    const lines = [...content.matchAll(/\[([^\]]*)\]\s*TJ/g)].map((run) =>
      [...run[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((hex) => Buffer.from(hex[1]!, 'hex').toString('latin1')).join(''),
    )
    pages.push(lines.join('\n'))
  }
  return pages
}
