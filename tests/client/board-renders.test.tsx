// @vitest-environment jsdom
/**
 * The vote bar and the agenda render again only when what they show changes (the board's state
 * in contexts split by how often it changes, client/board/board-context.tsx): not for a cursor
 * move of someone else, the vote bar not for a raised hand, the agenda not for the connection
 * the header above it shows; a phase change does reach the agenda.
 * Headless, the real header with both bars in it: a tldraw Editor in jsdom per person, real awareness relayed between them with
 * presence bound as on the board page, the page's own state hook over a real Y.Doc.
 */
import '../helpers/jsdom-gaps.ts'
import { countRenders } from '../helpers/render-count.ts'
import { act, useState, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { atom, createUserId, EditorContext, UserRecordType, type TLInstancePresence, type TLUser } from 'tldraw'
import * as Y from 'yjs'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import { facilitationOf, FacilitationKey, type AgendaItem } from '../../shared/facilitation.ts'
import { bindPresence } from '../../shared/presence-binding.ts'
import { AgendaBar } from '../../client/board/agenda-bar.tsx'
import { BoardProvider } from '../../client/board/board-context.tsx'
import { BoardHeader } from '../../client/board/board-header.tsx'
import { MEMBER_FIELD, publishMember } from '../../client/board/members.ts'
import { useBoardState } from '../../client/board/use-board-state.ts'
import type { ConnectionState } from '../../client/board/use-board-connection.ts'
import { VoteBar } from '../../client/board/vote-bar.tsx'
import { I18nProvider } from '../../client/i18n/i18n.tsx'
import type { Identity } from '../../client/identity.ts'
import { headlessEditor } from '../helpers/headless-editor.ts'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
// jsdom has no layout: the header's measuring of its own size (board-header.tsx) sees nothing.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup()
})

/** A person's editor and awareness, their presence bound as board-canvas.tsx binds it (no throttle). */
function person(id: string, name: string) {
  const { store, editor, container } = headlessEditor()
  const awareness = new Awareness(new Y.Doc())
  const user = atom<TLUser | null>('user', UserRecordType.create({ id: createUserId(id), name, color: '#c2410c' }))
  const unbind = bindPresence(store, awareness, user, { throttleMs: 0 })
  cleanups.push(() => {
    unbind()
    awareness.destroy()
    editor.dispose()
    container.remove()
  })
  return { editor, awareness }
}

/** Awareness changes of `from` reach `to`, as through the server. */
function relay(from: Awareness, to: Awareness) {
  const forward = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) =>
    applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [...added, ...updated, ...removed]), 'relay')
  from.on('update', forward)
  cleanups.push(() => from.off('update', forward))
}

const phase = (n: number): AgendaItem => ({
  phase: `p${n}`,
  title: { nl: `Fase ${n}`, en: `Phase ${n}` },
  instructions: { nl: `Doe ${n}`, en: `Do ${n}` },
  minutes: 10,
  frameId: `shape:frame${n}`,
})

