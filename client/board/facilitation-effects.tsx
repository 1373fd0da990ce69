/**
 * What facilitation does to everyone's view: a new phase moves everyone to its frame (the
 * facilitator who moved on too); "bring everyone here" or a spotlight moves the participants' cameras; while a facilitator
 * presents, participants follow their view (until they move away themselves). A spotlight also
 * dims everything but its frame, for everyone.
 */
import { useEffect, useRef } from 'react'
import { createUserId, useEditor, useValue, type TLShapeId, type TLUserId } from 'tldraw'
import { useBoard, useFacilitationInfo } from './board-context.tsx'
import { showFrame } from './show-frame.ts'

export function FacilitationEffects() {
  const editor = useEditor()
  const { role, identity } = useBoard()
  const f = useFacilitationInfo().facilitation
  const follows = role !== 'facilitator'
  const seen = useRef<{ phase?: number; summon?: string; presenter?: string | null; spotlight?: string }>({})

  useEffect(() => {
    if (!f) return
    const first = seen.current.phase === undefined
    const phaseChanged = !first && seen.current.phase !== f.phaseIndex
    const summoned = !first && f.summon && seen.current.summon !== f.summon.nonce
    seen.current.phase = f.phaseIndex
    const spotlit = !first && f.spotlight && seen.current.spotlight !== f.spotlight.nonce
    seen.current.summon = f.summon?.nonce
    seen.current.spotlight = f.spotlight?.nonce
    // (Arriving is the canvas's job: board-canvas.tsx showCurrentPhase.) A new phase moves everyone.
    if (phaseChanged && !(follows && f.presenter)) {
      const frameId = f.agenda[f.phaseIndex]?.frameId
      const bounds = frameId ? editor.getShapePageBounds(frameId as TLShapeId) : undefined
      if (bounds) showFrame(editor, bounds)
      return
    }
    if (!follows || f.presenter) return
    const spotBounds = spotlit && f.spotlight ? editor.getShapePageBounds(f.spotlight.frameId as TLShapeId) : undefined
    if (spotBounds) {
      showFrame(editor, spotBounds)
    } else if (summoned && f.summon) {
      const { x, y, w, h } = f.summon.bounds
      editor.zoomToBounds({ x, y, w, h } as never, { inset: 0, animation: { duration: 400 } })
    }
  }, [editor, f, follows])

  useEffect(() => {
    if (!f || !follows) return
    const me = createUserId(identity.id)
    if (f.presenter && f.presenter !== me && seen.current.presenter !== f.presenter) editor.startFollowingUser(f.presenter as TLUserId)
    if (!f.presenter && seen.current.presenter) editor.stopFollowingUser()
    seen.current.presenter = f.presenter
  }, [editor, f, follows, identity.id])

  return f?.spotlight ? <SpotlightShade frameId={f.spotlight.frameId as TLShapeId} /> : null
}

/** Four dark panels around the spotlit frame, in viewport coordinates; clicks pass through. */
function SpotlightShade({ frameId }: { frameId: TLShapeId }) {
  const editor = useEditor()
  const hole = useValue('spotlight', () => {
    const bounds = editor.getShapePageBounds(frameId)
    if (!bounds) return null
    const a = editor.pageToViewport(bounds.point)
    const b = editor.pageToViewport({ x: bounds.maxX, y: bounds.maxY })
    return { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y }
  }, [editor, frameId])
  if (!hole) return null
  const panels = [
    { left: 0, top: 0, width: '100%', height: Math.max(0, hole.y) },
    { left: 0, top: hole.y + hole.h, width: '100%', bottom: 0 },
    { left: 0, top: hole.y, width: Math.max(0, hole.x), height: hole.h },
    { left: hole.x + hole.w, top: hole.y, right: 0, height: hole.h },
  ]
  return (
    <div className="spotlight-shade" data-testid="spotlight" aria-hidden="true">
      {panels.map((style, i) => (
        <div key={i} style={style} />
      ))}
    </div>
  )
}
