/**
 * The panel beside the canvas: buttons to add the format's cards, and for the selected card a
 * form with all its fields (the cards themselves only display). Keyboard-first: every control is
 * a labelled form field; typing here never triggers canvas shortcuts.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { createShapeId, useEditor, useValue, type TLShape, type TLShapeId } from 'tldraw'
import defaultGroups from '../../shared/format/data/stakeholder-groups.json' with { type: 'json' }
import { ACTION_LINE_STATUSES, EXPERIMENT_CRITERIA, GEMEENTE_ROLES, type StakeholderGroup } from '../../shared/format/model.ts'
import type { PersonProps } from '../../shared/shapes/common.ts'
import { FACILITATOR_LOCK } from '../../shared/roles.ts'
import { mayChangeContent } from '../../shared/ownership.ts'
import { useI18n, type MessageKey } from '../i18n/i18n.tsx'
import { useBoard, useFacilitationInfo } from './board-context.tsx'
import { CARD_TYPES, createCard, isCardType, type CardType } from './create-card.ts'
import { containerAt, coveredByChrome, destinationsIn, placeIn } from './placement.ts'
import { chooseDestination, pickedIn, type DestinationPick } from './destination-choice.ts'
import { freeSlot } from '../../shared/layout.ts'
import { groupsInPhase } from '../../shared/format/group-frames.ts'

const isCard = (shape: TLShape | undefined): shape is TLShape<CardType> => !!shape && isCardType(shape.type)

const stopShortcuts = (e: KeyboardEvent) => e.stopPropagation()

export function parsePeople(text: string): PersonProps[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const comma = line.indexOf(',')
      return comma < 0 ? { name: line, organisation: '' } : { name: line.slice(0, comma).trim(), organisation: line.slice(comma + 1).trim() }
    })
}
const formatPeople = (people: PersonProps[]) => people.map((p) => (p.organisation ? `${p.name}, ${p.organisation}` : p.name)).join('\n')

/**
 * The card the panel just made: only its form takes the keyboard. A card that comes back by undo
 * (or is selected another way) opened its form with the keyboard in it, so Ctrl+Shift+Z and Delete
 * went into its text instead of the board (a new-user walk-through).
 */
let justAdded: string | null = null

