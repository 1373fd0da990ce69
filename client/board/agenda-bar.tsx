/**
 * Under the header: the current phase with its instructions and the countdown, for everyone.
 * Facilitators also get the controls: phases, timer, bring everyone here, present, form groups.
 */
import { memo, useEffect, useRef, useState, type FormEvent } from 'react'
import { createShapeId, createUserId, useEditor, useValue, type Editor, type TLShapeId } from 'tldraw'
import { clusterNotes, tidyNotes } from './placement.ts'
import { showFrame } from './show-frame.ts'
import { maxMix } from '../../shared/format/max-mix.ts'
import { groupFrameMeta, groupsInPhase } from '../../shared/format/group-frames.ts'
import { formatClock, remainingMs, type TimerState } from '../../shared/server-clock.ts'
import { useI18n } from '../i18n/i18n.tsx'
import { useBoard, useFacilitationInfo, usePeople } from './board-context.tsx'
import { targetFrame, useTick } from './facilitation.ts'

const SOUND_KEY = 'board.timerSound'
const CONTROLS_KEY = 'board.facilitatorControls'

function beep() {
  try {
    const audio = new AudioContext()
    const osc = audio.createOscillator()
    osc.frequency.value = 880
    osc.connect(audio.destination)
    osc.start()
    osc.stop(audio.currentTime + 0.4)
  } catch {
    // No audio in this browser: the visual cue remains.
  }
}

/**
 * Memo: the header renders again with the connection; the bar only with what it reads. The
 * countdown (AgendaTimer) ticks on its own, so the bar is not drawn again four times a second.
 */
