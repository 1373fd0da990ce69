/** Reads a zip file's entries (deflate or stored), to check archives without an unzip binary. */
import { inflateRawSync } from 'node:zlib'

export function unzip(file: Buffer): Map<string, Buffer> {
  const end = file.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (end < 0) throw new Error('not a zip file: no end of central directory')
  const count = file.readUInt16LE(end + 10)
  let at = file.readUInt32LE(end + 16)
  const entries = new Map<string, Buffer>()
  for (let i = 0; i < count; i++) {
    if (file.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`)
    const method = file.readUInt16LE(at + 10)
    const packedSize = file.readUInt32LE(at + 20)
    const nameLength = file.readUInt16LE(at + 28)
    const extraLength = file.readUInt16LE(at + 30)
    const commentLength = file.readUInt16LE(at + 32)
    const localAt = file.readUInt32LE(at + 42)
    const name = file.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    const dataAt = localAt + 30 + file.readUInt16LE(localAt + 26) + file.readUInt16LE(localAt + 28)
    const packed = file.subarray(dataAt, dataAt + packedSize)
    entries.set(name, method === 8 ? inflateRawSync(packed) : Buffer.from(packed))
    at += 46 + nameLength + extraLength + commentLength
  }
  return entries
}
