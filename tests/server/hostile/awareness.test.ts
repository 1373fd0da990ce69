/** Hostile presence (finding 6): awareness belongs to the connection that introduced it. */
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { CloseCode, Limits, MEMBER_KEY_PARAM } from '../../../shared/protocol.ts'
import { sha256Hex } from '../../../shared/sha256.ts'
import { makeClient, openRaw, type TestClient } from '../../helpers/client.ts'
import { awarenessFrame } from '../../helpers/frames.ts'
import { onCleanup, startServer, tokenFor } from '../../helpers/server.ts'
import { waitFor } from '../../helpers/wait.ts'

const member = (name: string, keyHash = 'c'.repeat(64), role = 'participant') => ({ member: { userId: name, name, role, groupId: '', hand: false, keyHash } })
const stateAt = (client: TestClient, id: number) => client.provider.awareness.getStates().get(id) as ReturnType<typeof member> | undefined

async function people(server: { wsUrl: string }, board: string) {
  const victim = makeClient(server.wsUrl, board, { role: 'participant' })
  victim.provider.awareness.setLocalState(member('Anna', 'a'.repeat(64)))
  const witness = makeClient(server.wsUrl, board, { role: 'participant' })
  witness.provider.awareness.setLocalState(member('Wim', 'b'.repeat(64)))
  await Promise.all([victim.synced(), witness.synced()])
  await waitFor(() => stateAt(witness, victim.doc.clientID)?.member.name === 'Anna', { what: "the witness to see Anna's presence" })
  return { victim, witness }
}

