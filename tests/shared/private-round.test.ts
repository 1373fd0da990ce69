// @vitest-environment jsdom
import '../helpers/jsdom-gaps.ts'
import { describe, expect, it } from 'vitest'
import { createShapeId, type Editor, toRichText, type TLShapeId } from 'tldraw'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/board-id.ts'
import { isPrivateRecord, roundFrames, tagIfPrivate, toPublish, type PrivateRound } from '../../shared/private-round.ts'
import { makeClient } from '../helpers/client.ts'
import { onCleanup, startServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'
import { boundEditor } from '../helpers/headless-editor.ts'

async function editorOn(wsUrl: string, board: string) {
  const client = makeClient(wsUrl, board, { role: 'participant' })
  await client.synced()
  const { editor, dispose } = boundEditor(client.doc, { binding: { isLocalOnly: isPrivateRecord } })
  onCleanup(dispose)
  return { client, editor }
}

const note = (editor: Editor, text: string, meta: Record<string, unknown> = {}) => {
  const id = createShapeId()
  editor.createShape({ id, type: 'note', x: 0, y: 0, meta: meta as never, props: { richText: toRichText(text) } })
  return id
}

describe('private rounds', () => {
  it("notes written in a private round stay in their author's browser until the reveal, then everyone has them", async () => {
    const { wsUrl, server, storage } = await startServer()
    const anna = await editorOn(wsUrl, 'private')
    const bram = await editorOn(wsUrl, 'private')
    const round: PrivateRound = { id: 'round-1', frameId: 'shape:frame', open: true }

    const secret = note(anna.editor, 'Wat ik eigenlijk denk', tagIfPrivate({}, round, true))
    const open = note(anna.editor, 'Dit mag iedereen zien', tagIfPrivate({}, round, false))
    await waitFor(() => bram.editor.getShape(open) !== undefined, { what: 'the public note at Bram' })
    expect(anna.editor.getShape(secret)).toBeDefined()
    expect(bram.editor.getShape(secret)).toBeUndefined()
    const late = makeClient(wsUrl, 'private')
    await late.synced()
    expect(late.records.has(secret)).toBe(false)
    await server.rooms.get('private' as BoardId)!.flush()
    const stored = new Y.Doc()
    for (const u of await storage.log.load('private' as BoardId)) Y.applyUpdate(stored, u)
    expect(stored.getMap('records').has(secret)).toBe(false)
    expect(stored.getMap('records').has(open)).toBe(true)

    // Still open: nothing to publish. Revealed (closed): each browser drops the tag from its own notes.
    expect(toPublish(anna.editor.store.allRecords(), round)).toEqual([])
    const revealed = toPublish(anna.editor.store.allRecords(), { ...round, open: false })
    expect(revealed.map((r) => r.id)).toEqual([secret])
    anna.editor.store.put(revealed)
    await waitFor(() => bram.editor.getShape(secret as TLShapeId) !== undefined, { what: 'the revealed note at Bram' })
    expect(bram.editor.getShape(secret)!.meta).toEqual({})
  })
})

describe('arrows in a private round', () => {
  it("a binding to or from a private shape stays in its author's browser with it, and goes with it at the reveal", async () => {
    // Only shapes carried the private tag: an arrow drawn from a private note to a card of the
    // board sent its binding to the server at once, bound to a note nobody else had; every other
    // browser dropped it (tldraw keeps no binding to a missing shape) and never took it back.
    const { wsUrl } = await startServer()
    const anna = await editorOn(wsUrl, 'private-arrows')
    const bram = await editorOn(wsUrl, 'private-arrows')
    const round: PrivateRound = { id: 'round-1', frameId: 'shape:frame', open: true }
    const card = note(anna.editor, 'Een kaart van iedereen')
    const secret = note(anna.editor, 'Wat ik eigenlijk denk', tagIfPrivate({}, round, true))
    const arrow = createShapeId()
    anna.editor.createShape({ id: arrow, type: 'arrow', x: 0, y: 0, meta: tagIfPrivate({}, round, true) as never })
    const bindings = [
      { from: arrow, to: card, terminal: 'end' },
      { from: arrow, to: secret, terminal: 'start' },
    ] as const
    for (const b of bindings) {
      anna.editor.createBinding({
        type: 'arrow',
        fromId: b.from,
        toId: b.to,
        props: { terminal: b.terminal, normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false },
      })
    }
    const annaBindings = () =>
      anna.editor.store
        .allRecords()
        .filter((r) => r.typeName === 'binding')
        .map((r) => r.id)
        .sort()
    expect(annaBindings()).toHaveLength(2)
    await waitFor(() => bram.editor.getShape(card) !== undefined, { what: 'the public card at Bram' })
    // What the server relays: the card, not the arrow, not its bindings.
    const late = makeClient(wsUrl, 'private-arrows')
    await late.synced()
    expect([...late.records.keys()].filter((id) => id.startsWith('binding:'))).toEqual([])
    expect(late.records.has(arrow)).toBe(false)

    anna.editor.store.put(toPublish(anna.editor.store.allRecords(), { ...round, open: false }))
    await waitFor(() => bram.editor.store.allRecords().filter((r) => r.typeName === 'binding').length === 2, { what: "the arrow's bindings at Bram" })
    expect(
      bram.editor.store
        .allRecords()
        .filter((r) => r.typeName === 'binding')
        .map((r) => r.id)
        .sort(),
    ).toEqual(annaBindings())
    await waitFor(() => [...late.records.keys()].filter((id) => id.startsWith('binding:')).length === 2, { what: 'the bindings on the server' })
  })
})

describe('what a browser publishes', () => {
  const shape = (id: string, meta: Record<string, unknown>) => ({ id, typeName: 'shape', meta })
  const open: PrivateRound = { id: 'r2', frameId: 'shape:f', open: true }

  it("keeps the open round's notes, publishes notes of any earlier or closed round, leaves the rest alone", () => {
    const records = [
      shape('a', { privateRound: 'r2', colour: 'geel' }),
      shape('b', { privateRound: 'r1' }),
      shape('c', {}),
      { id: 'page:p', typeName: 'page', meta: { privateRound: 'r2' } },
    ]
    expect(toPublish(records, open).map((r) => r.id)).toEqual(['b'])
    expect(toPublish(records, { ...open, open: false })).toEqual([shape('a', { colour: 'geel' }), shape('b', {})])
    expect(toPublish(records, null).map((r) => r.id)).toEqual(['a', 'b'])
  })

  it('tags only what lands in the frame of an open round', () => {
    expect(tagIfPrivate({ x: 1 }, open, true)).toEqual({ x: 1, privateRound: 'r2' })
    expect(tagIfPrivate({ x: 1 }, open, false)).toEqual({ x: 1 })
    expect(tagIfPrivate({ x: 1 }, { ...open, open: false }, true)).toEqual({ x: 1 })
    expect(tagIfPrivate({ x: 1 }, null, true)).toEqual({ x: 1 })
  })

  it("covers the round's frame and the group frames of its phase, not those of another phase", () => {
    const frame = (id: string, meta: Record<string, unknown>) => ({ id, type: 'frame', meta })
    const shapes = [
      frame('shape:f', { phase: 'future' }),
      frame('shape:g1', { groupFrame: true, groupPhase: 'future', groupPhaseFrame: 'shape:f', members: ['Piet'] }),
      frame('shape:g2', { groupFrame: true, groupPhase: 'future', groupPhaseFrame: 'shape:other', members: ['Pam'] }),
      // Made before group frames named their phase's frame: matched by the phase's id.
      frame('shape:old', { groupFrame: true, groupPhase: 'future', members: [] }),
      frame('shape:old-trends', { groupFrame: true, groupPhase: 'trends', members: [] }),
      frame('shape:park', { parkingLot: true }),
    ]
    expect(roundFrames(open, shapes)).toEqual(['shape:f', 'shape:g1', 'shape:old'])
    expect(roundFrames({ ...open, frameId: 'shape:gone' }, shapes)).toEqual(['shape:gone'])
    expect(roundFrames({ ...open, frameId: 'shape:g1' }, shapes)).toEqual(['shape:g1'])
    expect(roundFrames({ ...open, frameId: 'shape:f', open: false }, shapes)).toEqual([])
    expect(roundFrames(null, shapes)).toEqual([])
  })
})
