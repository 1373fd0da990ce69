/**
 * The tldraw canvas of one board: a store bound to the board's Y.Doc (shared/store-binding.ts),
 * presence over awareness (shared/presence-binding.ts), assets served by this app.
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  atom,
  createTLStore,
  createUserId,
  react,
  type Editor,
  type TLShape,
  type TLShapeId,
  Tldraw,
  useTldrawCurrentUser,
  UserRecordType,
  type TLComponents,
  type TLStore,
  type TLUser,
  type TLUserPreferences,
} from 'tldraw'
import 'tldraw/tldraw.css'
import { bindPresence } from '../../shared/presence-binding.ts'
import { canEdit, FACILITATOR_LOCK, type Role } from '../../shared/roles.ts'
import { bindStoreToDoc, type BindingState } from '../../shared/store-binding.ts'
import { tldrawOverrides } from './tldraw-translations.ts'
import { isPrivateRecord } from '../../shared/private-round.ts'
import { mayChangeContent, onlyMoved, OWNER_META } from '../../shared/ownership.ts'
import { facilitationOf, readFacilitation } from '../../shared/facilitation.ts'
import type { Identity } from '../identity.ts'
import { useI18n } from '../i18n/i18n.tsx'
import { CROWD_CURSOR_MS, showPresence, type Box } from './crowd-mode.ts'
import { MEMBER_FIELD } from './members.ts'
import { drawableShapeUtils } from '../shapes/contained.ts'
import type { BoardSession, ConnectionState } from './use-board-connection.ts'
import { showFrame } from './show-frame.ts'
import { exposeEditorForTests } from './test-hook.ts'

const assetUrls = getAssetUrlsByImport()
const shapeUtils = drawableShapeUtils
/** Images are stored inside the board; keep them well under the server's frame limit. */
const MAX_ASSET_BYTES = 4 * 1024 * 1024

interface Props {
  session: BoardSession
  role: Role
  /** Crowd mode (crowd-mode.ts): fewer, slower cursors. */
  crowded: boolean
  connection: ConnectionState
  identity: Identity
  /** SHA-256 of this browser's member key: the owner of the cards made here. */
  keyHash: string
  onRename(name: string): void
  components: TLComponents
  onOutdated(outdated: boolean): void
}

/**
 * A board made from a template opens on the phase the session is in (joining late, reloading,
 * switching language), not on phase 1 or the empty page origin.
 */
function showCurrentPhase(editor: Editor, doc: BoardSession['doc']) {
  const f = readFacilitation(facilitationOf(doc))
  const current = f.agenda[f.phaseIndex]?.frameId
  const frames = editor.getCurrentPageShapes().filter((s) => s.type === 'frame' && typeof s.meta.phase === 'string')
  const frame = (current && editor.getShape(current as TLShapeId)) || frames.sort((a, b) => a.x - b.x)[0]
  const bounds = frame && editor.getShapePageBounds(frame)
  if (bounds) showFrame(editor, bounds, { animate: false })
}

/**
 * Participants' UI leaves facilitator-locked shapes alone (the server would refuse the change
 * and drop the connection): changes and deletes of a locked shape are undone before they happen.
 */
function protectLockedShapes(editor: Editor): () => void {
  const locked = (shape: TLShape) => shape.meta[FACILITATOR_LOCK] === true
  const stopChange = editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) =>
    source === 'user' && (locked(prev) || locked(next)) ? prev : next,
  )
  const stopDelete = editor.sideEffects.registerBeforeDeleteHandler('shape', (shape, source) => (source === 'user' && locked(shape) ? false : undefined))
  return () => {
    stopChange()
    stopDelete()
  }
}

/**
 * Every shape made here carries its maker's key hash (shared/ownership.ts). A participant's copy
 * of someone's card (paste, duplicate) becomes theirs; a facilitator's undo of a deletion gives
 * the card back to its writer. Participants leave the content of other people's cards alone:
 * the UI undoes such a change or delete before it happens (the server would refuse it).
 */
function ownShapes(editor: Editor, keyHash: string, role: Role): () => void {
  const stopCreate = editor.sideEffects.registerBeforeCreateHandler('shape', (shape, source) =>
    source === 'user' && (role !== 'facilitator' || typeof shape.meta[OWNER_META] !== 'string')
      ? { ...shape, meta: { ...shape.meta, [OWNER_META]: keyHash } }
      : shape,
  )
  if (role !== 'participant') return stopCreate
  const stopChange = editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) =>
    source === 'user' && !mayChangeContent(prev, keyHash) && !onlyMoved(prev, next) ? prev : next,
  )
  const stopDelete = editor.sideEffects.registerBeforeDeleteHandler('shape', (shape, source) =>
    source === 'user' && !mayChangeContent(shape, keyHash) ? false : undefined,
  )
  return () => {
    stopCreate()
    stopChange()
    stopDelete()
  }
}

