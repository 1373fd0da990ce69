/** Board ids: short, URL-safe, unambiguous when read aloud or typed from paper. */

const ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz'
const GENERATED_LENGTH = 10
const BOARD_ID = /^[A-Za-z0-9_-]{4,64}$/

export type BoardId = string & { readonly __brand: 'BoardId' }

export function newBoardId(): BoardId {
  const bytes = crypto.getRandomValues(new Uint8Array(GENERATED_LENGTH))
  let id = ''
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length]
  return id as BoardId
}

/** Returns the id when valid, or null: 4–64 characters of letters, digits, `-` and `_`. */
export function parseBoardId(raw: string): BoardId | null {
  return BOARD_ID.test(raw) ? (raw as BoardId) : null
}

export const BOARD_ID_RULE = '4–64 characters: letters, digits, - and _'