export function CardPanel() {
  const editor = useEditor()
  const { t } = useI18n()
  const { identity, keyHash, session, role } = useBoard()
  const shape = useValue('selected card', () => {
    const only = editor.getOnlySelectedShape()
    return isCard(only ?? undefined) ? (only as TLShape<CardType>) : null
  }, [editor])
  const readonly = useValue('readonly', () => editor.getIsReadonly(), [editor])
  const groups: StakeholderGroup[] = session?.groups ?? (defaultGroups as StakeholderGroup[])
  const [open, setOpen] = useState(true)

  const place = useDestinations()

  const add = (type: CardType) => {
    const id = createShapeId()
    justAdded = id
    createCard(editor, { type, id, maker: { identity, keyHash, groups }, spotFor: place.spotFor })
    editor.select(id)
    // The note may land outside the view (the area is full, or another destination was chosen).
    const bounds = editor.getShapePageBounds(id)
    if (bounds && !editor.getViewportPageBounds().contains(bounds))
      editor.zoomToBounds(bounds.clone().expandBy(200), { animation: { duration: 200 }, targetZoom: editor.getZoomLevel() })
  }

  if (readonly) return null
  const lockControl = role === 'facilitator' ? <LockToggle /> : null
  return (
    <aside
      className={`card-panel${shape || open ? '' : ' collapsed'}`}
      onKeyDown={stopShortcuts}
      onPointerDown={(e) => e.stopPropagation()}
      aria-label={t('panel.add')}
      data-testid="card-panel"
    >
      {lockControl}
      {shape ? (
        <CardForm key={shape.id} shape={shape} groups={groups} targetYear={String(session?.targetYear ?? '')} onClose={() => editor.selectNone()} />
      ) : (
        <div className="add-cards">
          <h2>
            <button type="button" className="panel-toggle" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="panel-toggle">
              {open ? '▾' : '▸'} {t('panel.add')}
            </button>
          </h2>
          {open && place.options.length > 1 && (
            <label className="field destination">
              <span>{t('panel.where')}</span>
              <select value={place.chosen ?? ''} onChange={(e) => place.choose(e.target.value || null)} data-testid="destination">
                <option value="">{t('panel.whereAuto', { name: place.auto?.label ?? '—' })}</option>
                {place.options.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          {open &&
            CARD_TYPES.map((type) => (
              <button type="button" key={type} onClick={() => add(type)} data-testid={`add-${type}`}>
                + {t(`panel.add.${type}` as MessageKey)}
              </button>
            ))}
        </div>
      )}
    </aside>
  )
}

/**
 * Where new cards go: the destinations of the current phase (era columns, trots/sorry rows, the
 * phase's frame, its group frames), chosen from a list or by default (destination-choice.ts). A
 * choice holds for the phase it was made in. Cards land in the first free cell.
 */
export function useDestinations() {
  const editor = useEditor()
  const { identity } = useBoard()
  const f = useFacilitationInfo().facilitation
  const phaseFrame = f?.agenda[f.phaseIndex]?.frameId as TLShapeId | undefined
  // Only a group of this phase (a phase-4 group is not where a phase-5 card goes).
  // A value of the store: the group's frame can arrive after the groups.
  const myGroupFrame = useValue(
    'my group frame',
    () =>
      f
        ? groupsInPhase(f.groups, f.agenda[f.phaseIndex], (id) => editor.getShape(id as TLShapeId)).find((g) => g.memberIds.includes(identity.id))?.frameId
        : undefined,
    [editor, f, identity.id],
  )
  const myStakeholderGroup = identity.groupId
  const [pick, setPick] = useState<DestinationPick | null>(null)
  const choose = (id: string | null) => setPick(id ? { phaseFrameId: phaseFrame, id } : null)
  const { t } = useI18n()
  // A frame drawn with tldraw's tool has no name until someone gives it one; its id means nothing to anyone.
  const options = useValue('destinations', () => destinationsIn(editor, phaseFrame).map((d) => (d.label ? d : { ...d, label: t('panel.unnamedFrame') })), [
    editor,
    phaseFrame,
    t,
  ])
  const auto = useValue(
    'auto destination',
    () =>
      chooseDestination({
        options,
        phaseFrameId: phaseFrame,
        chosen: null,
        here: containerAt(editor, editor.getViewportPageBounds().center)?.id,
        myGroupFrameId: myGroupFrame,
        myStakeholderGroup,
      }),
    [editor, options, phaseFrame, myGroupFrame, myStakeholderGroup],
  )
  const picked = pickedIn({ options, phaseFrameId: phaseFrame, chosen: pick })
  const target = picked ?? auto
  const spotFor = (size: { w: number; h: number }): { x: number; y: number } => {
    const spot = target && placeIn(editor, target.id, size, coveredByChrome(editor))
    if (spot) return spot
    // A board without frames: the first free cell around the middle of the view.
    const view = editor.getViewportPageBounds()
    const area = { x: view.center.x - 360, y: view.center.y - 240, w: 720, h: 480 }
    const taken = editor
      .getCurrentPageShapes()
      .filter((s) => s.type !== 'frame')
      .map((s) => editor.getShapePageBounds(s)!)
      .filter(Boolean)
    return freeSlot(
      area,
      size,
      taken.map((b) => ({ x: b.x, y: b.y, w: b.w, h: b.h })),
    )
  }
  return { options, auto, chosen: picked?.id ?? null, choose, spotFor, target }
}

/**
 * A theme goes to "niet gedeeld" (agree to disagree) and back: placed in the first free cell of
 * that frame (placement.ts), and the view follows it. Cards stay children of the page (the
 * template's frames are locked, and tldraw locks what is inside a locked shape); the outcome
 * reads where a theme lies.
 */
function CommonGroundMove({ shape }: { shape: TLShape }) {
  const editor = useEditor()
  const { t } = useI18n()
  const place = useValue('common ground', () => {
    const frameOf = (phase: string) => editor.getCurrentPageShapes().find((s) => s.type === 'frame' && s.meta.phase === phase)
    const shared = frameOf('common-ground')
    const notShared = frameOf('not-shared')
    const notSharedBounds = notShared && editor.getShapePageBounds(notShared)
    const own = editor.getShapePageBounds(shape.id)
    return { shared, notShared, inNotShared: !!own && !!notSharedBounds && notSharedBounds.containsPoint(own.center) }
  }, [editor, shape.id])
  const target = place.inNotShared ? place.shared : place.notShared
  if (!target) return null
  const move = () => {
    const own = editor.getShapePageBounds(shape.id)
    // The first free cell of the other frame (never under its instructions or another card),
    // and the view follows the card there.
    const at = own && placeIn(editor, target.id, { w: own.w, h: own.h })
    if (!at) return
    editor.markHistoryStoppingPoint('move theme')
    if (shape.parentId !== editor.getCurrentPageId()) editor.reparentShapes([shape.id], editor.getCurrentPageId())
    editor.updateShape({ id: shape.id, type: shape.type, x: at.x, y: at.y })
    const bounds = editor.getShapePageBounds(shape.id)
    if (bounds) editor.zoomToBounds(bounds.clone().expandBy(240), { animation: { duration: 200 }, targetZoom: editor.getZoomLevel() })
  }
  return (
    <button type="button" onClick={move} data-testid="move-theme">
      {place.inNotShared ? t('theme.toCommonGround') : t('theme.toNotShared')}
    </button>
  )
}

/** Facilitators lock the selected shapes against participants (and unlock them). */
function LockToggle() {
  const editor = useEditor()
  const { t } = useI18n()
  const selected = useValue('selected shapes', () => editor.getSelectedShapes(), [editor])
  if (selected.length === 0) return null
  const allLocked = selected.every((s) => s.meta[FACILITATOR_LOCK] === true)
  const toggle = () => {
    editor.markHistoryStoppingPoint('facilitator lock')
    editor.updateShapes(selected.map((s) => ({ id: s.id, type: s.type, isLocked: !allLocked, meta: { ...s.meta, [FACILITATOR_LOCK]: !allLocked } })))
  }
  return (
    <button type="button" className="lock-toggle" onClick={toggle} data-testid="lock-toggle" aria-pressed={allLocked}>
      {allLocked ? t('lock.unlock') : t('lock.lock')}
    </button>
  )
}

/**
 * A list of people as text, one per line. Uncontrolled while you type (so "Jan, " is not
 * reformatted under the cursor); updated from the card when it changes elsewhere.
 */
function PeopleText({ people, onChange, field }: { people: PersonProps[]; onChange(list: PersonProps[]): void; field: string }) {
  const ref = useRef<HTMLTextAreaElement>(null)
  useEffect(() => {
    const el = ref.current
    if (el && document.activeElement !== el && JSON.stringify(parsePeople(el.value)) !== JSON.stringify(people)) el.value = formatPeople(people)
  }, [people])
  return <textarea ref={ref} rows={3} defaultValue={formatPeople(people)} onChange={(e) => onChange(parsePeople(e.target.value))} data-field={field} />
}

/** "Count me in" / "I'll lead this": adds the person, with their organisation, to the card. */
function SignUp({ trekkers, betrokkenen, onChange }: { trekkers: PersonProps[]; betrokkenen: PersonProps[]; onChange(patch: Record<string, unknown>): void }) {
  const { identity } = useBoard()
  const { t } = useI18n()
  const me: PersonProps = { name: identity.name, organisation: identity.organisation }
  const has = (list: PersonProps[]) => list.some((p) => p.name === me.name)
  return (
    <div className="signup" key={`${trekkers.length}-${betrokkenen.length}`}>
      {has(betrokkenen) ? (
        <span className="muted">{t('signup.done')}</span>
      ) : (
        <button type="button" onClick={() => onChange({ betrokkenen: [...betrokkenen, me] })} data-testid="signup-betrokkene">
          {t('signup.betrokkene')}
        </button>
      )}
      {!has(trekkers) && (
        <button
          type="button"
          onClick={() => onChange({ trekkers: [...trekkers, me], betrokkenen: has(betrokkenen) ? betrokkenen : [...betrokkenen, me] })}
          data-testid="signup-trekker"
        >
          {t('signup.trekker')}
        </button>
      )}
    </div>
  )
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  )
}

function CardForm({ shape, groups, targetYear, onClose }: { shape: TLShape<CardType>; groups: StakeholderGroup[]; targetYear: string; onClose(): void }) {
  const editor = useEditor()
  const { t, lang } = useI18n()
  const { role, keyHash } = useBoard()
  // Someone else's card: a participant may move it (and sign up to an action line), not change it.
  const mine = role !== 'participant' || mayChangeContent(shape, keyHash)
  const p = shape.props as unknown as Record<string, unknown>
  const type: CardType = shape.type
  const set = (patch: Record<string, unknown>) => editor.updateShape({ id: shape.id, type: shape.type, props: patch } as never)
  const [focusFirst] = useState(() => justAdded === shape.id)
  useEffect(() => {
    if (justAdded === shape.id) justAdded = null
  }, [shape.id])
  const text = (key: string, label: MessageKey, opts: { multiline?: boolean; autoFocus?: boolean } = {}) => (
    <Field label={t(label, { targetYear })}>
      {opts.multiline ? (
        <textarea
          rows={4}
          value={String(p[key] ?? '')}
          autoFocus={opts.autoFocus && focusFirst}
          onChange={(e) => set({ [key]: e.target.value })}
          data-field={key}
        />
      ) : (
        <input value={String(p[key] ?? '')} autoFocus={opts.autoFocus && focusFirst} onChange={(e) => set({ [key]: e.target.value })} data-field={key} />
      )}
    </Field>
  )
  const people = (key: 'trekkers' | 'betrokkenen', label: MessageKey) => (
    <Field label={t(label)}>
      <PeopleText people={p[key] as PersonProps[]} onChange={(list) => set({ [key]: list })} field={key} />
    </Field>
  )
  // Themes an action line can build on: not those in "niet gedeeld" (no shared ground there),
  // unless this line already links one.
  const themes = useValue('theme cards', () => {
    const frame = editor.getCurrentPageShapes().find((s) => s.type === 'frame' && s.meta.phase === 'not-shared')
    const notShared = frame ? editor.getShapePageBounds(frame) : undefined
    const linked = new Set((p.themeIds as string[] | undefined) ?? [])
    return (editor.getCurrentPageShapes().filter((s) => s.type === 'theme-card') as TLShape<'theme-card'>[]).filter((theme) => {
      const center = editor.getShapePageBounds(theme.id)?.center
      return linked.has(theme.id) || !notShared || !center || !notShared.containsPoint(center)
    })
  }, [editor, p.themeIds])

  let fields: ReactNode
  switch (type) {
    case 'contribution':
      fields = (
        <>
          {text('text', 'field.text', { multiline: true, autoFocus: true })}
          {text('author', 'field.author')}
          <Field label={t('field.group')}>
            <select
              value={String(p.groupId)}
              onChange={(e) => set({ groupId: e.target.value, color: groups.find((g) => g.id === e.target.value)?.color ?? 'yellow' })}
              data-field="groupId"
            >
              <option value="">{t('field.noGroup')}</option>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name[lang]}
                </option>
              ))}
            </select>
          </Field>
        </>
      )
      break
    case 'theme-card':
      fields = (
        <>
          {text('title', 'field.title', { autoFocus: true })}
          {text('sharedValue', 'field.sharedValue', { multiline: true })}
          <CommonGroundMove shape={shape} />
        </>
      )
      break
    case 'action-line': {
      const linked = new Set(p.themeIds as string[])
      fields = (
        <>
          <Field label={t('field.number')}>
            <input
              type="number"
              min={0}
              value={Number(p.number)}
              onChange={(e) => set({ number: Math.max(0, Math.floor(Number(e.target.value) || 0)) })}
              data-field="number"
            />
          </Field>
          {text('title', 'field.title', { autoFocus: true })}
          {text('motto', 'field.motto')}
          {text('description', 'field.description', { multiline: true })}
          <fieldset className="field">
            <legend>{t('field.themes')}</legend>
            {themes.length === 0 && <p className="muted">{t('field.noThemes')}</p>}
            {themes.map((theme) => (
              <label key={theme.id} className="check">
                <input
                  type="checkbox"
                  checked={linked.has(theme.id)}
                  onChange={(e) => {
                    const next = new Set(linked)
                    if (e.target.checked) next.add(theme.id)
                    else next.delete(theme.id)
                    set({ themeIds: themes.map((th) => th.id as string).filter((id) => next.has(id)) })
                  }}
                />
                {theme.props.title || '…'}
              </label>
            ))}
          </fieldset>
          {people('trekkers', 'field.trekkers')}
          {people('betrokkenen', 'field.betrokkenen')}
          <Field label={t('field.rol')}>
            <select value={String(p.gemeenteRol)} onChange={(e) => set({ gemeenteRol: e.target.value })} data-field="gemeenteRol">
              <option value="">{t('role.none')}</option>
              {GEMEENTE_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('field.status')}>
            <select value={String(p.status)} onChange={(e) => set({ status: e.target.value })} data-field="status">
              {ACTION_LINE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </Field>
        </>
      )
      break
    }
    case 'persona':
      fields = (
        <>
          {text('name', 'field.name', { autoFocus: true })}
          {text('then', 'field.then', { multiline: true })}
          {text('now', 'field.now', { multiline: true })}
        </>
      )
      break
    case 'quote':
      fields = (
        <>
          {text('text', 'field.text', { multiline: true, autoFocus: true })}
          {text('name', 'field.name')}
          {text('organisation', 'field.organisation')}
        </>
      )
      break
    case 'experiment':
      fields = (
        <>
          {text('title', 'field.title', { autoFocus: true })}
          {text('description', 'field.description', { multiline: true })}
          <fieldset className="field">
            <legend>{t('field.checks')}</legend>
            {EXPERIMENT_CRITERIA.map((key) => (
              <label key={key} className="check">
                <input type="checkbox" checked={p[key] === true} onChange={(e) => set({ [key]: e.target.checked })} />
                {t(`check.${key}`)}
              </label>
            ))}
          </fieldset>
        </>
      )
      break
    case 'era':
      fields = text('title', 'field.title', { autoFocus: true })
      break
    default: {
      const unreachable: never = type
      fields = unreachable
    }
  }
  return (
    <form
      className="card-form"
      onSubmit={(e) => {
        e.preventDefault()
        onClose()
      }}
      data-testid="card-form"
      data-shape-id={shape.id as TLShapeId}
    >
      <h2>{t('panel.edit', { kind: t(`panel.add.${shape.type}` as MessageKey) })}</h2>
      {!mine && (
        <p className="muted" data-testid="not-mine">
          {t('panel.notMine')}
        </p>
      )}
      <fieldset className="card-fields" disabled={!mine}>
        {fields}
      </fieldset>
      {type === 'action-line' && <SignUp trekkers={p.trekkers as PersonProps[]} betrokkenen={p.betrokkenen as PersonProps[]} onChange={set} />}
      <button type="submit" className="primary">
        {t('panel.close')}
      </button>
    </form>
  )
}
