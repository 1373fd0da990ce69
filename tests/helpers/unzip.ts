/** Reads a zip file's entries with fflate, to check what the server wrote (the archive test also runs `unzip -t`). */
import { unzipSync } from 'fflate'

export function unzip(file: Buffer): Map<string, Buffer> {
  return new Map(Object.entries(unzipSync(new Uint8Array(file))).map(([name, data]) => [name, Buffer.from(data)]))
}
