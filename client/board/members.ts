/**
 * Who is on the board, through awareness: each client publishes a `member` field (name, role,
 * stakeholder group, raised hand). Display only; rights come from the server-checked token.
 */
import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import type { Role } from '../../shared/roles.ts'

export interface Member {
  clientId: number
  userId: string
  name: string
  role: Role
  groupId: string
  hand: boolean
  /** SHA-256 of the browser's member key (identity.ts), for making someone co-facilitator. */
  keyHash: string
}

export const MEMBER_FIELD = 'member'

export function publishMember(awareness: Awareness, member: Omit<Member, 'clientId'>): void {
  awareness.setLocalStateField(MEMBER_FIELD, member)
}

export function useMembers(awareness: Awareness | null): Member[] {
  const [members, setMembers] = useState<Member[]>([])
  useEffect(() => {
    if (!awareness) return
    let lastKey = ''
    const read = () => {
      const list: Member[] = []
      awareness.getStates().forEach((state, clientId) => {
        const m = state?.[MEMBER_FIELD] as Partial<Member> | undefined
        if (m && typeof m.name === 'string' && typeof m.userId === 'string') {
          list.push({
            clientId,
            userId: m.userId,
            name: m.name,
            role: m.role ?? 'participant',
            groupId: m.groupId ?? '',
            hand: m.hand === true,
            keyHash: typeof m.keyHash === 'string' ? m.keyHash : '',
          })
        }
      })
      // One entry per person (several tabs), hands first, then by name.
      const unique = [...new Map(list.map((m) => [m.userId, m])).values()]
      const next = unique.sort((a, b) => Number(b.hand) - Number(a.hand) || a.name.localeCompare(b.name))
      // Awareness changes with every cursor move of anyone; the list (and everything rendered
      // from it: header, agenda, vote bar) changes only when a member does.
      const key = JSON.stringify(next)
      if (key === lastKey) return
      lastKey = key
      setMembers(next)
    }
    read()
    awareness.on('change', read)
    return () => awareness.off('change', read)
  }, [awareness])
  return members
}
