/** The facilitation state of a board, the server clock, and what a facilitator can change. */
import { useEffect, useState } from 'react'
import type { Editor } from 'tldraw'
import { api } from '../api-client.ts'
import { useMapValue } from './use-map-value.ts'
import type * as Y from 'yjs'
import {
  facilitationOf,
  FacilitationKey,
  idleTimer,
  readFacilitation,
  type CoFacilitator,
  type Facilitation,
  type MixedGroup,
} from '../../shared/facilitation.ts'
import { PRIVATE_ROUND_KEY, type PrivateRound } from '../../shared/private-round.ts'
import { addTime, measureOffset, pauseTimer, startTimer } from '../../shared/server-clock.ts'

export function useFacilitation(doc: Y.Doc | null): Facilitation | null {
  return useMapValue<Facilitation | null>(doc ? facilitationOf(doc) : null, readFacilitation, null)
}

/** Server time minus local time, measured at start and every five minutes. */
export function useServerOffset(): number {
  const [offset, setOffset] = useState(0)
  useEffect(() => {
    let cancelled = false
    const measure = () =>
      measureOffset(async () => (await api.time()).now).then(
        (value) => !cancelled && setOffset(value),
        () => {},
      )
    void measure()
    const timer = setInterval(measure, 5 * 60_000)
    return () => {
      cancelled = true
      clearInterval(timer)
    }
  }, [])
  return offset
}

/** Re-renders every `ms` so countdowns move. */
export function useTick(ms = 250): number {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(timer)
  }, [ms])
  return now
}

/** The frame a facilitator means: the selected frame, else the current phase's; null if neither. */
export function targetFrame(editor: Editor, f: Facilitation | null): string | null {
  const selected = editor.getOnlySelectedShape()
  if (selected?.type === 'frame') return selected.id
  return f?.agenda[f.phaseIndex]?.frameId ?? null
}

export interface FacilitatorActions {
  goToPhase(index: number): void
  start(): void
  pause(): void
  addMinutes(minutes: number): void
  /** The timer back to a length (the phase's own when none is given), stopped. */
  resetTimer(minutes?: number): void
  summon(bounds: { x: number; y: number; w: number; h: number }, by: string): void
  present(userId: string | null): void
  setGroups(groups: MixedGroup[]): void
  setCrowd(setting: 'auto' | 'on' | 'off'): void
  /** Opens a private round on a frame; `reveal` closes it, which makes every browser publish. */
  startPrivateRound(frameId: string): void
  reveal(): void
  spotlight(frameId: string | null): void
  makeCoFacilitator(person: CoFacilitator): void
  /** Lowers a person's raised hand (their browser takes it down). */
  lowerHand(userId: string): void
}

export function facilitatorActions(doc: Y.Doc, serverNow: () => number): FacilitatorActions {
  const map = facilitationOf(doc)
  const state = () => readFacilitation(map)
  return {
    goToPhase(index) {
      const { agenda } = state()
      const next = Math.min(Math.max(0, index), Math.max(0, agenda.length - 1))
      // The timer keeps running over a phase change: the facilitator resets it when they want.
      map.set(FacilitationKey.phaseIndex, next)
    },
    resetTimer(minutes) {
      const { agenda, phaseIndex } = state()
      map.set(FacilitationKey.timer, idleTimer(minutes ?? agenda[phaseIndex]?.minutes))
    },
    start: () => map.set(FacilitationKey.timer, startTimer(state().timer, serverNow())),
    pause: () => map.set(FacilitationKey.timer, pauseTimer(state().timer, serverNow())),
    addMinutes: (minutes) => map.set(FacilitationKey.timer, addTime(state().timer, minutes * 60_000, serverNow())),
    summon: (bounds, by) => map.set(FacilitationKey.summon, { nonce: crypto.randomUUID(), bounds, by }),
    present: (userId) => map.set(FacilitationKey.presenter, userId),
    setGroups: (groups) => map.set(FacilitationKey.groups, groups),
    setCrowd: (setting) => map.set(FacilitationKey.crowd, setting),
    startPrivateRound: (frameId) => map.set(PRIVATE_ROUND_KEY, { id: crypto.randomUUID(), frameId, open: true } satisfies PrivateRound),
    spotlight: (frameId) => map.set(FacilitationKey.spotlight, frameId ? { frameId, nonce: crypto.randomUUID() } : null),
    makeCoFacilitator(person) {
      const listed = state().cofacilitators
      if (!listed.some((c) => c.keyHash === person.keyHash)) map.set(FacilitationKey.cofacilitators, [...listed, person])
    },
    lowerHand(userId) {
      map.set(FacilitationKey.loweredHands, { ...state().loweredHands, [userId]: serverNow() })
    },
    reveal() {
      const round = state().privateRound
      if (round?.open) map.set(PRIVATE_ROUND_KEY, { ...round, open: false } satisfies PrivateRound)
    },
  }
}
