import { HTMLContainer, useEditor, useValue, type TLShape, type TLShapeId } from 'tldraw'
import { ACTION_LINE, actionLineDefaults, actionLineMigrations, actionLineProps } from '../../shared/shapes/action-line-shape.ts'
import { Say } from '../i18n/i18n.tsx'
import { CardShapeUtil } from './card-shape-util.tsx'

export type ActionLineShape = TLShape<typeof ACTION_LINE>

function ThemeNames({ ids }: { ids: string[] }) {
  const editor = useEditor()
  const names = useValue(
    'linked themes',
    () => ids.map((id) => editor.getShape(id as TLShapeId)).flatMap((s) => (s?.type === 'theme-card' ? [s.props.title] : [])),
    [editor, ids],
  )
  if (names.length === 0) return null
  return (
    <ul className="card-tags">
      {names.map((n, i) => (
        <li key={i}>{n}</li>
      ))}
    </ul>
  )
}

export class ActionLineShapeUtil extends CardShapeUtil<ActionLineShape> {
  static override type = ACTION_LINE
  static override props = actionLineProps
  static override migrations = actionLineMigrations

  getDefaultProps() {
    return actionLineDefaults()
  }

  component(shape: ActionLineShape) {
    const p = shape.props
    return (
      <HTMLContainer className="card card-action-line" data-testid="action-line-card">
        <div className="card-kicker">
          <Say k="card.actionLine" /> {p.number > 0 ? p.number : ''} · <Say k={`status.${p.status}`} />
        </div>
        <div className="card-title">{p.title || '…'}</div>
        {p.motto && <div className="card-motto">{p.motto}</div>}
        <ThemeNames ids={p.themeIds} />
        <div className="card-text">{p.description}</div>
        <div className="card-people">
          <strong>
            <Say k="card.trekkers" />:
          </strong>{' '}
          {p.trekkers.map((t) => t.name).join(', ') || '—'}
        </div>
        {p.betrokkenen.length > 0 && (
          <div className="card-people">
            <strong>
              <Say k="card.betrokkenen" />:
            </strong>{' '}
            {p.betrokkenen.map((t) => t.name).join(', ')}
          </div>
        )}
      </HTMLContainer>
    )
  }
}