export const AgendaBar = memo(function AgendaBar() {
  const { identity, role, closedAt } = useBoard()
  const { facilitation: f, serverOffset, actions } = useFacilitationInfo()
  const { members, hand, setHand } = usePeople()
  const editor = useEditor()
  const { t, lang } = useI18n()
  const [sound, setSound] = useState(() => localStorage.getItem(SOUND_KEY) === 'on')
  const [groupsOpen, setGroupsOpen] = useState(false)
  const [expanded, setExpanded] = useState(false)
  const [tidied, setTidied] = useState<string | null>(null)
  // Facilitators can fold their controls away to see more of the board; remembered per browser.
  const [controlsOpen, setControlsOpen] = useState(() => localStorage.getItem(CONTROLS_KEY) !== 'closed')
  const toggleControls = () => {
    localStorage.setItem(CONTROLS_KEY, controlsOpen ? 'closed' : 'open')
    setControlsOpen(!controlsOpen)
  }
  const [frameError, setFrameError] = useState<string | null>(null)
  // Read from the editor's store as values, so the bar follows the shapes as well: a group's frame
  // can arrive after the groups, a frame can be renamed.
  const myGroup = useValue('my group', () => {
    const phase = f?.agenda[f.phaseIndex]
    return f ? groupsInPhase(f.groups, phase, (id) => editor.getShape(id as TLShapeId)).find((g) => g.memberIds.includes(identity.id)) : undefined
  }, [editor, f, identity.id])
  const spotlightFrame = useValue('spotlight frame', () => (f?.spotlight ? frameNameIn(editor, f.spotlight.frameId) : null), [editor, f?.spotlight?.frameId])
  const roundFrame = useValue('private round frame', () => (f?.privateRound ? frameNameIn(editor, f.privateRound.frameId) : null), [
    editor,
    f?.privateRound?.frameId,
  ])

  if (!f) return null
  const phase = f.agenda[f.phaseIndex]
  const goTo = (frameId: string) => {
    const bounds = editor.getShapePageBounds(frameId as never)
    if (bounds) showFrame(editor, bounds)
  }

  const frameName = (frameId: string) => frameNameIn(editor, frameId) || t('private.thisFrame')
  /** On the selected frame, else on the current phase's frame. */
  const onFrame = (run: (frameId: string) => void) => {
    const frameId = targetFrame(editor, f)
    setFrameError(frameId ? null : t('private.noFrame'))
    if (frameId) run(frameId)
  }

  /** Opruimen (a grid, in reading order) or Clusteren (by shared words) the notes of a frame. */
  const tidy = (frameId: string, how: 'tidy' | 'cluster') => {
    editor.markHistoryStoppingPoint(how)
    if (how === 'tidy') {
      setTidied(t('tidy.done', { n: tidyNotes(editor, frameId as TLShapeId), frame: frameName(frameId) }))
    } else {
      const linked = clusterNotes(editor, frameId as TLShapeId).filter((c) => c.ids.length > 1)
      setTidied(
        t('tidy.clustered', {
          n: linked.length,
          frame: frameName(frameId),
          words:
            linked
              .slice(0, 5)
              .map((c) => c.words.slice(0, 3).join('/'))
              .join(', ') || '—',
        }),
      )
    }
    setTimeout(() => setTidied(null), 8_000)
  }

  return (
    <div className="agenda-bar" data-testid="agenda">
      <div className="agenda-phase">
        <strong data-testid="agenda-phase">
          {phase ? `${t('agenda.phase', { n: String(f.phaseIndex + 1), total: String(f.agenda.length) })} · ${phase.title[lang]}` : t('agenda.noAgenda')}
        </strong>
        {phase && (
          <span className="agenda-instructions-row">
            <span className={`agenda-instructions${expanded ? ' expanded' : ''}`} id="agenda-instructions" data-testid="agenda-instructions">
              {phase.instructions[lang]}
            </span>
            <button
              type="button"
              className="link-button agenda-more"
              aria-expanded={expanded}
              aria-controls="agenda-instructions"
              onClick={() => setExpanded(!expanded)}
              data-testid="instructions-toggle"
            >
              {expanded ? t('agenda.less') : t('agenda.more')}
            </button>
          </span>
        )}
      </div>
      <AgendaTimer timer={f.timer} serverOffset={serverOffset} sound={sound} />
      {phase && (
        <button type="button" className="link-button agenda-go" onClick={() => goTo(phase.frameId)} data-testid="go-to-phase">
          {t('agenda.goToPhase')}
        </button>
      )}
      {myGroup && (
        <button type="button" className="link-button" onClick={() => goTo(myGroup.frameId)} data-testid="my-group">
          {t('groups.yours', { name: myGroup.name })} → {t('groups.go')}
        </button>
      )}
      {myGroup && (
        <span className="agenda-group-members" data-testid="my-group-members">
          {t('groups.members', {
            names:
              myGroup.memberIds
                .map((id) => members.find((m) => m.userId === id)?.name)
                .filter(Boolean)
                .join(', ') || '—',
          })}
        </span>
      )}
      {!closedAt && role !== 'viewer' && (
        <button type="button" className="link-button" aria-pressed={hand} onClick={() => setHand(!hand)} data-testid="hand">
          {hand ? t('people.lowerHand') : t('people.hand')}
        </button>
      )}
      <label className="check small">
        <input
          type="checkbox"
          checked={sound}
          onChange={(e) => {
            setSound(e.target.checked)
            localStorage.setItem(SOUND_KEY, e.target.checked ? 'on' : 'off')
          }}
        />
        {t('agenda.sound')}
      </label>
      {f.spotlight && (
        <span className="private-round" role="status" data-testid="spotlight-banner">
          {t('spotlight.on', { frame: spotlightFrame || t('private.thisFrame') })}
          {actions && (
            <button type="button" onClick={() => actions.spotlight(null)} data-testid="spotlight-off">
              {t('spotlight.off')}
            </button>
          )}
        </span>
      )}
      {f.privateRound?.open && (
        <span className="private-round" role="status" data-testid="private-round">
          {t('private.open', { frame: roundFrame || t('private.thisFrame') })}
          {actions && (
            <button type="button" className="primary" onClick={actions.reveal} data-testid="reveal">
              {t('private.reveal')}
            </button>
          )}
        </span>
      )}
      {actions && (
        <button type="button" className="link-button" aria-expanded={controlsOpen} onClick={toggleControls} data-testid="controls-toggle">
          {controlsOpen ? t('agenda.hideControls') : t('agenda.showControls')}
        </button>
      )}
      {actions && controlsOpen && (
        <span className="agenda-controls" data-testid="facilitator-controls">
          <button type="button" onClick={() => actions.goToPhase(f.phaseIndex - 1)} disabled={f.phaseIndex === 0} aria-label={t('agenda.prev')}>
            ◀
          </button>
          <button
            type="button"
            onClick={() => actions.goToPhase(f.phaseIndex + 1)}
            disabled={f.phaseIndex >= f.agenda.length - 1}
            aria-label={t('agenda.next')}
            data-testid="next-phase"
          >
            ▶
          </button>
          {f.timer.state === 'running' ? (
            <button type="button" onClick={actions.pause}>
              {t('agenda.pause')}
            </button>
          ) : (
            <button type="button" onClick={actions.start} data-testid="start-timer">
              {t('agenda.start')}
            </button>
          )}
          <button type="button" onClick={() => actions.addMinutes(-1)} data-testid="minus-minute">
            {t('agenda.minusMinute')}
          </button>
          <button type="button" onClick={() => actions.addMinutes(1)}>
            {t('agenda.addMinute')}
          </button>
          <button type="button" onClick={() => actions.addMinutes(5)}>
            {t('agenda.addFive')}
          </button>
          <TimerLength onSet={(minutes) => actions.resetTimer(minutes)} />
          <button type="button" onClick={() => actions.summon(editor.getViewportPageBounds(), identity.name)} data-testid="summon">
            {t('agenda.summon')}
          </button>
          {f.presenter ? (
            <button type="button" onClick={() => actions.present(null)}>
              {t('agenda.stopPresent')}
            </button>
          ) : (
            <button type="button" onClick={() => actions.present(createUserId(identity.id))} data-testid="present">
              {t('agenda.present')}
            </button>
          )}
          <button type="button" onClick={() => setGroupsOpen(!groupsOpen)} aria-expanded={groupsOpen}>
            {t('groups.form')}
          </button>
          <button type="button" onClick={() => goTo(parkingLot(editor, t('parking.name')))} title={t('parking.hint')} data-testid="parking-lot">
            {t('parking.button')}
          </button>
          {!f.spotlight && (
            <button type="button" onClick={() => onFrame(actions.spotlight)} title={t('spotlight.hint')} data-testid="spotlight-start">
              {t('spotlight.start')}
            </button>
          )}
          {!f.privateRound?.open && (
            <button type="button" onClick={() => onFrame(actions.startPrivateRound)} title={t('private.startHint')} data-testid="private-start">
              {t('private.start')}
            </button>
          )}
          <button type="button" onClick={() => onFrame((frameId) => tidy(frameId, 'tidy'))} title={t('tidy.hint')} data-testid="tidy">
            {t('tidy.tidy')}
          </button>
          <button type="button" onClick={() => onFrame((frameId) => tidy(frameId, 'cluster'))} title={t('tidy.clusterHint')} data-testid="cluster">
            {t('tidy.cluster')}
          </button>
          {tidied && (
            <span className="muted" role="status" data-testid="tidy-status">
              {tidied}
            </span>
          )}
          {frameError && (
            <span className="error" role="alert">
              {frameError}
            </span>
          )}
          <label className="check small">
            {t('crowd.label')}
            <select value={f.crowd} onChange={(e) => actions.setCrowd(e.target.value as 'auto' | 'on' | 'off')} data-testid="crowd">
              <option value="auto">{t('crowd.auto')}</option>
              <option value="on">{t('crowd.on')}</option>
              <option value="off">{t('crowd.off')}</option>
            </select>
          </label>
          {groupsOpen && <GroupsForm onDone={() => setGroupsOpen(false)} />}
        </span>
      )}
    </div>
  )
})

