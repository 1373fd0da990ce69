/** tldraw's rich text (a TipTap JSON document) ↔ plain text, without TipTap. */

export interface RichTextNode {
  type: string
  text?: string
  content?: RichTextNode[]
  [key: string]: unknown
}

export function toRichText(text: string): RichTextNode {
  return {
    type: 'doc',
    content: text.split('\n').map((line) => (line ? { type: 'paragraph', content: [{ type: 'text', text: line }] } : { type: 'paragraph' })),
  }
}

const BLOCKS = new Set(['paragraph', 'heading', 'listItem', 'blockquote', 'codeBlock'])

export function richTextToPlain(node: unknown): string {
  if (typeof node !== 'object' || node === null) return ''
  const n = node as RichTextNode
  if (n.type === 'text') return typeof n.text === 'string' ? n.text : ''
  if (n.type === 'hardBreak') return '\n'
  const inner = (n.content ?? []).map(richTextToPlain)
  return BLOCKS.has(n.type) ? inner.join('') : inner.join(n.type === 'doc' || n.type.endsWith('List') ? '\n' : '')
}
