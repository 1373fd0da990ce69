/**
 * Decodes what clients send (y-websocket framing) into typed messages, or refuses with a
 * ProtocolError carrying the close code. Encoders for what the server sends are here too.
 * Everything past this module trusts its input.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { CloseCode, Limits, MessageType, SyncMessageType } from '../../shared/protocol.ts'

/** A Yjs update taken apart once, at the edge; the update policy judges it from this. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>

export type ClientMessage =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'sync-step2'; update: Uint8Array; decoded: DecodedUpdate }
  | { kind: 'sync-update'; update: Uint8Array; decoded: DecodedUpdate }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' }

export class ProtocolError extends Error {
  readonly code: CloseCode
  readonly detail: string
  constructor(code: CloseCode, detail: string) {
    super(detail)
    this.code = code
    this.detail = detail
  }
}

function malformed(detail: string): never {
  throw new ProtocolError(CloseCode.malformedMessage, detail)
}

function readUint(decoder: decoding.Decoder, what: string): number {
  try {
    return decoding.readVarUint(decoder)
  } catch {
    malformed(`truncated ${what}`)
  }
}

/** A length-prefixed byte array, bounds-checked against the frame (Buffers share pools). */
function readBytes(decoder: decoding.Decoder, what: string): Uint8Array {
  const length = readUint(decoder, `${what} length`)
  if (length > decoder.arr.length - decoder.pos) malformed(`truncated ${what}`)
  return decoding.readUint8Array(decoder, length)
}

function expectEnd(decoder: decoding.Decoder) {
  if (decoder.pos !== decoder.arr.length) malformed(`${decoder.arr.length - decoder.pos} trailing bytes`)
}

function decodeUpdate(update: Uint8Array): { update: Uint8Array; decoded: DecodedUpdate } {
  if (update.length > Limits.maxUpdateBytes)
    throw new ProtocolError(CloseCode.messageTooBig, `update of ${update.length} bytes; at most ${Limits.maxUpdateBytes}`)
  try {
    return { update, decoded: Y.decodeUpdate(update) }
  } catch (error) {
    malformed(`invalid Yjs update: ${(error as Error).message}`)
  }
}

export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  if (frame.length === 0) malformed('empty frame')
  const decoder = decoding.createDecoder(frame)
  const type = readUint(decoder, 'message type')
  let message: ClientMessage
  switch (type) {
    case MessageType.sync: {
      const syncType = readUint(decoder, 'sync message type')
      if (syncType === SyncMessageType.step1) {
        const stateVector = readBytes(decoder, 'state vector')
        try {
          Y.decodeStateVector(stateVector)
        } catch {
          malformed('invalid state vector')
        }
        message = { kind: 'sync-step1', stateVector }
      } else if (syncType === SyncMessageType.step2) {
        message = { kind: 'sync-step2', ...decodeUpdate(readBytes(decoder, 'update')) }
      } else if (syncType === SyncMessageType.update) {
        message = { kind: 'sync-update', ...decodeUpdate(readBytes(decoder, 'update')) }
      } else {
        throw new ProtocolError(CloseCode.unknownMessageType, `unknown sync message type ${syncType}`)
      }
      break
    }
    case MessageType.awareness:
      message = { kind: 'awareness', update: readBytes(decoder, 'awareness update') }
      break
    case MessageType.queryAwareness:
      message = { kind: 'query-awareness' }
      break
    default:
      throw new ProtocolError(CloseCode.unknownMessageType, `unknown message type ${type}`)
  }
  expectEnd(decoder)
  return message
}

function frame(type: MessageType, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return frame(MessageType.sync, (e) => {
    encoding.writeVarUint(e, SyncMessageType.step1)
    encoding.writeVarUint8Array(e, Y.encodeStateVector(doc))
  })
}

export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  return frame(MessageType.sync, (e) => {
    encoding.writeVarUint(e, SyncMessageType.step2)
    encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc, stateVector))
  })
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return frame(MessageType.sync, (e) => {
    encoding.writeVarUint(e, SyncMessageType.update)
    encoding.writeVarUint8Array(e, update)
  })
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  return frame(MessageType.awareness, (e) => encoding.writeVarUint8Array(e, update))
}
