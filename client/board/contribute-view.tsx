/**
 * The phone view for participants: the current phase's question, a text box and where the note
 * goes (chosen from a list, not by dragging), with the board behind it to look at. The note
 * lands in the first free cell of that place — the era, the trots/sorry row, the group — so it
 * ends up in the right section of the report.
 */
import { useEffect, useState, type FormEvent } from 'react'
import { useEditor } from 'tldraw'
import defaultGroups from '../../shared/format/data/stakeholder-groups.json' with { type: 'json' }
import type { StakeholderGroup } from '../../shared/format/model.ts'
import { useI18n } from '../i18n/i18n.tsx'
import { useBoard, useFacilitationInfo } from './board-context.tsx'
import { createCard } from './create-card.ts'
import { useDestinations } from './card-panel.tsx'

/** Below this width a participant gets the contribute view instead of the card panel. */
export const PHONE_QUERY = '(max-width: 700px)'

export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => matchMedia(query).matches)
  useEffect(() => {
    const list = matchMedia(query)
    const update = () => setMatches(list.matches)
    update()
    list.addEventListener('change', update)
    return () => list.removeEventListener('change', update)
  }, [query])
  return matches
}

export function ContributeView() {
  const editor = useEditor()
  const { identity, keyHash, session } = useBoard()
  const f = useFacilitationInfo().facilitation
  const { t, lang } = useI18n()
  const place = useDestinations()
  const [text, setText] = useState('')
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const [open, setOpen] = useState(true)
  const phase = f?.agenda[f.phaseIndex]
  const groups: StakeholderGroup[] = session?.groups ?? (defaultGroups as StakeholderGroup[])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!text.trim()) {
      setStatus({ kind: 'error', text: t('contribute.empty') })
      return
    }
    const id = createCard(editor, { type: 'contribution', maker: { identity, keyHash, groups }, spotFor: place.spotFor, props: { text: text.trim() } })
    // Show where it went, on the board behind.
    const bounds = editor.getShapePageBounds(id)
    if (bounds) editor.zoomToBounds(bounds.clone().expandBy(160), { animation: { duration: 200 } })
    setText('')
    setStatus({ kind: 'ok', text: t('contribute.placed', { where: place.target?.label ?? '—' }) })
  }

  return (
    <section
      className={`contribute${open ? '' : ' folded'}`}
      aria-labelledby="contribute-title"
      data-testid="contribute"
      onKeyDown={(e) => e.stopPropagation()}
      onPointerDown={(e) => e.stopPropagation()}
    >
      <h2 id="contribute-title">
        <button type="button" className="panel-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'} {t('contribute.title')}
        </button>
      </h2>
      {open && (
        <form onSubmit={submit}>
          {phase && (
            <p className="contribute-question" data-testid="contribute-question">
              <strong>{phase.title[lang]}</strong> — {phase.instructions[lang]}
            </p>
          )}
          <label className="field">
            <span>{t('contribute.text')}</span>
            <textarea
              rows={3}
              value={text}
              onChange={(e) => {
                setText(e.target.value)
                setStatus(null)
              }}
              maxLength={2000}
              data-testid="contribute-text"
            />
          </label>
          {place.options.length > 0 && (
            <label className="field">
              <span>{t('contribute.where')}</span>
              <select value={place.target?.id ?? ''} onChange={(e) => place.choose(e.target.value || null)} data-testid="contribute-where">
                {place.options.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="submit" className="primary" data-testid="contribute-submit">
            {t('contribute.submit')}
          </button>
          {status && (
            <p className={status.kind === 'error' ? 'error' : 'muted'} role={status.kind === 'error' ? 'alert' : 'status'} data-testid="contribute-status">
              {status.text}
            </p>
          )}
        </form>
      )}
    </section>
  )
}
