import * as encoding from 'lib0/encoding'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCode, CloseReason, MessageType, SyncMessageType } from '../../shared/protocol.ts'
import { makeClient, openRaw } from '../helpers/client.ts'
import { startServer } from '../helpers/server.ts'
import { honestBoard } from '../helpers/honest-board.ts'
import { syncUpdateFrame } from '../helpers/frames.ts'

function realUpdate(): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('records').set('shape:evil', { id: 'shape:evil', text: 'x'.repeat(200) })
  return Y.encodeStateAsUpdate(doc)
}

const truncated = () => {
  const frame = syncUpdateFrame(realUpdate())
  return frame.slice(0, frame.length - 40)
}
const lyingLength = () => {
  // Claims a 1 MB update but carries 10 bytes (the bytes after it in a pooled Buffer must not be read).
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.sync)
  encoding.writeVarUint(e, SyncMessageType.update)
  encoding.writeVarUint(e, 1_000_000)
  encoding.writeUint8Array(e, new Uint8Array(10))
  return encoding.toUint8Array(e)
}
const corruptUpdate = () => {
  const update = realUpdate()
  update.fill(0xff, 5, 30)
  return syncUpdateFrame(update)
}
const unknownType = () => new Uint8Array([7, 1, 2, 3])
const trailing = () => {
  const frame = syncUpdateFrame(realUpdate())
  return new Uint8Array([...frame, 1, 2, 3])
}

const cases: { name: string; send: () => string | Uint8Array; code: number }[] = [
  { name: 'a text frame', send: () => 'hello', code: CloseCode.unsupportedData },
  { name: 'random bytes', send: () => new Uint8Array([0, 9, ...randomBytes(64)]), code: CloseCode.unknownMessageType },
  { name: 'a truncated update', send: truncated, code: CloseCode.malformedMessage },
  { name: 'a length prefix longer than the frame', send: lyingLength, code: CloseCode.malformedMessage },
  { name: 'a corrupted update', send: corruptUpdate, code: CloseCode.malformedMessage },
  { name: 'an unknown message type', send: unknownType, code: CloseCode.unknownMessageType },
  { name: 'trailing bytes after a message', send: trailing, code: CloseCode.malformedMessage },
  { name: 'an empty frame', send: () => new Uint8Array(0), code: CloseCode.malformedMessage },
  { name: 'a 50 MB frame', send: () => new Uint8Array(50 * 1024 * 1024), code: CloseCode.messageTooBig },
]

describe('bad input closes only the offending connection', () => {
  for (const { name, send, code } of cases) {
    it(`${name} → close ${code}; the board and its other clients carry on`, async () => {
      const server = await startServer()
      const board = `bad-${code}`
      const { honest, carriesOn } = await honestBoard(server, board)

      const raw = await openRaw(`${server.wsUrl}/${board}`)
      raw.ws.send(send())
      const closed = await raw.closed
      expect(closed.code).toBe(code)
      // A malformed change's reason goes on to say what was wrong with it.
      if (code !== CloseCode.messageTooBig) expect(closed.reason.startsWith(CloseReason[code as CloseCode])).toBe(true)
      expect(server.log.lines.some((l) => l.includes(`code=${code}`) || (code === CloseCode.messageTooBig && l.includes('Max payload')))).toBe(true)

      // Nothing of the bad frame was stored or relayed; the honest client still edits and a newcomer sees it.
      expect(honest.records.has('shape:evil')).toBe(false)
      await carriesOn()
    })
  }

  it('refuses an invalid board id at the upgrade with 400', async () => {
    const server = await startServer()
    await expect(openRaw(`${server.wsUrl}/bad%20id!`)).rejects.toThrow(/400/)
    await expect(openRaw(`ws://127.0.0.1:${server.port}/elsewhere`)).rejects.toThrow(/400/)
  })

  it('stock clients stop reconnecting after a permanent refusal', async () => {
    const server = await startServer()
    const client = makeClient(server.wsUrl, 'perm')
    await client.synced()
    const closed = new Promise<{ code: number }>((resolve) => client.provider.once('closed', (event) => resolve(event)))
    client.provider.ws!.send(new Uint8Array([9]))
    expect((await closed).code).toBe(CloseCode.unknownMessageType)
    expect(client.provider.shouldConnect).toBe(false)
  })
})
