/** The board's outline: every frame (phases, their rows, groups, the rest), to jump to. */
import { useEditor, useValue, type TLShapeId } from 'tldraw'
import { useI18n } from '../i18n/i18n.tsx'
import { showFrame } from './show-frame.ts'

export function OutlineMenu() {
  const editor = useEditor()
  const { t } = useI18n()
  const frames = useValue(
    'outline',
    () =>
      editor
        .getCurrentPageShapes()
        .filter((s) => s.type === 'frame')
        .map((s) => ({
          id: s.id,
          name: (s.props as { name?: string }).name || t('outline.unnamed'),
          nested: editor.getShape(s.parentId as TLShapeId)?.type === 'frame',
          bounds: editor.getShapePageBounds(s),
        }))
        .sort((a, b) => Number(a.nested) - Number(b.nested) || (a.bounds?.x ?? 0) - (b.bounds?.x ?? 0) || (a.bounds?.y ?? 0) - (b.bounds?.y ?? 0)),
    [editor, t],
  )
  const top = frames.filter((f) => !f.nested)
  const jump = (id: TLShapeId, menu: HTMLElement) => {
    const bounds = editor.getShapePageBounds(id)
    if (bounds) showFrame(editor, bounds)
    menu.closest('details')?.removeAttribute('open')
  }
  const children = (parent: TLShapeId) => frames.filter((f) => f.nested && editor.getShape(f.id)?.parentId === parent)
  return (
    <details className="report-menu outline-menu">
      <summary data-testid="outline-menu">{t('outline.menu')}</summary>
      <ul className="outline-list" data-testid="outline-list">
        {top.length === 0 && <li className="muted">{t('outline.none')}</li>}
        {top.map((f) => (
          <li key={f.id}>
            <button type="button" className="link-button" onClick={(e) => jump(f.id, e.currentTarget)}>
              {f.name}
            </button>
            {children(f.id).length > 0 && (
              <ul>
                {children(f.id).map((c) => (
                  <li key={c.id}>
                    <button type="button" className="link-button" onClick={(e) => jump(c.id, e.currentTarget)}>
                      {c.name}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </details>
  )
}
