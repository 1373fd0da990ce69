/** /b/<id>: checks the board exists, asks for a name once, then shows the live canvas. */
import { timeInNetherlands } from '../../shared/netherlands-time.ts'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { ContributeView, PHONE_QUERY, useMediaQuery } from '../board/contribute-view.tsx'
import type { TLComponents } from 'tldraw'
import { CloseCode } from '../../shared/protocol.ts'
import { CardPanel } from '../board/card-panel.tsx'
import { FacilitationEffects } from '../board/facilitation-effects.tsx'
import { PrivateNotes } from '../board/private-notes.tsx'
import { publishMember } from '../board/members.ts'
import { isCrowded } from '../board/crowd-mode.ts'
import type { BoardAccess } from '../../shared/api.ts'
import { boardLink, type Role } from '../../shared/roles.ts'
import type { BoardId } from '../../shared/board-id.ts'
import { ApiError, api } from '../api-client.ts'
import { BoardCanvas } from '../board/board-canvas.tsx'
import { BoardHeader } from '../board/board-header.tsx'
import { BoardProvider, useBoard, type OpenSnapshot } from '../board/board-context.tsx'
import { useBoardState } from '../board/use-board-state.ts'
import { SnapshotViewer } from '../board/history.tsx'
import { JoinDialog } from '../board/join-dialog.tsx'
import { useBoardConnection } from '../board/use-board-connection.ts'
import { loadIdentity, memberKey, saveIdentity, type Identity } from '../identity.ts'
import { useI18n } from '../i18n/i18n.tsx'
import { setErrorScope } from '../client-errors.ts'
import { PanelBoundary } from '../board/panel-boundary.tsx'
import { BoardErrorFallback, CanvasRecoveryContext, ShapeErrorFallback, type CanvasRecovery } from '../board/canvas-fallbacks.tsx'
import { changesDelivered } from '../board/deliver-changes.ts'
import { navigate } from '../navigation.ts'
import { loadRecentBoards, rememberBoard } from '../recent-boards.ts'

type Lookup =
  | { kind: 'loading' }
  | { kind: 'found'; board: BoardAccess }
  | { kind: 'not-found' }
  | { kind: 'deleted' }
  | { kind: 'no-token' }
  | { kind: 'denied'; error: string }
  | { kind: 'failed'; error: string }

function CanvasOverlays() {
  const { role, closedAt } = useBoard()
  const phone = useMediaQuery(PHONE_QUERY)
  // On a phone a participant contributes through the simple view; the board stays behind it.
  const contribute = phone && role === 'participant' && !closedAt
  return (
    <>
      {contribute ? (
        <PanelBoundary where="contribute-view" className="contribute">
          <ContributeView />
        </PanelBoundary>
      ) : (
        <PanelBoundary where="card-panel" className="card-panel">
          <CardPanel />
        </PanelBoundary>
      )}
      <PanelBoundary where="facilitation-effects" className="floating">
        <FacilitationEffects />
      </PanelBoundary>
      <PanelBoundary where="private-notes" className="floating">
        <PrivateNotes />
      </PanelBoundary>
    </>
  )
}

/** Each of our panels fails on its own (panel-boundary.tsx); so does a shape, and the editor keeps the connection. */
const components: TLComponents = {
  TopPanel: () => (
    <PanelBoundary where="header" className="floating">
      <BoardHeader />
    </PanelBoundary>
  ),
  InFrontOfTheCanvas: CanvasOverlays,
  ErrorFallback: BoardErrorFallback,
  ShapeErrorFallback,
}

