import { describe, expect, it } from 'vitest'
import { ApiError } from '../../client/api-client.ts'
import { afterFailure, MAX_NOT_YET, newRequestId, pendingDot, withPending } from '../../client/board/dot-queue.ts'
import { CastDotBody } from '../../shared/api.ts'

describe('dots waiting for the connection', () => {
  it('count in what the bar shows: the left dots and the dots per card', () => {
    const queue = [pendingDot('v1', 'shape:a', 1), pendingDot('v1', 'shape:a', 1), pendingDot('v1', 'shape:b', -1), pendingDot('old', 'shape:a', 1)]
    expect(withPending({ open: true, dots: 5, mine: { 'shape:b': 1 }, left: 4 }, 5, queue, 'v1')).toEqual({
      open: true,
      dots: 5,
      mine: { 'shape:a': 2, 'shape:b': 0 },
      left: 3,
    })
    // Offline from the start: no answer yet, the vote's dots are the starting point.
    expect(withPending(null, 3, queue.slice(0, 1), 'v1')).toEqual({ open: true, dots: 3, mine: { 'shape:a': 1 }, left: 2 })
  })

  it.each([
    ['no answer (offline, timed out)', new ApiError(0, 'no connection to the server'), 0, 'wait'],
    ['the proxy while a server restarts', new ApiError(502, 'HTTP 502'), 0, 'wait'],
    ['a 403 just after the reconnect', new ApiError(403, 'not connected'), 0, 'again'],
    ['a 403 that stays', new ApiError(403, 'not connected'), MAX_NOT_YET - 1, 'refused'],
    ['no dots left', new ApiError(409, 'all 3 of your dots are placed'), 0, 'refused'],
    ['the vote closed', new ApiError(404, 'no open vote with that id'), 0, 'refused'],
    ['something unexpected', new TypeError('x'), 0, 'refused'],
  ] as const)('after %s: %s', (_what, error, notYetVoter, expected) => {
    expect(afterFailure(error, { ...pendingDot('v1', 'shape:a', 1), notYetVoter })).toBe(expected)
  })

  it('carry request ids the API takes, each its own', () => {
    const ids = new Set(Array.from({ length: 100 }, newRequestId))
    expect(ids.size).toBe(100)
    for (const requestId of ids) expect(CastDotBody.safeParse({ memberKey: 'a'.repeat(64), shapeId: 'shape:a', delta: 1, requestId }).success).toBe(true)
  })
})
