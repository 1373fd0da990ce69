/**
 * The OpenAPI document is a promise a partner can build a client on: every operation in it is
 * called on the real server, with a realistic request that succeeds and one it refuses, and each
 * answer's status, media type and body are checked against the document (ajv). An operation the
 * walk below does not reach fails the test, so a new route comes with its case here.
 */
import { randomBytes } from 'node:crypto'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import type { OpenAPIV3 } from 'openapi-types'
import { ARCHIVE_SCOPE } from '../../../server/policy/tokens.ts'
import { sha256Hex } from '../../../shared/sha256.ts'
import { contributionDefaults } from '../../../shared/shapes/contribution-shape.ts'
import { makeClient } from '../../helpers/client.ts'
import { startServer, testTokens, tokenFor } from '../../helpers/server.ts'
import { waitFor } from '../../helpers/wait.ts'

const METRICS_TOKEN = 'metrics-token-for-the-contract-0123'
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const
const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('token')!

/** OpenAPI 3.0's `nullable` as JSON Schema (a `null` branch), and $refs into the document added to ajv as `doc`. */
function jsonSchemaOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonSchemaOf)
  if (value === null || typeof value !== 'object') return value
  const { nullable, ...rest } = value as Record<string, unknown>
  const converted = Object.fromEntries(
    Object.entries(rest).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components/', 'doc#/components/') : jsonSchemaOf(v)]),
  )
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted
}

interface Operation {
  method: string
  template: string
  pattern: RegExp
  op: OpenAPIV3.OperationObject
}

