/**
 * The board page's state, made into the four slices of board-context.tsx. Each slice is a new
 * object only when something in it changed, so a panel that reads one renders again only then.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import type * as Y from 'yjs'
import { metaOf, MetaKey } from '../../shared/doc-layout.ts'
import { Session } from '../../shared/format/model.ts'
import type { Role } from '../../shared/roles.ts'
import { sha256Hex } from '../../shared/sha256.ts'
import { memberKey, type Identity } from '../identity.ts'
import type { BoardInfo, BoardState, FacilitationInfo, OpenSnapshot, People } from './board-context.tsx'
import { facilitatorActions, useFacilitation, useServerOffset } from './facilitation.ts'
import { useMembers } from './members.ts'
import type { ConnectionState } from './use-board-connection.ts'
import { useMapValue } from './use-map-value.ts'

/** When the session was closed; null while open. */
const readClosedAt = (meta: Y.Map<unknown>) => {
  const value = meta.get(MetaKey.closedAt)
  return typeof value === 'number' ? value : null
}
/** The session stored in the board's document (boards made from a template). */
const readSession = (meta: Y.Map<unknown>) => {
  const parsed = Session.safeParse(meta.get(MetaKey.session))
  return parsed.success ? parsed.data : null
}

export interface BoardSource {
  boardId: string
  title: string
  role: Role
  token: string
  identity: Identity
  /** The board's document and its awareness; null until the connection is made. */
  doc: Y.Doc | null
  awareness: Awareness | null
  connection: ConnectionState
  openSnapshot(open: OpenSnapshot): void
}

export function useBoardState({ boardId, title, role, token, identity, doc, awareness, connection, openSnapshot }: BoardSource): BoardState {
  const meta = doc ? metaOf(doc) : null
  const session = useMapValue<Session | null>(meta, readSession, null)
  const closedAt = useMapValue(meta, readClosedAt, null)
  const keyHash = useMemo(() => sha256Hex(memberKey()), [])
  const board = useMemo<BoardInfo>(
    () => ({ boardId, title, token, role, identity, keyHash, doc, session, closedAt, openSnapshot }),
    [boardId, title, token, role, identity, keyHash, doc, session, closedAt, openSnapshot],
  )

  const current = useFacilitation(doc)
  const serverOffset = useServerOffset()
  const actions = useMemo(
    // A closed session takes no changes, facilitation included (the server would refuse them).
    () => (doc && role === 'facilitator' && !closedAt ? facilitatorActions(doc, () => Date.now() + serverOffset) : null),
    [doc, role, serverOffset, closedAt],
  )
  const facilitation = useMemo<FacilitationInfo>(() => ({ facilitation: current, serverOffset, actions }), [current, serverOffset, actions])

  const members = useMembers(awareness)
  // A raised hand survives a reload (this tab's sessionStorage), and a facilitator can lower it.
  const handKey = `board.hand.${boardId}`
  const [handRaisedAt, setHandRaisedAt] = useState<number | null>(() => Number(sessionStorage.getItem(handKey)) || null)
  const hand = handRaisedAt !== null
  // The clock read when the hand goes up, not a dependency: a new offset is no change of the people.
  const offset = useRef(serverOffset)
  offset.current = serverOffset
  const setHand = useCallback(
    (up: boolean) => {
      const at = up ? Date.now() + offset.current : null
      if (at) sessionStorage.setItem(handKey, String(at))
      else sessionStorage.removeItem(handKey)
      setHandRaisedAt(at)
    },
    [handKey],
  )
  const loweredAt = current?.loweredHands[identity.id]
  useEffect(() => {
    if (handRaisedAt !== null && loweredAt !== undefined && loweredAt >= handRaisedAt) setHand(false)
  }, [loweredAt, handRaisedAt, setHand])
  const people = useMemo<People>(() => ({ members, hand, setHand }), [members, hand, setHand])

  return useMemo(() => ({ board, facilitation, people, connection }), [board, facilitation, people, connection])
}