export function BoardPage({ boardId, token }: { boardId: BoardId; token: string | null }) {
  const { t } = useI18n()
  const [lookup, setLookup] = useState<Lookup>({ kind: 'loading' })
  const [attempt, setAttempt] = useState(0)
  const [identity, setIdentity] = useState<Identity | null>(loadIdentity)

  useEffect(() => {
    let cancelled = false
    if (!token) {
      // A bare /b/<code> opened before with a link: use that link again.
      const known = loadRecentBoards().find((b) => b.id === boardId && b.link.includes('token='))
      if (known) navigate(known.link)
      else setLookup({ kind: 'no-token' })
      return
    }
    setLookup({ kind: 'loading' })
    api.getBoard(boardId, token).then(
      (board) => {
        if (cancelled) return
        setLookup({ kind: 'found', board })
        rememberBoard(board.id, board.title, boardLink(board.id, token))
      },
      (error: unknown) => {
        if (cancelled) return
        if (error instanceof ApiError && error.status === 404) setLookup({ kind: 'not-found' })
        else if (error instanceof ApiError && error.status === 410) setLookup({ kind: 'deleted' })
        else if (error instanceof ApiError && (error.status === 401 || error.status === 403)) setLookup({ kind: 'denied', error: error.message })
        else setLookup({ kind: 'failed', error: (error as Error).message })
      },
    )
    return () => {
      cancelled = true
    }
    // Not on the language: a switch must not look the board up again (offline it would fail and
    // take the live board, with work not yet sent, off the screen).
  }, [boardId, token, attempt])
  const foundTitle = lookup.kind === 'found' ? lookup.board.title : null
  useEffect(() => {
    if (foundTitle !== null) document.title = `${foundTitle || t('board.untitled')} — ${t('app.title')}`
  }, [foundTitle, t])

  if (lookup.kind === 'loading') return <Message text={t('board.loading')} busy />
  if (lookup.kind === 'not-found') return <Message text={t('board.notFound')} />
  if (lookup.kind === 'deleted') return <Message text={t('board.deleted')} />
  if (lookup.kind === 'no-token') return <Message text={t('board.noToken')} />
  if (lookup.kind === 'denied') return <Message text={t('board.denied', { error: lookup.error })} />
  if (lookup.kind === 'failed') {
    return <Message text={t('board.loadFailed', { error: lookup.error })} action={{ label: t('board.retry'), run: () => setAttempt((n) => n + 1) }} />
  }
  if (!identity)
    return (
      <PanelBoundary where="join-dialog">
        <JoinDialog
          boardTitle={lookup.board.title}
          groups={lookup.board.groups}
          initialName=""
          onJoin={(name, groupId, organisation) => setIdentity(saveIdentity(name, groupId, organisation))}
        />
      </PanelBoundary>
    )
  return (
    <LiveBoard
      board={lookup.board}
      token={token!}
      identity={identity}
      onRename={(name) => setIdentity(saveIdentity(name, identity.groupId, identity.organisation, identity))}
    />
  )
}