/** A frame's name; '' when it has none or is not a frame. */
function frameNameIn(editor: Editor, frameId: string): string {
  const frame = editor.getShape(frameId as TLShapeId)
  return frame?.type === 'frame' ? (frame.props as { name: string }).name : ''
}

/** The countdown, drawn again every 250 ms; beeps once at zero when the sound is on. */
function AgendaTimer({ timer, serverOffset, sound }: { timer: TimerState; serverOffset: number; sound: boolean }) {
  const { t } = useI18n()
  const now = useTick()
  const wasRunning = useRef(false)
  const left = remainingMs(timer, now + serverOffset)
  const timeUp = timer.state === 'running' && left === 0

  useEffect(() => {
    if (timeUp && wasRunning.current && sound) beep()
    wasRunning.current = timer.state === 'running' && left > 0
  }, [timeUp, sound, timer.state, left])

  return (
    <span className={`agenda-timer timer-${timer.state}${timeUp ? ' time-up' : ''}`} role="timer" aria-live={timeUp ? 'assertive' : 'off'} data-testid="timer">
      {timeUp ? t('agenda.timeUp') : formatClock(left)}
    </span>
  )
}

/**
 * The parkeerplaats: a frame below the board for questions and ideas that do not fit the phase
 * (made the first time, then found again). Its notes get their own section in the report.
 */
