/**
 * Max-mix: split people into mixed groups so that group sizes differ by at most one and every
 * stakeholder group is spread as evenly as possible (its members per mixed group differ by at
 * most one). People are ordered by stakeholder group and dealt round-robin, continuing the deal
 * from one stakeholder group to the next.
 */

export interface Member {
  id: string
  groupId: string
}

export function maxMix(people: readonly Member[], groupCount: number): string[][] {
  const k = Math.max(1, Math.min(Math.floor(groupCount), people.length || 1))
  const byGroup = new Map<string, Member[]>()
  for (const p of people) byGroup.set(p.groupId, [...(byGroup.get(p.groupId) ?? []), p])
  // Larger stakeholder groups first, so the remainders of small groups fill the gaps.
  const ordered = [...byGroup.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0])).flatMap(([, members]) => members)
  const groups: string[][] = Array.from({ length: k }, () => [])
  ordered.forEach((p, i) => groups[i % k]!.push(p.id))
  return groups
}