function LiveBoard({ board, token, identity, onRename }: { board: BoardAccess; token: string; identity: Identity; onRename(name: string): void }) {
  const { t, lang } = useI18n()
  const role: Role = board.role
  const { session: session_, connection, synced } = useBoardConnection(board.id, token)
  const [outdated, setOutdated] = useState(false)
  const [viewing, setViewing] = useState<OpenSnapshot | null>(null)
  const closeViewer = useCallback(() => setViewing(null), [])
  const state = useBoardState({
    boardId: board.id,
    title: board.title,
    role,
    token,
    identity,
    doc: session_?.doc ?? null,
    awareness: session_?.provider.awareness ?? null,
    connection,
    openSnapshot: setViewing,
  })
  const { keyHash, closedAt } = state.board
  const { facilitation } = state.facilitation
  const { members, hand } = state.people
  // A link with ?snapshot=<id> (from the archive) opens that snapshot beside the board.
  useEffect(() => {
    const params = new URLSearchParams(location.search)
    const wanted = params.get('snapshot')
    if (!wanted) return
    // Once: the board's link (also the one remembered in the lobby) stays the plain one.
    params.delete('snapshot')
    history.replaceState(null, '', `${location.pathname}?${params}`)
    api.snapshots(board.id, token).then(
      (all) => {
        const snapshot = all.find((s) => s.id === wanted)
        if (snapshot) setViewing({ snapshot, all })
      },
      (error: unknown) => console.warn('opening the snapshot failed', error),
    )
  }, [board.id, token])
  useEffect(() => {
    if (session_) publishMember(session_.provider.awareness, { userId: identity.id, name: identity.name, role, groupId: identity.groupId, hand, keyHash })
  }, [session_, identity, role, hand, keyHash])
  // Made co-facilitator: trade this browser's key for the facilitator link, and switch to it.
  const promoted = role !== 'facilitator' && !!facilitation?.cofacilitators.some((c) => c.keyHash === keyHash)
  useEffect(() => {
    if (!promoted) return
    api.claimCoFacilitator(board.id, token, memberKey()).then(
      ({ link }) => navigate(link, { replace: true }),
      (error: unknown) => console.warn('claiming the co-facilitator link failed', error),
    )
  }, [promoted, board.id, token])
  const onOutdated = useCallback((value: boolean) => setOutdated(value), [])
  // Reports from this page's boundaries name the board and the page's Yjs client (its presence id).
  useEffect(() => (session_ ? setErrorScope({ board: board.id, connection: String(session_.doc.clientID) }) : undefined), [board.id, session_])
  // After tldraw's error screen, a fresh editor (new store, same doc and connection).
  const [canvasAttempt, setCanvasAttempt] = useState(0)
  const recovery = useMemo<CanvasRecovery | null>(
    () =>
      session_
        ? { retry: () => setCanvasAttempt((n) => n + 1), reload: () => void changesDelivered(session_.provider).then(() => location.reload()), connection }
        : null,
    [session_, connection],
  )
  const phoneParticipant = useMediaQuery(PHONE_QUERY) && role === 'participant' && !closedAt

  if (connection.kind === 'refused' && connection.code === CloseCode.boardDeleted) return <Message text={t('board.deleted')} />
  if (!session_ || !synced) {
    return (
      <Message
        text={connection.kind === 'refused' ? t('status.refused', { reason: connection.reason }) : t('board.connecting')}
        busy={connection.kind !== 'refused'}
        action={connection.kind === 'refused' ? { label: t('board.reload'), run: () => location.reload() } : undefined}
      />
    )
  }
  return (
    <BoardProvider state={state}>
      <div className={`board${phoneParticipant ? ' phone-contribute' : ''}`} data-testid="board">
        <CanvasRecoveryContext.Provider value={recovery}>
          <BoardCanvas
            key={canvasAttempt}
            session={session_}
            role={closedAt ? 'viewer' : role}
            crowded={isCrowded(facilitation?.crowd ?? 'auto', members.length)}
            connection={connection}
            identity={identity}
            keyHash={keyHash}
            onRename={onRename}
            components={components}
            onOutdated={onOutdated}
          />
        </CanvasRecoveryContext.Provider>
        {closedAt && (
          <div className="closed-banner" role="status" data-testid="closed-banner">
            {t('board.closed', { when: timeInNetherlands(closedAt, lang, { dateStyle: 'long', timeStyle: 'short' }) })}
          </div>
        )}
        {viewing && (
          <PanelBoundary where="snapshot-viewer" className="floating">
            <SnapshotViewer key={viewing.snapshot.id} open={viewing} onClose={closeViewer} />
          </PanelBoundary>
        )}
        {outdated && (
          <div className="banner" role="alert" data-testid="outdated-banner">
            {t('board.outdated')}
            <button type="button" className="primary" onClick={() => location.reload()}>
              {t('board.reload')}
            </button>
          </div>
        )}
      </div>
    </BoardProvider>
  )
}

function Message({ text, busy = false, action }: { text: string; busy?: boolean; action?: { label: string; run(): void } }) {
  const { t } = useI18n()
  return (
    <main className="page centered">
      <div className="card message" aria-busy={busy} data-testid="board-message">
        {busy && <span className="spinner" aria-hidden="true" />}
        <p>{text}</p>
        <div className="actions">
          {action && (
            <button type="button" className="primary" onClick={action.run}>
              {action.label}
            </button>
          )}
          <a href="/">{t('board.toLobby')}</a>
        </div>
      </div>
    </main>
  )
}
