/**
 * What the board page knows about its board, for the panels, in four contexts split by how often
 * they change: the board itself (once synced; again when the session closes), its facilitation
 * (a phase, the timer, a vote: a few times a minute), the people on it (someone joins, a hand goes
 * up) and the connection. A panel reads the slices it needs and renders again only when one of
 * those changes: the vote bar does not hear of a raised hand, and nothing here changes with a
 * cursor move (members.ts compares the member list, not the awareness).
 *
 * Plain React contexts rather than @tldraw/state atoms: every value already comes out of a React
 * hook (use-board-state.ts), the panels read whole slices, and there are four of them; atoms
 * would add a second way state reaches a component for a gain only per-field selectors would use.
 */
import { createContext, useContext, type ReactNode } from 'react'
import type * as Y from 'yjs'
import type { Facilitation } from '../../shared/facilitation.ts'
import type { Session } from '../../shared/format/model.ts'
import type { Role } from '../../shared/roles.ts'
import type { SnapshotSummary } from '../../shared/snapshot.ts'
import type { Identity } from '../identity.ts'
import type { FacilitatorActions } from './facilitation.ts'
import type { Member } from './members.ts'
import type { ConnectionState } from './use-board-connection.ts'

/** A snapshot opened beside the board, with the list it was chosen from (to compare against). */
export interface OpenSnapshot {
  snapshot: SnapshotSummary
  all: SnapshotSummary[]
}

/** Changes when the document syncs, its session meta changes, or the session closes. */
export interface BoardInfo {
  boardId: string
  title: string
  token: string
  role: Role
  identity: Identity
  /** SHA-256 of this browser's member key (owner of the cards made here). */
  keyHash: string
  /** The board's document (trash, layout); null before it is synced. */
  doc: Y.Doc | null
  /** The session of a board made from a template; null for a blank board. */
  session: Session | null
  /** When a facilitator closed the session (the board is read-only), else null. */
  closedAt: number | null
  /** Opens a snapshot read-only beside the board. */
  openSnapshot(open: OpenSnapshot): void
}

/** Changes with every facilitation change (phase, timer, vote, groups, rounds). */
export interface FacilitationInfo {
  facilitation: Facilitation | null
  /** Server time minus local time. */
  serverOffset: number
  /** Set for facilitators only (and not once the session is closed). */
  actions: FacilitatorActions | null
}

/** Changes when someone joins, leaves, renames or raises a hand. */
export interface People {
  members: Member[]
  hand: boolean
  setHand(up: boolean): void
}

export interface BoardState {
  board: BoardInfo
  facilitation: FacilitationInfo
  people: People
  connection: ConnectionState
}

const BoardContext = createContext<BoardInfo | null>(null)
const FacilitationContext = createContext<FacilitationInfo | null>(null)
const PeopleContext = createContext<People | null>(null)
const ConnectionContext = createContext<ConnectionState | null>(null)

/** Provided by the board page around the canvas (and so around every panel tldraw renders). */
export function BoardProvider({ state, children }: { state: BoardState; children: ReactNode }) {
  return (
    <BoardContext.Provider value={state.board}>
      <FacilitationContext.Provider value={state.facilitation}>
        <PeopleContext.Provider value={state.people}>
          <ConnectionContext.Provider value={state.connection}>{children}</ConnectionContext.Provider>
        </PeopleContext.Provider>
      </FacilitationContext.Provider>
    </BoardContext.Provider>
  )
}

function need<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`${what} is read outside the board page's BoardProvider`)
  return value
}

export const useBoard = (): BoardInfo => need(useContext(BoardContext), 'the board')
export const useFacilitationInfo = (): FacilitationInfo => need(useContext(FacilitationContext), 'the facilitation')
export const usePeople = (): People => need(useContext(PeopleContext), 'the people')
export const useConnection = (): ConnectionState => need(useContext(ConnectionContext), 'the connection')