/** The document's operations, with a matcher for their paths (`{id}` is one path segment). */
function operationsOf(doc: OpenAPIV3.Document): Operation[] {
  const operations: Operation[] = []
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item?.[method]
      if (!op) continue
      const pattern = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`)
      operations.push({ method: method.toUpperCase(), template, pattern, op })
    }
  }
  // A literal segment wins over a parameter (/api/boards/import is not /api/boards/{id}).
  return operations.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0))
}

describe('the OpenAPI document against the real server', () => {
  it('every operation answers as the document says: a success and a refusal each, status, media type and body', { timeout: 120_000 }, async () => {
    const { url, wsUrl } = await startServer({ metricsToken: METRICS_TOKEN })
    const doc = (await (await fetch(`${url}/api/openapi.json`)).json()) as OpenAPIV3.Document
    const operations = operationsOf(doc)
    const ajv = new Ajv({ strict: false, allErrors: true })
    addFormats(ajv)
    ajv.addSchema(jsonSchemaOf({ components: doc.components }) as object, 'doc')
    const validators = new Map<object, ValidateFunction>()
    const validatorOf = (schema: object) => {
      if (!validators.has(schema)) validators.set(schema, ajv.compile(jsonSchemaOf(schema) as object))
      return validators.get(schema)!
    }
    const seen = new Map<Operation, Set<string>>()

    /** One call, checked against its operation in the document; answers the parsed body. */
    const call = async <T = Record<string, unknown>>(
      method: string,
      path: string,
      options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
    ): Promise<{ status: number; body: T }> => {
      const response = await fetch(url + path, {
        method,
        headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
        body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      })
      const bare = path.split('?')[0]!
      const operation = operations.find((o) => o.method === method && o.pattern.test(bare))
      expect(operation, `${method} ${bare} is in the document`).toBeDefined()
      const where = `${method} ${operation!.template} → ${response.status}`
      const documented = operation!.op.responses[String(response.status)] as OpenAPIV3.ResponseObject | undefined
      expect(documented, `${where} is a documented status (${Object.keys(operation!.op.responses).join(', ')})`).toBeDefined()
      const text = await response.text()
      let body: unknown = text
      if (documented!.content) {
        const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim()
        const media = documented!.content[type]
        expect(media, `${where} is documented as ${Object.keys(documented!.content).join(', ')}, answered ${type}`).toBeDefined()
        if (type === 'application/json') {
          body = JSON.parse(text)
          const validate = validatorOf(media!.schema as object)
          expect(validate(body) ? [] : validate.errors, `${where}: body against the document`).toEqual([])
        }
      } else {
        expect(text, `${where} has no body`).toBe('')
      }
      const kinds = seen.get(operation!) ?? new Set()
      kinds.add(`${String(response.status)[0]}xx`)
      seen.set(operation!, kinds)
      return { status: response.status, body: body as T }
    }
    const ok = async <T = Record<string, unknown>>(status: number, ...args: Parameters<typeof call>) => {
      const answer = await call<T>(...args)
      expect(answer.status, `${args[0]} ${args[1]}`).toBe(status)
      return answer.body
    }
    const refused = async (status: number, ...args: Parameters<typeof call>) => {
      expect((await call(...args)).status, `${args[0]} ${args[1]}`).toBe(status)
    }

    // Operations.
    await ok(200, 'GET', '/api/openapi.json')
    await ok(200, 'GET', '/healthz')
    await ok(200, 'GET', '/readyz')
    await ok(200, 'GET', '/metrics', { token: METRICS_TOKEN })
    await refused(401, 'GET', '/metrics')
    await ok(204, 'POST', '/api/client-errors', { body: { where: 'card-panel', message: 'kapot', stack: 'at x (/assets/a.js:1:2)' } })
    await refused(400, 'POST', '/api/client-errors', { body: { where: 'Niet Goed', message: 'x' } })

    // Boards.
    await ok(200, 'GET', '/api/time')
    await ok(200, 'GET', '/api/templates')
    await refused(400, 'POST', '/api/boards', { body: { template: 'geen' } })
    const board = await ok<{ id: string; links: Record<string, string> }>(201, 'POST', '/api/boards', {
      body: { template: '24-uursconferentie', centraleOpgave: 'Langer thuis in Weert', targetYear: 2030 },
    })
    const b = `/api/boards/${board.id}`
    const facilitator = tokenOf(board.links.facilitator!)
    const participant = tokenOf(board.links.participant!)
    const viewer = tokenOf(board.links.viewer!)
    await ok(200, 'GET', b, { token: viewer })
    await refused(401, 'GET', b)
    await ok(200, 'GET', `${b}/links`, { token: facilitator })
    await refused(403, 'GET', `${b}/links`, { token: participant })

    // A co-facilitator, a vote with two cards and a voter: through the board's document.
    const memberKey = randomBytes(32).toString('hex')
    const owner = makeClient(wsUrl, board.id)
    const voter = makeClient(wsUrl, board.id, { role: 'participant', memberKey })
    voter.provider.awareness.setLocalStateField('member', {
      userId: 'voter001',
      name: 'Mieke',
      role: 'participant',
      groupId: '',
      hand: false,
      keyHash: sha256Hex(memberKey),
    })
    await Promise.all([owner.synced(), voter.synced()])
    const agenda = owner.doc.getMap('facilitation').get('agenda') as { phase: string; frameId: string }[]
    const frameId = agenda.find((a) => a.phase === 'trends')!.frameId
    for (const [i, text] of ['Langer thuis wonen', 'Krapte op de arbeidsmarkt'].entries()) {
      owner.records.set(`shape:t${i}`, {
        id: `shape:t${i}`,
        typeName: 'shape',
        type: 'contribution',
        x: 60 + i * 260,
        y: 200,
        rotation: 0,
        index: `a${i + 2}`,
        parentId: frameId,
        isLocked: false,
        opacity: 1,
        meta: {},
        props: { ...contributionDefaults(), text },
      })
    }
    owner.doc.getMap('facilitation').set('cofacilitators', [{ keyHash: sha256Hex(memberKey), name: 'Piet' }])
    await refused(403, 'POST', `${b}/cofacilitator`, { token: participant, body: { memberKey: 'c'.repeat(64) } })
    await waitFor(async () => (await call('POST', `${b}/cofacilitator`, { token: participant, body: { memberKey } })).status === 200, {
      what: 'the listed co-facilitator',
    })
    await waitFor(() => [...owner.provider.awareness.getStates().values()].some((s) => s.member), { what: 'the voter present' })

    const vote = await ok<{ id: string }>(201, 'POST', `${b}/votes`, { token: facilitator, body: { frameId, dots: 2 } })
    await refused(403, 'POST', `${b}/votes`, { token: participant, body: { frameId, dots: 2 } })
    await ok(200, 'POST', `${b}/votes/${vote.id}/dots`, { token: participant, body: { memberKey, shapeId: 'shape:t0', delta: 1 } })
    await refused(403, 'POST', `${b}/votes/${vote.id}/dots`, { token: viewer, body: { memberKey, shapeId: 'shape:t0', delta: 1 } })
    await ok(200, 'GET', `${b}/votes/${vote.id}/mine`, { token: participant, headers: { 'x-member-key': memberKey } })
    await refused(400, 'GET', `${b}/votes/${vote.id}/mine`, { token: participant })
    await refused(403, 'POST', `${b}/votes/${vote.id}/close`, { token: participant })
    await ok(200, 'POST', `${b}/votes/${vote.id}/close`, { token: facilitator })

    // Facilitator notes.
    const note = await ok<{ id: string }>(201, 'POST', `${b}/facilitator-notes`, { token: facilitator, body: { text: 'Groep 3 loopt achter', by: 'Fien' } })
    await refused(400, 'POST', `${b}/facilitator-notes`, { token: facilitator, body: { text: '' } })
    await ok(200, 'GET', `${b}/facilitator-notes`, { token: facilitator })
    await refused(403, 'GET', `${b}/facilitator-notes`, { token: participant })
    await ok(204, 'DELETE', `${b}/facilitator-notes/${note.id}`, { token: facilitator })
    await refused(404, 'DELETE', `${b}/facilitator-notes/${note.id}`, { token: facilitator })

    // Snapshots and every download.
    const snapshot = await ok<{ id: string }>(201, 'POST', `${b}/snapshots`, { token: facilitator, body: { name: 'Na de trends', by: 'Fien' } })
    await refused(403, 'POST', `${b}/snapshots`, { token: participant, body: { name: 'x' } })
    const s = `${b}/snapshots/${snapshot.id}`
    await ok(200, 'GET', `${b}/snapshots`, { token: viewer })
    await refused(401, 'GET', `${b}/snapshots`)
    for (const path of ['', '/records', '/compare?with=live', '/thumbnail.svg']) {
      await ok(200, 'GET', s + path, { token: viewer })
      await refused(404, 'GET', `${b}/snapshots/nosuchsnapshot${path}`, { token: viewer })
    }
    const exports = operations.filter((o) => o.template.startsWith('/api/boards/{id}/snapshots/{sid}/') && o.op.tags?.includes('exports'))
    expect(exports.length).toBe(7)
    for (const what of exports.map((o) => o.template.split('/').pop()!)) {
      await ok(200, 'GET', `${s}/${what}?lang=en`, { token: viewer })
      await refused(401, 'GET', `${s}/${what}`)
      await ok(200, 'GET', `${b}/${what}?lang=nl`, { token: viewer })
      await refused(403, 'GET', `${b}/${what}`, { token: 'forged' })
    }
    await ok(200, 'POST', `${s}/revert`, { token: facilitator, body: { by: 'Fien' } })
    await refused(403, 'POST', `${s}/revert`, { token: participant, body: {} })
    await ok(201, 'POST', `${s}/fork`, { token: facilitator, body: {} })
    await refused(403, 'POST', `${s}/fork`, { token: viewer, body: {} })

    // The archive and the import.
    const archiveKey = testTokens.sign(ARCHIVE_SCOPE, 'facilitator')
    await ok(200, 'GET', '/api/archive?q=weert', { token: archiveKey })
    await refused(401, 'GET', '/api/archive')
    const tldr = await (await fetch(`${url}${b}/export.tldr?token=${viewer}`)).text()
    await ok(201, 'POST', '/api/boards/import?title=Weert%20opnieuw', { raw: tldr })
    await refused(400, 'POST', '/api/boards/import', { raw: '{"geen": "tldr"}' })

    // The vliegwiel: a programme with the 2018 example's action lines.
    await refused(400, 'POST', '/api/programmes', { body: { name: '' } })
    const created = await ok<{ programme: { id: string }; links: { aanjager: string; public: string } }>(201, 'POST', '/api/programmes', {
      body: { name: 'Samen aan de slag — Weert', region: 'Midden-Limburg', municipalities: ['Weert'] },
    })
    const p = `/api/programmes/${created.programme.id}`
    const aanjager = tokenOf(created.links.aanjager)
    const everyone = tokenOf(created.links.public)
    const conference = await ok<{ id: string; links: Record<string, string> }>(201, 'POST', '/api/boards', { body: { example: 'samen-aan-de-slag-2018' } })
    await refused(403, 'POST', `${p}/boards`, { token: everyone, body: { boardLink: conference.links.facilitator } })
    await ok(201, 'POST', `${p}/boards`, { token: aanjager, body: { boardLink: conference.links.facilitator } })
    await refused(404, 'POST', `${p}/boards/${board.id}/action-lines`, { token: aanjager })
    await ok(200, 'POST', `${p}/boards/${conference.id}/action-lines`, { token: aanjager })
    await refused(403, 'POST', `${p}/boards/new`, { token: everyone, body: {} })
    await ok(201, 'POST', `${p}/boards/new`, { token: aanjager, body: { template: '24-uursconferentie', kind: 'other' } })
    await refused(401, 'GET', p)
    const view = await ok<{ lines: { id: string; number: number }[] }>(200, 'GET', p, { token: everyone })
    const line = view.lines.find((l) => l.number === 7)!
    const l = `${p}/lines/${line.id}`
    await ok(200, 'GET', l, { token: everyone })
    await refused(404, 'GET', `${p}/lines/geen-lijn`, { token: everyone })
    await refused(403, 'GET', `${l}/trekker-link`, { token: everyone })
    const trekker = tokenOf((await ok<{ link: string }>(200, 'GET', `${l}/trekker-link`, { token: aanjager })).link)
    await ok(201, 'POST', `${l}/updates`, { token: trekker, body: { text: 'Eerste gesprek met de bibliotheek', author: 'John', status: 'gestart' } })
    await refused(403, 'POST', `${l}/updates`, { token: everyone, body: { text: 'x', author: 'y' } })
    await ok(200, 'PATCH', l, { token: trekker, body: { nextMeeting: '2031-03-14' } })
    await refused(400, 'PATCH', l, { token: trekker, body: { nextMeeting: '2031-02-30' } })
    await refused(403, 'POST', `${l}/werkplaats`, { token: everyone })
    const werkplaats = await ok<{ boardId: string; link: string }>(201, 'POST', `${l}/werkplaats`, { token: trekker })
    await ok(201, 'POST', `/api/boards/${werkplaats.boardId}/line-updates`, {
      token: tokenOf(werkplaats.link),
      body: { text: 'Eerste werksessie gehouden', author: 'John' },
    })
    await refused(403, 'POST', `/api/boards/${werkplaats.boardId}/line-updates`, {
      token: tokenFor(werkplaats.boardId, 'participant'),
      body: { text: 'x', author: 'y' },
    })
    await refused(403, 'POST', `${p}/terugkomdag`, { token: everyone })
    await ok(201, 'POST', `${p}/terugkomdag?lang=nl`, { token: aanjager })
    const proposal = {
      title: 'Buurtkamer in de bibliotheek',
      description: 'Eén middag per week',
      proposer: 'Mieke',
      lineId: line.id,
      horizon: { ok: true, why: 'Nabijheid' },
      noConflict: { ok: true, why: 'Vult aan', conflictsWith: [] },
      transformation: { ok: true, why: 'Nieuw in Weert' },
    }
    const experiment = await ok<{ id: string }>(201, 'POST', `${p}/experiments`, { token: everyone, body: proposal })
    await refused(400, 'POST', `${p}/experiments`, { token: everyone, body: { ...proposal, horizon: { ok: true, why: '' } } })
    await refused(403, 'POST', `${p}/experiments/${experiment.id}/decision`, { token: everyone, body: { decision: 'accepted' } })
    await ok(200, 'POST', `${p}/experiments/${experiment.id}/decision`, { token: aanjager, body: { decision: 'declined', reason: 'Past beter bij lijn 5' } })
    const mieke = { name: 'Mieke Smeets', contact: 'mieke@example.nl', organisation: 'Buurtvereniging', group: 'inwoners', consent: true, smoelenboek: true }
    await refused(400, 'POST', `${l}/signups`, { token: everyone, body: { ...mieke, consent: false } })
    const signed = await ok<{ signup: { id: string }; manageLink: string }>(201, 'POST', `${l}/signups`, { token: everyone, body: mieke })
    const own = new URL(signed.manageLink, url).searchParams.get('key')!
    await ok(200, 'GET', `${p}/signups`, { token: aanjager })
    await refused(403, 'GET', `${p}/signups`, { token: everyone })
    await ok(200, 'GET', `${p}/signups/${signed.signup.id}?key=${encodeURIComponent(own)}`)
    await refused(404, 'GET', `${p}/signups/${signed.signup.id}?key=verkeerd`)
    for (const file of ['report.md', 'report.html', 'report.json', 'meetings.ics']) {
      await ok(200, 'GET', `${p}/${file}?lang=nl`, { token: everyone })
      await refused(401, 'GET', `${p}/${file}`)
    }
    await ok(204, 'DELETE', `${p}/signups/${signed.signup.id}?key=${encodeURIComponent(own)}`)
    await refused(404, 'DELETE', `${p}/signups/${signed.signup.id}`, { token: aanjager })

    // Closing and deleting the board come last: afterwards it is read-only, then gone.
    await refused(403, 'POST', `${b}/close`, { token: participant, body: {} })
    await ok(200, 'POST', `${b}/close`, { token: facilitator, body: { by: 'Fien' } })
    await refused(403, 'DELETE', b, { token: participant })
    await ok(200, 'DELETE', b, { token: facilitator })
    await refused(410, 'GET', b, { token: viewer })

    // Every operation was called, with a success and (where it documents one) a refusal.
    const missed = operations.flatMap((o) => {
      const kinds = seen.get(o) ?? new Set()
      const wants = Object.keys(o.op.responses).some((r) => r.startsWith('4')) ? ['2xx', '4xx'] : ['2xx']
      return wants.filter((k) => !kinds.has(k)).map((k) => `${o.method} ${o.template} (${k})`)
    })
    expect(missed).toEqual([])
    expect(operations.length).toBeGreaterThanOrEqual(66)
  })
})
