/** Who may do what on a board. The server enforces it; the client only mirrors it in the UI. */

export const ROLES = ['facilitator', 'participant', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value)

/** The shape meta key a facilitator sets to lock a shape or frame against participants. */
export const FACILITATOR_LOCK = 'facilitatorLock'

/** How long a link stays valid. A conference and its follow-up meetings fit in it. */
export const LINK_LIFETIME_DAYS = 400

export function canEdit(role: Role): boolean {
  return role !== 'viewer'
}

export function boardLink(boardId: string, token: string): string {
  return `/b/${boardId}?token=${encodeURIComponent(token)}`
}
