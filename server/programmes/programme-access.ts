/**
 * Who holds which programme link. A programme's links are ordinary signed tokens
 * (server/policy/tokens.ts) for a pseudo board id: `programme:<id>` as facilitator is the
 * aanjager's link, as viewer the public read link; `programme:<id>:line:<line>` as participant is
 * that line's trekker link.
 */
import { programmeScope, trekkerScope, type CreatedProgramme, type ProgrammeRole } from '../../shared/programme.ts'
import { HttpError } from '../http/http-error.ts'
import { claimedScope, type Tokens } from '../policy/tokens.ts'

/** The caller's role in a programme; a trekker's link says which line is theirs. */
export interface ProgrammeAccess {
  role: ProgrammeRole
  lineId?: string
}

export class ProgrammeLinks {
  private readonly tokens: Tokens

  constructor(tokens: Tokens) {
    this.tokens = tokens
  }

  /**
   * The caller's role from a token: the programme's links (aanjager, public), or a trekker's link
   * for one of its lines (which line it is, the token says). 401 without a token, 403 for a forged
   * one or another programme's.
   */
  roleOf(programmeId: string, token: string | null): ProgrammeAccess {
    if (!token) throw new HttpError(401, 'this programme needs a link: open it with the link you were given')
    const programme = this.tokens.verify(token, programmeScope(programmeId))
    if (programme.ok) return { role: programme.claims.role === 'facilitator' ? 'aanjager' : 'public' }
    const claimed = claimedScope(token)
    const prefix = trekkerScope(programmeId, '')
    if (claimed?.startsWith(prefix)) {
      const check = this.tokens.verify(token, claimed)
      if (check.ok && check.claims.role === 'participant') return { role: 'trekker', lineId: claimed.slice(prefix.length) }
    }
    throw new HttpError(403, `this link is not for this programme (${programme.reason})`)
  }

  /** The aanjager's link and the public read link. */
  programmeLinks(programmeId: string): CreatedProgramme['links'] {
    return {
      aanjager: `/p/${programmeId}?token=${this.tokens.sign(programmeScope(programmeId), 'facilitator')}`,
      public: `/p/${programmeId}?token=${this.tokens.sign(programmeScope(programmeId), 'viewer')}`,
    }
  }

  trekkerLink(programmeId: string, lineId: string): string {
    return `/p/${programmeId}?line=${encodeURIComponent(lineId)}&token=${this.tokens.sign(trekkerScope(programmeId, lineId), 'participant')}`
  }
}