/** For facilitators, tldraw's own lock (menu, shift+L) is the facilitator lock. */
function lockMeansFacilitatorLock(editor: Editor): () => void {
  return editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) =>
    source === 'user' && prev.isLocked !== next.isLocked ? { ...next, meta: { ...next.meta, [FACILITATOR_LOCK]: next.isLocked } } : next,
  )
}

function toUser(identity: Identity): TLUser {
  return UserRecordType.create({ id: createUserId(identity.id), name: identity.name, color: identity.color })
}

export function BoardCanvas({ session, role, crowded, connection, identity, keyHash, onRename, components, onOutdated }: Props) {
  const { lang } = useI18n()
  const [signals] = useState(() => ({
    mode: atom<'readonly' | 'readwrite'>('collaboration mode', 'readwrite'),
    status: atom<'online' | 'offline'>('collaboration status', 'online'),
    user: atom<TLUser | null>('current user', toUser(identity)),
  }))
  const [store, setStore] = useState<TLStore | null>(null)
  // Read by the presence filter on every incoming cursor; kept current without re-binding.
  const crowd = useRef<{ crowded: boolean; viewport: Box | null }>({ crowded, viewport: null })
  crowd.current.crowded = crowded

  useEffect(() => {
    signals.user.set(toUser(identity))
  }, [identity, signals])
  useEffect(() => {
    signals.status.set(connection.kind === 'connected' ? 'online' : 'offline')
  }, [connection.kind, signals])

  useEffect(() => {
    const created = createTLStore({
      shapeUtils,
      users: { currentUser: signals.user },
      collaboration: { mode: signals.mode, status: signals.status },
    })
    const binding = bindStoreToDoc(created, session.doc, (message, detail) => console.warn(message, detail), {
      isLocalOnly: isPrivateRecord,
      readOnly: !canEdit(role),
    })
    const applyState = (state: BindingState) => {
      signals.mode.set(state.kind === 'live' && canEdit(role) ? 'readwrite' : 'readonly')
      onOutdated(state.kind === 'outdated')
    }
    applyState(binding.getState())
    const stopListening = binding.onStateChange(applyState)
    const stopPresence = bindPresence(created, session.provider.awareness, signals.user, {
      // In crowd mode a browser also sends its cursor only at the crowd rate (README: 4× a second).
      throttleMs: () => (crowd.current.crowded ? CROWD_CURSOR_MS : 50),
      peerThrottleMs: () => (crowd.current.crowded ? CROWD_CURSOR_MS : 0),
      showPeer: (state, presence) =>
        showPresence({
          crowded: crowd.current.crowded,
          isFacilitator: (state[MEMBER_FIELD] as { role?: string } | undefined)?.role === 'facilitator',
          cursor: presence.cursor,
          viewport: crowd.current.viewport,
        }),
    })
    setStore(created)
    return () => {
      stopListening()
      stopPresence()
      binding.dispose()
      setStore(null)
    }
  }, [session, signals, onOutdated, role])

  const userPreferences = useMemo<TLUserPreferences>(() => ({ id: identity.id, name: identity.name, color: identity.color, locale: lang }), [identity, lang])
  // Stable, so tldraw mounts the editor once (it calls onMount again when this changes).
  // A new editor for the same board (the role changed: the session was closed) keeps the view
  // people had; the first one opens on the current phase.
  const lastCamera = useRef<ReturnType<Editor['getCamera']> | null>(null)
  const onMount = useCallback(
    (editor: Editor) => {
      if (lastCamera.current) editor.setCamera(lastCamera.current)
      else showCurrentPhase(editor, session.doc)
      const stopTracking = react('viewport for crowd mode', () => {
        crowd.current.viewport = editor.getViewportPageBounds()
        lastCamera.current = editor.getCamera()
      })
      const stopRole = role === 'participant' ? protectLockedShapes(editor) : role === 'facilitator' ? lockMeansFacilitatorLock(editor) : () => {}
      const stopOwning = role === 'viewer' ? () => {} : ownShapes(editor, keyHash, role)
      const stopExposing = exposeEditorForTests(editor, session.doc)
      return () => {
        stopExposing()
        stopTracking()
        stopRole()
        stopOwning()
      }
    },
    [role, keyHash, session],
  )

  // Stable too: a new setter makes a new `user`, and a new `user` remounts tldraw's editor
  // (which, for one, cancels a camera animation that facilitation just started).
  const latest = useRef({ identity, onRename })
  latest.current = { identity, onRename }
  const setUserPreferences = useCallback((prefs: TLUserPreferences) => {
    if (prefs.name && prefs.name !== latest.current.identity.name) latest.current.onRename(prefs.name)
  }, [])
  const user = useTldrawCurrentUser({ userPreferences, setUserPreferences })

  if (!store) return null
  return (
    <Tldraw
      store={store}
      user={user}
      assetUrls={assetUrls}
      licenseKey={import.meta.env.VITE_TLDRAW_LICENSE_KEY}
      maxAssetSize={MAX_ASSET_BYTES}
      components={components}
      overrides={tldrawOverrides}
      shapeUtils={shapeUtils}
      onMount={onMount}
    />
  )
}
