/**
 * Private rounds in the browser (shared/private-round.ts). While a round is open, what someone
 * puts in the round's frame (or in a group frame of its phase) is tagged private: the store
 * binding keeps it out of the shared document, this browser keeps a copy in localStorage (a
 * reload loses nothing), and it is drawn with a "private" label. When the facilitator reveals, every browser publishes its own notes.
 */
import { useEffect, useRef, useState } from 'react'
import { useEditor, useValue, type Editor, type TLRecord, type TLShapeId, type TLStoreSnapshot } from 'tldraw'
import { isPrivateRecord, roundFrames, tagIfPrivate, toPublish, type PrivateRound } from '../../shared/private-round.ts'
import { useI18n } from '../i18n/i18n.tsx'
import { useBoard, useFacilitationInfo } from './board-context.tsx'
import { landsIn } from './lands-in.ts'
import { separateNotes } from './placement.ts'

/** How long after a reveal the facilitator's browser spreads out notes that land on each other. */
const SPREAD_FOR_MS = 10_000
const SPREAD_DEBOUNCE_MS = 400

const SAVE_DELAY_MS = 200
const storageKey = (boardId: string) => `board.private.${boardId}`

function loadSaved(editor: Editor, boardId: string): TLRecord[] {
  const raw = localStorage.getItem(storageKey(boardId))
  if (!raw) return []
  try {
    const migrated = editor.store.schema.migrateStoreSnapshot(JSON.parse(raw) as TLStoreSnapshot)
    if (migrated.type !== 'success') throw new Error(String(migrated.reason))
    // The private notes and the bindings of arrows drawn to or from them (see save).
    return Object.values(migrated.value).filter((r) => (isPrivateRecord(r) || r.typeName === 'binding') && !editor.store.has(r.id))
  } catch (error) {
    // Left in place: a newer version of the app may read it.
    console.warn('private notes kept in this browser could not be read', error)
    return []
  }
}

function save(editor: Editor, boardId: string) {
  const notes = editor.store.allRecords().filter(isPrivateRecord)
  if (notes.length === 0) return localStorage.removeItem(storageKey(boardId))
  // An arrow's binding to or from a private note stays in this browser with it (shared/store-binding.ts).
  const ids = new Set<string>(notes.map((n) => n.id))
  const mine = [...notes, ...editor.store.allRecords().filter((r) => r.typeName === 'binding' && (ids.has(r.fromId) || ids.has(r.toId)))]
  const snapshot: TLStoreSnapshot = { schema: editor.store.schema.serialize(), store: Object.fromEntries(mine.map((r) => [r.id, r])) }
  localStorage.setItem(storageKey(boardId), JSON.stringify(snapshot))
}

export function PrivateNotes() {
  const editor = useEditor()
  const { boardId, role, closedAt } = useBoard()
  const { facilitation, actions } = useFacilitationInfo()
  const { t } = useI18n()
  const round = facilitation?.privateRound ?? null
  const current = useRef<PrivateRound | null>(round)
  current.current = round
  const [restored, setRestored] = useState(false)

  // A round on a phase covers its group frames too (they lie outside the phase's frame).
  useEffect(
    () =>
      editor.sideEffects.registerBeforeCreateHandler('shape', (shape, source) => {
        const open = current.current
        if (source !== 'user' || !open?.open) return shape
        const frames = roundFrames(open, editor.getCurrentPageShapes())
        if (frames.includes(shape.id)) return shape
        return {
          ...shape,
          meta: tagIfPrivate(
            shape.meta,
            open,
            frames.some((id) => landsIn(editor, shape, id as TLShapeId)),
          ),
        }
      }),
    [editor],
  )

  // Keep this browser's private notes across a reload; bring them back once.
  useEffect(() => {
    if (role === 'viewer') return
    const saved = loadSaved(editor, boardId)
    if (saved.length > 0) editor.run(() => editor.store.put(saved), { history: 'ignore' })
    setRestored(true)
    let timer: ReturnType<typeof setTimeout> | undefined
    const flush = () => {
      clearTimeout(timer)
      timer = undefined
      save(editor, boardId)
    }
    // Only changes that touch a private note (made, edited, deleted or revealed) or a binding (an
    // arrow to one) need a save.
    const stop = editor.store.listen(
      ({ changes }) => {
        const touched = [...Object.values(changes.added), ...Object.values(changes.updated).flat(), ...Object.values(changes.removed)]
        if (touched.some((r) => isPrivateRecord(r) || r.typeName === 'binding')) timer ??= setTimeout(flush, SAVE_DELAY_MS)
      },
      { source: 'user', scope: 'document' },
    )
    addEventListener('pagehide', flush)
    return () => {
      stop()
      removeEventListener('pagehide', flush)
      if (timer) flush()
    }
  }, [editor, boardId, role])

  // The reveal (or a round that closed while this browser was away): publish.
  useEffect(() => {
    if (!facilitation || !restored || closedAt) return
    const publish = toPublish(editor.store.allRecords(), round)
    if (publish.length > 0) editor.run(() => editor.store.put(publish), { history: 'ignore' })
  }, [editor, facilitation, round, restored, closedAt])

  // After the reveal everyone's notes arrive at once, many on the same free spot (nobody saw the
  // others' private notes): the facilitator's browser spreads them over free cells of the frame.
  const revealedFrame = useRef<string | null>(null)
  const facilitating = !!actions
  const roundOpen = round?.open
  const roundFrame = round?.frameId
  useEffect(() => {
    if (roundOpen) revealedFrame.current = roundFrame ?? null
    else if (roundFrame && revealedFrame.current === roundFrame && facilitating) {
      revealedFrame.current = null
      // The round's frame and the group frames of its phase.
      const frameIds = roundFrames({ id: '', frameId: roundFrame, open: true }, editor.getCurrentPageShapes()) as TLShapeId[]
      let timer: ReturnType<typeof setTimeout> | undefined
      const spread = () => {
        timer = undefined
        editor.run(
          () => {
            for (const frameId of frameIds) separateNotes(editor, frameId)
          },
          { history: 'ignore' },
        )
      }
      spread()
      const stop = editor.store.listen(
        () => {
          timer ??= setTimeout(spread, SPREAD_DEBOUNCE_MS)
        },
        { source: 'remote', scope: 'document' },
      )
      const end = setTimeout(() => stop(), SPREAD_FOR_MS)
      return () => {
        stop()
        clearTimeout(end)
        clearTimeout(timer)
      }
    }
  }, [editor, roundOpen, roundFrame, facilitating])

  // In front of the canvas (frames would cover a label drawn on it), so in viewport coordinates.
  const labels = useValue(
    'private notes',
    () =>
      editor
        .getCurrentPageShapes()
        .filter(isPrivateRecord)
        .flatMap((s) => {
          const bounds = editor.getShapePageBounds(s)
          return bounds ? [{ id: s.id, at: editor.pageToViewport(bounds.point) }] : []
        }),
    [editor],
  )
  return (
    <>
      {labels.map(({ id, at }) => (
        <div key={id} className="private-label" style={{ transform: `translate(${at.x}px, ${at.y - 24}px)` }} data-testid="private-label">
          {t('private.label')}
        </div>
      ))}
    </>
  )
}
