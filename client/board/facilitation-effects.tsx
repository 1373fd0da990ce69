/**
 * What facilitation does to everyone's view: a new phase or "bring everyone here" moves the
 * participants' cameras; while a facilitator presents, participants follow their view (until
 * they move away themselves). The facilitators' own views are left alone.
 */
import { useContext, useEffect, useRef } from 'react'
import { createUserId, useEditor, type TLShapeId, type TLUserId } from 'tldraw'
import { BoardChromeContext } from './board-header.tsx'

export function FacilitationEffects() {
  const editor = useEditor()
  const chrome = useContext(BoardChromeContext)
  const f = chrome?.facilitation
  const follows = chrome?.role !== 'facilitator'
  const seen = useRef<{ phase?: number; summon?: string; presenter?: string | null }>({})

  useEffect(() => {
    if (!f) return
    const first = seen.current.phase === undefined
    const phaseChanged = !first && seen.current.phase !== f.phaseIndex
    const summoned = !first && f.summon && seen.current.summon !== f.summon.nonce
    seen.current.phase = f.phaseIndex
    seen.current.summon = f.summon?.nonce
    if (!follows || f.presenter) return
    if (summoned && f.summon) {
      const { x, y, w, h } = f.summon.bounds
      editor.zoomToBounds({ x, y, w, h } as never, { inset: 0, animation: { duration: 400 } })
    } else if (phaseChanged) {
      const frameId = f.agenda[f.phaseIndex]?.frameId
      const bounds = frameId ? editor.getShapePageBounds(frameId as TLShapeId) : undefined
      if (bounds) editor.zoomToBounds(bounds, { inset: 60, animation: { duration: 400 } })
    }
  }, [editor, f, follows])

  useEffect(() => {
    if (!f || !follows) return
    const me = chrome ? createUserId(chrome.identity.id) : null
    if (f.presenter && f.presenter !== me && seen.current.presenter !== f.presenter) editor.startFollowingUser(f.presenter as TLUserId)
    if (!f.presenter && seen.current.presenter) editor.stopFollowingUser()
    seen.current.presenter = f.presenter
  }, [editor, f, follows, chrome])

  return null
}
