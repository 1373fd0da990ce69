/** Who this browser is on boards: a stable id, a display name and a colour, kept in localStorage. */

export interface Identity {
  id: string
  name: string
  color: string
  /** The stakeholder group this person represents ('' when none). */
  groupId: string
  /** Organisation, for signing up on action lines ('' when none). */
  organisation: string
}

const STORAGE_KEY = 'board.identity'
export const MAX_NAME_LENGTH = 60

/** Distinct, readable cursor colours. */
const COLORS = ['#e03131', '#1971c2', '#2f9e44', '#f08c00', '#9c36b5', '#0c8599', '#e8590c', '#5f3dc4', '#c2255c', '#66a80f']

export function loadIdentity(): Identity | null {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Identity> | null
    if (value && typeof value.id === 'string' && typeof value.name === 'string' && value.name.trim() && typeof value.color === 'string') {
      return { groupId: '', organisation: '', ...value } as Identity
    }
  } catch {
    // A corrupt entry is treated as no identity: the user is asked for a name again.
  }
  return null
}

export function saveIdentity(name: string, groupId: string, organisation: string, previous: Identity | null = loadIdentity()): Identity {
  const id = previous?.id ?? crypto.randomUUID()
  const color = previous?.color ?? COLORS[crypto.getRandomValues(new Uint8Array(1))[0]! % COLORS.length]!
  const identity = { id, name: name.trim().slice(0, MAX_NAME_LENGTH), color, groupId, organisation: organisation.trim().slice(0, 160) }
  localStorage.setItem(STORAGE_KEY, JSON.stringify(identity))
  return identity
}

const MEMBER_KEY = 'board.memberKey'

/**
 * A secret of this browser (64 hex characters). It goes to the server with each board connection
 * (use-board-connection.ts), which derives its SHA-256: the owner of this browser's cards, the
 * voter, the hash its presence shows — so a facilitator can name this browser co-facilitator, and
 * only the browser holding the key can then claim the facilitator link.
 */
export function memberKey(): string {
  const existing = localStorage.getItem(MEMBER_KEY)
  if (existing && /^[0-9a-f]{64}$/.test(existing)) return existing
  const key = [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('')
  localStorage.setItem(MEMBER_KEY, key)
  return key
}
