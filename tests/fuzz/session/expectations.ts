/**
 * Promises an action checks right after it acted: a card lands where it was sent, and a card
 * written in an open private round stays private. Broken ones become the step's findings.
 */
import type { Page } from 'playwright-core'
import type { Editor } from 'tldraw'
import { facilitationOf, readFacilitation } from '../../../shared/facilitation.ts'
import type { Actor } from './cast.ts'
import type { World } from './world.ts'

type TestWindow = { __boardTest?: { editor?: Editor } }

/** Where a shape's centre lies: the smallest frame or era column around it (as the report reads it). */
async function containerOf(page: Page, shapeId: string): Promise<{ id: string; name: string } | null> {
  return page.evaluate((id) => {
    const editor = (window as unknown as TestWindow).__boardTest?.editor
    const box = editor?.getShapePageBounds(id as never)
    if (!editor || !box) return null
    let best: { id: string; name: string; size: number } | null = null
    for (const s of editor.getCurrentPageShapes()) {
      if (s.type !== 'frame' && s.type !== 'era') continue
      const b = editor.getShapePageBounds(s)
      if (!b || !b.containsPoint(box.center) || s.id === id) continue
      const props = s.props as { name?: string; title?: string }
      if (!best || b.w * b.h < best.size) best = { id: s.id, name: props.name ?? props.title ?? '', size: b.w * b.h }
    }
    return best && { id: best.id, name: best.name }
  }, shapeId)
}

/** A card's id made from its text (the phone's view opens no form to read it from). */
export async function cardWithText(page: Page, text: string): Promise<string | null> {
  return page.evaluate((wanted) => {
    const editor = (window as unknown as TestWindow).__boardTest?.editor
    return editor?.getCurrentPageShapes().find((s) => (s.props as { text?: unknown }).text === wanted)?.id ?? null
  }, text)
}

/** The card landed where it was sent, or a finding says where it went instead. */
export async function checkDestination(world: World, actor: Actor, cardId: string, wanted: { id: string; label: string }, what: string) {
  const landed = await containerOf(actor.page, cardId)
  if (landed?.id !== wanted.id) {
    world.findings.push(
      `${actor.name}'s ${what} ${cardId} was sent to "${wanted.label}" (${wanted.id}) but its centre lies in ${landed ? `"${landed.name}" (${landed.id})` : 'no frame at all'}`,
    )
  }
}

/**
 * A card written while a private round is open, in the round's frame (or a max-mix group frame
 * of its phase) — where it was clicked into being, or where the panel put it — stays private:
 * tagged on its writer's page (the checks then see it stays off the server until the reveal).
 * The round is read from the server's document.
 */
export async function checkPrivacy(world: World, actor: Actor, cardId: string, clickedAt?: { x: number; y: number }) {
  const round = readFacilitation(facilitationOf(world.mirror.doc)).privateRound
  // Only when this page knows the round is open (its banner is there): an offline page cannot.
  if (!round?.open || actor.role === 'viewer' || (await actor.page.getByTestId('private-round').count()) === 0) return
  const seen = await actor.page.evaluate(
    ([id, frameId, clicked]) => {
      const editor = (window as unknown as TestWindow).__boardTest?.editor
      if (!editor) return null
      const card = editor.getShape(id as never)
      const frame = editor.getShape(frameId as never)
      // Where it was written: the click that made it (tldraw's tools), else the card's centre.
      const centre = clicked ? editor.screenToPage(clicked) : card && editor.getShapePageBounds(card)?.center
      if (!card || !frame || !centre) return null
      const phase = frame.meta.phase
      const inside = editor
        .getCurrentPageShapes()
        .filter((s) => s.id === frame.id || (s.type === 'frame' && s.meta.groupFrame === true && phase !== undefined && s.meta.groupPhase === phase))
      const box = (b: { x: number; y: number; w: number; h: number } | undefined) =>
        b ? `${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.w)}×${Math.round(b.h)}` : '?'
      return {
        inRound: inside.some((s) => editor.getShapePageBounds(s)?.containsPoint(centre)),
        tagged: typeof card.meta.privateRound === 'string',
        where: `${card.type} at ${Math.round(card.x)},${Math.round(card.y)} (bounds ${box(editor.getShapePageBounds(card))}, parent ${card.parentId}); frame bounds ${box(editor.getShapePageBounds(frame))}`,
      }
    },
    [cardId, round.frameId, clickedAt ?? null] as const,
  )
  if (seen?.inRound && !seen.tagged)
    world.findings.push(
      `${actor.name}'s card ${cardId} was written in the open private round's frame (${round.frameId}) but is not private: everyone gets it now — ${seen.where}`,
    )
}
