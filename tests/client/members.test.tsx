// @vitest-environment jsdom
/**
 * The member list changes only when a member does — not with every cursor move of anyone (which
 * re-rendered the header and made the vote bar ask the server again, once per move).
 */
import { act } from 'react'
import { createRoot } from 'react-dom/client'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import { MEMBER_FIELD, useMembers } from '../../client/board/members.ts'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

describe('useMembers', () => {
  it('renders again for a new member or a raised hand, not for a cursor move', async () => {
    const mine = new Awareness(new Y.Doc())
    const peer = new Awareness(new Y.Doc())
    const relay = () => applyAwarenessUpdate(mine, encodeAwarenessUpdate(peer, [peer.clientID]), 'test')
    let renders = 0
    let names: string[] = []
    function List() {
      const members = useMembers(mine)
      renders++
      names = members.map((m) => `${m.name}${m.hand ? ' ✋' : ''}`)
      return null
    }
    const root = createRoot(document.createElement('div'))
    await act(async () => root.render(<List />))
    const member = { userId: 'u1', name: 'Bram', role: 'participant', groupId: '', hand: false, keyHash: '' }
    await act(async () => {
      peer.setLocalState({ [MEMBER_FIELD]: member, presence: { cursor: { x: 0, y: 0 } } })
      relay()
    })
    expect(names).toEqual(['Bram'])
    const before = renders
    for (let i = 1; i <= 20; i++) {
      await act(async () => {
        peer.setLocalStateField('presence', { cursor: { x: i, y: i } })
        relay()
      })
    }
    expect(renders).toBe(before)
    await act(async () => {
      peer.setLocalStateField(MEMBER_FIELD, { ...member, hand: true })
      relay()
    })
    expect(names).toEqual(['Bram ✋'])
    expect(renders).toBe(before + 1)
    await act(async () => root.unmount())
  })
})