describe('what renders the vote bar and the agenda again', () => {
  it('a cursor move renders neither, a raised hand not the vote bar, the connection not the agenda, a phase change the agenda', async () => {
    const fien = person('fien', 'Fien')
    const piet = person('piet', 'Piet')
    relay(fien.awareness, piet.awareness)
    relay(piet.awareness, fien.awareness)
    const doc = new Y.Doc()
    facilitationOf(doc).set(FacilitationKey.agenda, [phase(1), phase(2), phase(3)])
    facilitationOf(doc).set(FacilitationKey.phaseIndex, 0)
    const identity: Identity = { id: 'fien', name: 'Fien', color: '#c2410c', groupId: '', organisation: '' } as Identity
    const piet0 = { userId: 'piet', name: 'Piet', role: 'participant', groupId: '', hand: false, keyHash: '' } as const
    publishMember(fien.awareness, { userId: 'fien', name: 'Fien', role: 'facilitator', groupId: '', hand: false, keyHash: '' })
    publishMember(piet.awareness, piet0)

    const header = countRenders(BoardHeader)
    const voteBar = countRenders(VoteBar)
    const agendaBar = countRenders(AgendaBar)
    const renders = () => ({ header: header.renders, vote: voteBar.renders, agenda: agendaBar.renders })
    const openSnapshot = () => {}
    let setConnection: (next: ConnectionState) => void = () => {}
    // The page's own state hook and providers around the header (made once, as tldraw's TopPanel
    // is): it renders again only for a context it reads, or its own state.
    function Page({ children }: { children: ReactNode }) {
      const [connection, set] = useState<ConnectionState>({ kind: 'connected' })
      setConnection = set
      const state = useBoardState({
        boardId: 'bord',
        title: 'Bord',
        role: 'facilitator',
        token: 'token',
        identity,
        doc,
        awareness: fien.awareness,
        connection,
        openSnapshot,
      })
      return <BoardProvider state={state}>{children}</BoardProvider>
    }
    const host = document.createElement('div')
    const root = createRoot(host)
    cleanups.push(() => root.unmount())
    await act(async () =>
      root.render(
        <I18nProvider>
          <EditorContext.Provider value={fien.editor}>
            <Page>
              <BoardHeader />
            </Page>
          </EditorContext.Provider>
        </I18nProvider>,
      ),
    )
    const phaseText = () => host.querySelector('[data-testid="agenda-phase"]')!.textContent
    expect(phaseText()).toContain('Fase 1')
    expect(host.querySelector('[data-testid="vote-start"]')).not.toBeNull()
    const settled = renders()
    expect(settled.header).toBeGreaterThan(0)
    expect(settled.vote).toBeGreaterThan(0)
    expect(settled.agenda).toBeGreaterThan(0)

    // Piet moves his cursor; each position reaches Fien's editor (her store's presence of him).
    const cursorOfPiet = () =>
      fien.editor.store.query
        .records('instance_presence')
        .get()
        .find((p: TLInstancePresence) => p.userId === createUserId('piet'))?.cursor
    for (let i = 1; i <= 20; i++) {
      await act(async () => {
        piet.editor.updateInstanceState({ isFocusMode: false })
        piet.editor.store.put([{ ...(piet.editor.store.get('pointer:pointer' as never) as unknown as object), x: i * 10, y: i * 10 } as never])
        await vi.waitFor(() => expect(cursorOfPiet()?.x).toBe(i * 10), { timeout: 2_000, interval: 5 })
      })
    }
    expect(renders()).toEqual(settled)

    // Piet raises his hand: the people change (the agenda shows who is in your group), the vote bar does not hear of it.
    await act(async () => {
      piet.awareness.setLocalStateField(MEMBER_FIELD, { ...piet0, hand: true })
      await vi.waitFor(() => expect([...fien.awareness.getStates().values()].some((s) => s[MEMBER_FIELD]?.hand === true)).toBe(true))
    })
    expect(voteBar.renders).toBe(settled.vote)
    expect(agendaBar.renders).toBeGreaterThan(settled.agenda)

    // The connection drops: the header's badge says so; the agenda below it is not drawn again.
    const beforeDrop = renders()
    await act(async () => setConnection({ kind: 'reconnecting' }))
    expect(host.querySelector('[data-testid="connection-status"]')!.getAttribute('data-state')).toBe('reconnecting')
    expect(header.renders).toBeGreaterThan(beforeDrop.header)
    expect(agendaBar.renders).toBe(beforeDrop.agenda)

    // The facilitator moves on: the agenda shows the new phase.
    const beforePhase = renders()
    await act(async () => facilitationOf(doc).set(FacilitationKey.phaseIndex, 1))
    expect(phaseText()).toContain('Fase 2')
    expect(agendaBar.renders).toBeGreaterThan(beforePhase.agenda)
  })
})
