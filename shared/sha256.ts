/**
 * SHA-256 of a UTF-8 string, as hex. @noble/hashes (audited, no dependencies) rather than the
 * browser's `crypto.subtle`, which exists only in secure contexts: a venue may serve the board
 * over plain HTTP on a local address.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)))
}
