// @vitest-environment jsdom
/**
 * Presence sending, headless (a tldraw Editor in jsdom, a plain Awareness): cursor moves are
 * published at most at the throttle's rate — 4× a second in crowd mode — and not at all while
 * nothing moves.
 */
import '../helpers/jsdom-gaps.ts'
import { describe, expect, it } from 'vitest'
import { atom, createUserId, type Editor, UserRecordType, type TLUser } from 'tldraw'
import * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'
import { bindPresence, PRESENCE_FIELD } from '../../shared/presence-binding.ts'
import { waitFor } from '../helpers/wait.ts'
import { headlessEditor } from '../helpers/headless-editor.ts'

function setup(throttleMs: () => number) {
  const { store, editor } = headlessEditor()
  const awareness = new Awareness(new Y.Doc())
  const user = atom<TLUser | null>('user', UserRecordType.create({ id: createUserId('anna'), name: 'Anna', color: '#c2410c' }))
  const sent: number[] = []
  awareness.on('change', ({ updated, added }: { updated: number[]; added: number[] }) => {
    if ([...updated, ...added].includes(awareness.clientID) && awareness.getLocalState()?.[PRESENCE_FIELD]) sent.push(Date.now())
  })
  const stop = bindPresence(store, awareness, user, { throttleMs })
  return { editor, sent, stop }
}

const moveFor = async (editor: Editor, ms: number) => {
  const end = Date.now() + ms
  for (let i = 0; Date.now() < end; i++) {
    editor.updateInstanceState({ isFocusMode: false })
    editor.store.put([{ ...(editor.store.get('pointer:pointer' as never) as unknown as object), x: i, y: i } as never])
    // One move per frame: the rate of moves is what the throttle is tested against.
    await new Promise((resolve) => setTimeout(resolve, 16))
  }
}

describe('presence sending', () => {
  it('sends a moving cursor at 20 Hz normally, 4 Hz in crowd mode, and nothing while it rests', async () => {
    let crowded = false
    const { editor, sent, stop } = setup(() => (crowded ? 250 : 50))
    await moveFor(editor, 1_000)
    const normal = sent.length
    expect(normal).toBeLessThanOrEqual(22) // the throttle, whatever the machine's speed

    crowded = true
    sent.length = 0
    await moveFor(editor, 1_000)
    expect(sent.length).toBeGreaterThanOrEqual(2)
    expect(sent.length).toBeLessThanOrEqual(5)
    expect(normal).toBeGreaterThan(sent.length * 2)

    // The last throttled move still goes out (up to 250 ms later, more on a busy machine); then silence.
    while (Date.now() - (sent.at(-1) ?? 0) < 400) await new Promise((resolve) => setTimeout(resolve, 50))
    sent.length = 0
    // The quiet itself is under test: sending is synchronous here (Awareness fires 'change' at
    // once), so only a timer of the binding could send, and 600 ms is more than two throttles.
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(sent).toEqual([])
    // And the binding still sends: one move after the rest goes out at once.
    editor.store.put([{ ...(editor.store.get('pointer:pointer' as never) as unknown as object), x: -1, y: -1 } as never])
    await waitFor(() => sent.length > 0, { timeout: 1_000, what: 'the move after the rest' })
    expect(sent.length).toBe(1)
    stop()
    editor.dispose()
  })
})
