/**
 * Residents signing up to join an action line: the only personal data the vliegwiel keeps (a
 * name, a contact, an organisation, a group), so it is read and written here and nowhere else.
 * The rules, in one place:
 * - **Who may read the contact:** the aanjager (every line), a line's trekker (their own line's
 *   sign-ups), and the person themself through their own link (its key is stored only as a
 *   hash). The public link sees a count per line, and in the smoelenboek only the name,
 *   organisation and group of those who opted in — never a contact.
 * - **How long it is kept:** until the person (their own link) or the aanjager removes it; a
 *   removal deletes the record for good (the storage overwrites it on disk:
 *   tests/server/hostile/removed-signup.test.ts). There is no automatic expiry.
 * - **Access and portability:** the person's own link exports everything kept about them.
 * - **Bounds:** at most MAX_SIGNUPS_PER_LINE per line, so a public link cannot grow storage.
 * A wrong key gets 404, the same as a sign-up that does not exist: no hint that it does.
 */
import { randomBytes } from 'node:crypto'
import type { ActionLineSummary, SignedUp, SignUp, SignUpBody, SmoelenboekEntry } from '../../shared/programme.ts'
import { sha256Hex } from '../../shared/sha256.ts'
import { HttpError } from '../http/http-error.ts'
import type { Logger } from '../log.ts'
import type { Storage } from '../storage/storage.ts'
import type { ProgrammeAccess } from './programme-access.ts'
import type { ProgrammeRecords } from './programme-records.ts'

const MAX_SIGNUPS_PER_LINE = 1_000
const KIND = 'signup'

/** A sign-up as stored: with the hash of the key of the person's own link. */
interface StoredSignUp extends SignUp {
  keyHash: string
}
const publicSignUp = ({ keyHash: _k, ...signup }: StoredSignUp): SignUp => signup

export class SignUps {
  private readonly storage: Pick<Storage, 'records'>
  private readonly records: ProgrammeRecords
  private readonly log: Logger
  private readonly now: () => number

  constructor(storage: Pick<Storage, 'records'>, records: ProgrammeRecords, log: Logger, now: () => number) {
    this.storage = storage
    this.records = records
    this.log = log
    this.now = now
  }

  private async stored(programmeId: string): Promise<StoredSignUp[]> {
    return (await this.storage.records.list(programmeId, KIND)).map((r) => JSON.parse(r.json) as StoredSignUp)
  }

  /** A resident joins an action line: their own link (shown once) lets them see, export or remove it. */
  async signUp(programmeId: string, lineId: string, body: SignUpBody): Promise<SignedUp> {
    await this.records.line(programmeId, lineId)
    if ((await this.stored(programmeId)).filter((s) => s.lineId === lineId).length >= MAX_SIGNUPS_PER_LINE)
      throw new HttpError(409, `an action line takes at most ${MAX_SIGNUPS_PER_LINE} sign-ups through the platform`)
    const key = randomBytes(18).toString('base64url')
    const stored: StoredSignUp = {
      id: randomBytes(9)
        .toString('base64url')
        .replace(/[^A-Za-z0-9]/g, 'x'),
      lineId,
      name: body.name,
      contact: body.contact,
      organisation: body.organisation,
      group: body.group,
      smoelenboek: body.smoelenboek,
      at: this.now(),
      keyHash: sha256Hex(key),
    }
    await this.storage.records.insert(programmeId, KIND, stored.id, JSON.stringify(stored))
    this.log.info('sign-up for an action line', { programme: programmeId, line: lineId })
    return { signup: publicSignUp(stored), manageLink: `/p/${programmeId}?signup=${stored.id}&key=${key}` }
  }

  /** The sign-ups the caller may see with their contact: all for the aanjager, their own line's for a trekker. */
  async signUpsFor(programmeId: string, access: ProgrammeAccess): Promise<SignUp[]> {
    if (access.role === 'public') throw new HttpError(403, 'only the aanjager and trekkers see who signed up')
    const all = (await this.stored(programmeId)).map(publicSignUp)
    return access.role === 'aanjager' ? all : all.filter((s) => s.lineId === access.lineId)
  }

  /** A sign-up, for the person (their link's key) or the aanjager; 404 for anything else (no hint it exists). */
  async ownSignUp(programmeId: string, signupId: string, key: string | undefined, aanjager: boolean): Promise<SignUp> {
    const json = await this.storage.records.get(programmeId, KIND, signupId)
    const stored = json ? (JSON.parse(json) as StoredSignUp) : null
    if (!stored || (!aanjager && (!key || sha256Hex(key) !== stored.keyHash))) throw new HttpError(404, 'no such sign-up (or the link is not right)')
    return publicSignUp(stored)
  }

  /** Everything the programme keeps about the person behind a sign-up (their right of access). */
  async exportSignUp(
    programmeId: string,
    signupId: string,
    key: string | undefined,
    aanjager: boolean,
  ): Promise<{ signup: SignUp; line: { id: string; number: number; title: string }; programme: string }> {
    const signup = await this.ownSignUp(programmeId, signupId, key, aanjager)
    const line = await this.records.line(programmeId, signup.lineId)
    return { signup, line: { id: line.id, number: line.number, title: line.title }, programme: (await this.records.programme(programmeId)).name }
  }

  /** Removes a sign-up for good (the person's request, or the aanjager's on their behalf). */
  async deleteSignUp(programmeId: string, signupId: string, key: string | undefined, aanjager: boolean): Promise<void> {
    await this.ownSignUp(programmeId, signupId, key, aanjager)
    await this.storage.records.delete(programmeId, KIND, signupId)
    this.log.info('sign-up removed on request', { programme: programmeId })
  }

  /**
   * What anyone with a programme link may know of the sign-ups: how many per line, and the
   * smoelenboek (trekkers named on their lines and residents who opted in; never a contact).
   */
  async publicPart(programmeId: string): Promise<{ countOf: (lineId: string) => number; smoelenboek: (lines: ActionLineSummary[]) => SmoelenboekEntry[] }> {
    const signups = (await this.stored(programmeId)).map(publicSignUp)
    return {
      countOf: (lineId) => signups.filter((s) => s.lineId === lineId).length,
      smoelenboek: (lines) => smoelenboekOf(lines, signups),
    }
  }
}

/** Trekkers (named on their lines) and residents who opted in; never a contact detail. */
function smoelenboekOf(lines: ActionLineSummary[], signups: SignUp[]): SmoelenboekEntry[] {
  const people = new Map<string, SmoelenboekEntry>()
  const add = (name: string, organisation: string, group: string, role: SmoelenboekEntry['role'], line: ActionLineSummary) => {
    const key = `${role}|${name.toLowerCase()}|${organisation.toLowerCase()}`
    const entry = people.get(key) ?? { name, organisation, group, role, lines: [] }
    if (!entry.lines.some((l) => l.id === line.id)) entry.lines.push({ id: line.id, number: line.number, title: line.title })
    people.set(key, entry)
  }
  for (const line of lines) for (const t of line.trekkers) add(t.name, t.organisation, '', 'trekker', line)
  for (const s of signups) {
    const line = lines.find((l) => l.id === s.lineId)
    if (s.smoelenboek && line) add(s.name, s.organisation, s.group, 'betrokkene', line)
  }
  return [...people.values()].sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name, 'nl') : a.role === 'trekker' ? -1 : 1))
}