function parkingLot(editor: ReturnType<typeof useEditor>, name: string): string {
  const existing = editor.getCurrentPageShapes().find((s) => s.type === 'frame' && s.meta.parkingLot === true)
  if (existing) return existing.id
  const page = editor.getCurrentPageBounds()
  const id = createShapeId()
  editor.markHistoryStoppingPoint('parking lot')
  editor.createShape({ id, type: 'frame', x: page?.minX ?? 0, y: (page?.maxY ?? 0) + 300, props: { w: 1400, h: 800, name }, meta: { parkingLot: true } })
  return id
}

/** Splits the participants who are online into max-mix groups, with a frame for each. */
function GroupsForm({ onDone }: { onDone(): void }) {
  const { facilitation: f, actions } = useFacilitationInfo()
  const { members } = usePeople()
  const editor = useEditor()
  const { t } = useI18n()
  const participants = members.filter((m) => m.role === 'participant')
  const [count, setCount] = useState(Math.max(1, Math.round(participants.length / 8)))
  const make = (event: FormEvent) => {
    event.preventDefault()
    const split = maxMix(
      participants.map((m) => ({ id: m.userId, groupId: m.groupId })),
      count,
    )
    const page = editor.getCurrentPageBounds()
    const x0 = (page?.maxX ?? 0) + 400
    const y0 = page?.minY ?? 0
    // The frames remember the phase they work in and who is in them: the report lists their notes there.
    const phaseFrame = f ? editor.getShape(f.agenda[f.phaseIndex]?.frameId as never) : undefined
    const nameOf = new Map(participants.map((m) => [m.userId, m.name]))
    editor.markHistoryStoppingPoint('form groups')
    const groups = split.map((memberIds, i) => {
      const frameId = createShapeId()
      const name = t('groups.name', { n: String(i + 1) })
      const members = memberIds.map((id) => nameOf.get(id) ?? '').filter(Boolean)
      editor.createShape({
        id: frameId,
        type: 'frame',
        x: x0 + (i % 4) * 1000,
        y: y0 + Math.floor(i / 4) * 800,
        props: { w: 900, h: 700, name },
        meta: groupFrameMeta(phaseFrame, members),
      })
      return { name, frameId, memberIds }
    })
    // Groups of other phases stay listed (their phase shows them again); this phase's are replaced.
    const phaseGroups = groupsInPhase(f?.groups ?? [], f?.agenda[f.phaseIndex], (id) => editor.getShape(id as TLShapeId))
    actions!.setGroups([...(f?.groups ?? []).filter((g) => !phaseGroups.includes(g)), ...groups])
    onDone()
  }
  return (
    <form className="groups-form" onSubmit={make}>
      {participants.length === 0 ? (
        <span>{t('groups.none')}</span>
      ) : (
        <>
          <label htmlFor="group-count">{t('groups.count')}</label>
          <input
            id="group-count"
            type="number"
            min={1}
            max={participants.length}
            value={count}
            onChange={(e) => setCount(Math.max(1, Number(e.target.value) || 1))}
          />
          <button type="submit" className="primary">
            {t('groups.make')}
          </button>
        </>
      )}
    </form>
  )
}

/** The timer's length in minutes, set by the facilitator (empty: the phase's own length). */
function TimerLength({ onSet }: { onSet(minutes: number | undefined): void }) {
  const { t } = useI18n()
  const [minutes, setMinutes] = useState('')
  return (
    <form
      className="timer-length"
      onSubmit={(e) => {
        e.preventDefault()
        onSet(minutes.trim() === '' ? undefined : Math.min(600, Math.max(0, Math.round(Number(minutes)))))
        setMinutes('')
      }}
    >
      <label>
        <span className="visually-hidden">{t('agenda.lengthLabel')}</span>
        <input
          type="number"
          min={0}
          max={600}
          inputMode="numeric"
          value={minutes}
          placeholder={t('agenda.lengthPlaceholder')}
          onChange={(e) => setMinutes(e.target.value)}
          data-testid="timer-length"
        />
      </label>
      <button type="submit" data-testid="timer-reset">
        {t('agenda.reset')}
      </button>
    </form>
  )
}
