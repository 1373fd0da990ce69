import { describe, expect, it } from 'vitest'
import { boardIdFromInput, parseRoute } from '../../client/navigation.ts'

describe('routes and board links', () => {
  it.each([
    ['/', { page: 'lobby' }],
    ['/b/abc234defg', { page: 'board', boardId: 'abc234defg' }],
    ['/b/abc234defg/', { page: 'board', boardId: 'abc234defg' }],
    ['/b/no!', { page: 'not-found' }],
    ['/elders', { page: 'not-found' }],
  ])('%s → %j', (path, route) => expect(parseRoute(path)).toEqual(route))

  it.each([
    ['https://bord.example.nl/b/abc234defg', 'abc234defg'],
    ['  abc234defg ', 'abc234defg'],
    ['http://localhost:3000/b/abc234defg?x=1#y', 'abc234defg'],
    ['niet een code!', null],
    ['', null],
  ])('reads %j as %j', (input, id) => expect(boardIdFromInput(input)).toBe(id))
})
