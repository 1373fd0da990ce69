/**
 * The tldraw canvas of one board: a store bound to the board's Y.Doc (shared/store-binding.ts),
 * presence over awareness (shared/presence-binding.ts), assets served by this app.
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useEffect, useMemo, useState } from 'react'
import {
  atom,
  createTLStore,
  createUserId,
  type Editor,
  defaultShapeUtils,
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
import { bindStoreToDoc, type BindingState } from '../../shared/store-binding.ts'
import type { Identity } from '../identity.ts'
import { useI18n } from '../i18n/i18n.tsx'
import { boardShapeUtils } from '../shapes/index.ts'
import type { BoardSession, ConnectionState } from './use-board-connection.ts'

const assetUrls = getAssetUrlsByImport()
const shapeUtils = [...defaultShapeUtils, ...boardShapeUtils]
/** Images are stored inside the board; keep them well under the server's frame limit. */
const MAX_ASSET_BYTES = 4 * 1024 * 1024

interface Props {
  session: BoardSession
  connection: ConnectionState
  identity: Identity
  onRename(name: string): void
  components: TLComponents
  onOutdated(outdated: boolean): void
}

/** A board made from a template opens on its first phase, not on the empty page origin. */
function showFirstPhase(editor: Editor) {
  const frames = editor.getCurrentPageShapes().filter((s) => s.type === 'frame' && typeof s.meta.phase === 'string')
  const first = frames.sort((a, b) => a.x - b.x)[0]
  const bounds = first && editor.getShapePageBounds(first)
  if (bounds) editor.zoomToBounds(bounds, { inset: 60, targetZoom: 1 })
}

function toUser(identity: Identity): TLUser {
  return UserRecordType.create({ id: createUserId(identity.id), name: identity.name, color: identity.color })
}

export function BoardCanvas({ session, connection, identity, onRename, components, onOutdated }: Props) {
  const { lang } = useI18n()
  const [signals] = useState(() => ({
    mode: atom<'readonly' | 'readwrite'>('collaboration mode', 'readwrite'),
    status: atom<'online' | 'offline'>('collaboration status', 'online'),
    user: atom<TLUser | null>('current user', toUser(identity)),
  }))
  const [store, setStore] = useState<TLStore | null>(null)

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
    const binding = bindStoreToDoc(created, session.doc, (message, detail) => console.warn(message, detail))
    const applyState = (state: BindingState) => {
      signals.mode.set(state.kind === 'live' ? 'readwrite' : 'readonly')
      onOutdated(state.kind === 'outdated')
    }
    applyState(binding.getState())
    const stopListening = binding.onStateChange(applyState)
    const stopPresence = bindPresence(created, session.provider.awareness, signals.user)
    setStore(created)
    return () => {
      stopListening()
      stopPresence()
      binding.dispose()
      setStore(null)
    }
  }, [session, signals, onOutdated])

  const userPreferences = useMemo<TLUserPreferences>(
    () => ({ id: identity.id, name: identity.name, color: identity.color, locale: lang }),
    [identity, lang],
  )
  const user = useTldrawCurrentUser({
    userPreferences,
    setUserPreferences: (prefs) => {
      if (prefs.name && prefs.name !== identity.name) onRename(prefs.name)
    },
  })

  if (!store) return null
  return (
    <Tldraw
      store={store}
      user={user}
      assetUrls={assetUrls}
      licenseKey={import.meta.env.VITE_TLDRAW_LICENSE_KEY}
      maxAssetSize={MAX_ASSET_BYTES}
      components={components}
      shapeUtils={boardShapeUtils}
      onMount={showFirstPhase}
    />
  )
}