describe('hostile awareness', () => {
  it("nobody overwrites or removes someone else's presence, not even with a huge clock", async () => {
    const server = await startServer()
    const { victim, witness } = await people(server, 'presence')
    const attacker = await openRaw(`${server.wsUrl}/presence`, 'viewer')
    const anna = victim.doc.clientID
    attacker.ws.send(awarenessFrame([{ clientId: anna, clock: 2 ** 40, state: member('Ik ben Anna niet', 'd'.repeat(64), 'facilitator') }]))
    attacker.ws.send(awarenessFrame([{ clientId: anna, clock: 2 ** 41, state: null }]))
    // Anna's own next change still arrives, so the attacker's messages were processed and dropped.
    victim.provider.awareness.setLocalState(member('Anna de Vries', 'a'.repeat(64)))
    await waitFor(() => stateAt(witness, anna)?.member.name === 'Anna de Vries', { what: "Anna's own change" })
    expect(witness.provider.awareness.getStates().has(anna)).toBe(true)
    expect(attacker.ws.readyState).toBe(attacker.ws.OPEN)
  })

  it('shows the role the token gives, whatever a member claims', async () => {
    const server = await startServer()
    const { witness } = await people(server, 'claims')
    const liar = makeClient(server.wsUrl, 'claims', { role: 'viewer' })
    liar.provider.awareness.setLocalState(member('Baas', 'e'.repeat(64), 'facilitator'))
    await liar.synced()
    await waitFor(() => stateAt(witness, liar.doc.clientID)?.member.name === 'Baas', { what: "the liar's presence" })
    expect(stateAt(witness, liar.doc.clientID)!.member.role).toBe('viewer')
  })

  it('shows the member key hash the connection proved, whatever a member publishes, and none without a proof (issue 20)', async () => {
    const server = await startServer()
    const { witness } = await people(server, 'keyswap')
    const key = 'e'.repeat(64)
    const proven = await openRaw(`${server.wsUrl}/keyswap?token=${tokenFor('keyswap', 'participant')}&${MEMBER_KEY_PARAM}=${key}`)
    proven.ws.send(awarenessFrame([{ clientId: 777, clock: 1, state: member('Een', 'f'.repeat(64)) }]))
    await waitFor(() => stateAt(witness, 777)?.member.name === 'Een', { what: "the first one's presence" })
    expect(stateAt(witness, 777)!.member.keyHash).toBe(sha256Hex(key))
    proven.ws.send(awarenessFrame([{ clientId: 777, clock: 2, state: member('Een, anders', 'a'.repeat(64)) }]))
    await waitFor(() => stateAt(witness, 777)?.member.name === 'Een, anders', { what: "the first one's change" })
    expect(stateAt(witness, 777)!.member.keyHash).toBe(sha256Hex(key))
    const keyless = await openRaw(`${server.wsUrl}/keyswap`, 'participant')
    keyless.ws.send(awarenessFrame([{ clientId: 778, clock: 1, state: member('Twee', 'a'.repeat(64)) }]))
    await waitFor(() => stateAt(witness, 778)?.member.name === 'Twee', { what: "the keyless one's presence" })
    expect(stateAt(witness, 778)!.member).not.toHaveProperty('keyHash')
    expect([proven.ws.readyState, keyless.ws.readyState]).toEqual([proven.ws.OPEN, keyless.ws.OPEN])
    // A key that is no member key is refused at the door, with the reason.
    const bad = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`${server.wsUrl}/keyswap?token=${tokenFor('keyswap', 'participant')}&${MEMBER_KEY_PARAM}=anna`)
      ws.on('open', () => resolve('open'))
      ws.on('unexpected-response', (_req, res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () => resolve(`${res.statusCode} ${body.trim()}`))
      })
      ws.on('error', () => {})
      onCleanup(() => ws.terminate())
    })
    expect(bad).toBe(`400 ${MEMBER_KEY_PARAM}: 64 hex characters (this browser's member key)`)
  })

  it(`holds no more than ${Limits.maxAwarenessStatesPerConnection} presence per connection and closes one that sends the presences of ${Limits.maxStrangerPresences} nobody has (5,000 fake ids × 12 KB took 180 MB); refuses clock jumps`, async () => {
    const server = await startServer()
    const { victim, witness } = await people(server, 'flood')
    const rssBefore = process.memoryUsage().rss
    const flood = await openRaw(`${server.wsUrl}/flood`, 'viewer')
    const filler = 'x'.repeat(12_000)
    for (let i = 0; i < 5_000 && flood.ws.readyState === flood.ws.OPEN; i++) {
      flood.ws.send(awarenessFrame([{ clientId: 10_000 + i, clock: 1, state: { filler } }]))
      // A breath every 10 frames lets the server read and close the flood part-way, as it would a real one.
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 1))
    }
    // Every id after its first is dropped, like a relayed or echoed presence (the stock client relays
    // other tabs' presences over BroadcastChannel); a connection sending the presences of more ids
    // than a browser has tabs, which nobody on the board holds, is closed.
    expect((await flood.closed).code).toBe(CloseCode.malformedMessage)
    // The honest people, whose stock clients echo the flood's states back, are not closed for it.
    // A mark each sets after the flood closed reaches the other only after every relay of the flood
    // did (one socket, in order), and a mark set after that follows its echoes to the server.
    const mark = async (from: TestClient, to: TestClient, value: number) => {
      from.provider.awareness.setLocalStateField('mark', value)
      await waitFor(() => (stateAt(to, from.doc.clientID) as { mark?: number } | undefined)?.mark === value, { what: `mark ${value}` })
    }
    await mark(victim, witness, 1)
    await mark(witness, victim, 1)
    await mark(victim, witness, 2)
    expect(server.log.lines.filter((l) => l.includes('closing connection') && !l.includes('role=viewer'))).toEqual([])
    expect([...witness.provider.awareness.getStates().keys()].filter((id) => id >= 10_000 && id < 15_000).length).toBeLessThanOrEqual(
      Limits.maxAwarenessStatesPerConnection,
    )
    // A newcomer downloads a few presences, not 60 MB of them.
    const joiner = await openRaw(`${server.wsUrl}/flood`, 'viewer')
    await waitFor(() => joiner.messages.length >= 2, { what: "the joiner's first messages" })
    const bytes = joiner.messages.reduce((n, m) => n + m.length, 0)
    expect(bytes).toBeLessThan(100_000)
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024)

    const jumper = await openRaw(`${server.wsUrl}/flood`, 'participant')
    jumper.ws.send(awarenessFrame([{ clientId: 999, clock: 1, state: member('Sprong') }]))
    // (Its opening clock 1 became 2 at the server.)
    jumper.ws.send(awarenessFrame([{ clientId: 999, clock: 2 + Limits.maxAwarenessClockStep + 1, state: member('Sprong') }]))
    expect((await jumper.closed).code).toBe(CloseCode.malformedMessage)
  })

  it('stock clients, which echo every presence they receive back to the server, are never closed for it', async () => {
    const server = await startServer()
    const { victim, witness } = await people(server, 'echoes')
    for (let i = 0; i < 20; i++) {
      victim.provider.awareness.setLocalStateField('cursor', { x: i, y: i })
      witness.provider.awareness.setLocalStateField('cursor', { x: -i, y: i })
      await new Promise((resolve) => setImmediate(resolve))
    }
    await waitFor(() => (stateAt(witness, victim.doc.clientID) as { cursor?: { x: number } } | undefined)?.cursor?.x === 19, { what: 'the last cursor' })
    witness.provider.disconnect() // its timeout of others' states is broadcast by the stock client too
    witness.provider.connect()
    await witness.synced()
    expect(server.log.lines.filter((l) => l.includes('closing connection'))).toEqual([])
    expect(victim.provider.wsconnected).toBe(true)
  })
})
