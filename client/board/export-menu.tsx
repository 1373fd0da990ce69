/**
 * Downloads in the report menu: the whole board or the selection (a frame, say) as PNG or SVG,
 * rendered by tldraw in this browser; the .tldr file and the archive zip from the server.
 */
import { useState } from 'react'
import { useEditor, useValue, type Editor, type TLShapeId } from 'tldraw'
import { fileNameOf } from '../../shared/file-name.ts'
import { fileUrl } from '../api-client.ts'
import { useI18n } from '../i18n/i18n.tsx'
import { useBoard } from './board-context.tsx'

function download(blob: Blob, name: string) {
  const link = document.createElement('a')
  link.href = URL.createObjectURL(blob)
  link.download = name
  link.click()
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000)
}

/** Renders shapes (all on the page when `ids` is empty) to PNG or SVG and downloads the file. */
export async function downloadImage(editor: Editor, ids: TLShapeId[], format: 'png' | 'svg', name: string): Promise<void> {
  const shapes = ids.length > 0 ? ids : [...editor.getCurrentPageShapeIds()]
  if (shapes.length === 0) throw new Error('nothing to export')
  const { blob } = await editor.toImage(shapes, { format, background: true, pixelRatio: format === 'png' ? 2 : undefined })
  download(blob, `${name}.${format}`)
}

/** A title as a file name (the same as the server's downloads). */
export const fileBase = (title: string) => fileNameOf(title, 'bord')

export function ExportItems() {
  const editor = useEditor()
  const board = useBoard()
  const { t } = useI18n()
  const [error, setError] = useState<string | null>(null)
  const selection = useValue('selected ids', () => editor.getSelectedShapeIds(), [editor])
  const base = fileBase(board.title)

  const image = async (format: 'png' | 'svg', onlySelection: boolean) => {
    setError(null)
    if (editor.getCurrentPageShapeIds().size === 0) return setError(t('export.empty'))
    try {
      await downloadImage(editor, onlySelection ? selection : [], format, `${base}${onlySelection ? '-selectie' : ''}`)
    } catch (e) {
      setError(t('export.failed', { error: (e as Error).message }))
    }
  }

  return (
    <>
      <li className="menu-separator" aria-hidden="true" />
      <li>
        <button type="button" className="link-button" onClick={() => void image('png', false)} data-testid="export-png">
          {t('export.boardPng')}
        </button>
      </li>
      <li>
        <button type="button" className="link-button" onClick={() => void image('svg', false)} data-testid="export-svg">
          {t('export.boardSvg')}
        </button>
      </li>
      <li>
        <button
          type="button"
          className="link-button"
          disabled={selection.length === 0}
          title={selection.length === 0 ? t('export.selectFirst') : undefined}
          onClick={() => void image('png', true)}
          data-testid="export-selection-png"
        >
          {t('export.selectionPng')}
        </button>
        {' · '}
        <button type="button" className="link-button" disabled={selection.length === 0} onClick={() => void image('svg', true)}>
          SVG
        </button>
      </li>
      <li>
        <a href={fileUrl(board.boardId, board.token, 'export.tldr')} download data-testid="export-tldr">
          {t('export.tldr')}
        </a>
      </li>
      <li>
        <a href={fileUrl(board.boardId, board.token, 'archive.zip')} download data-testid="export-zip">
          {t('export.zip')}
        </a>
      </li>
      {error && (
        <li className="error" role="alert">
          {error}
        </li>
      )}
    </>
  )
}
