import { describe, expect, it } from 'vitest'
import { boardIdFromInput, boardLinkFromInput, parseRoute } from '../../client/navigation.ts'

describe('routes and board links', () => {
  it.each([
    ['/', { page: 'lobby' }],
    ['/b/abc234defg', { page: 'board', boardId: 'abc234defg', token: null }],
    ['/b/abc234defg/', { page: 'board', boardId: 'abc234defg', token: null }],
    ['/b/no!', { page: 'not-found' }],
    ['/elders', { page: 'not-found' }],
    ['/p/new', { page: 'programme', programmeId: null }],
    ['/p/0a1b2c3d4e5f6a7b', { page: 'programme', programmeId: '0a1b2c3d4e5f6a7b' }],
    ['/p/NIET-GOED', { page: 'not-found' }],
  ])('%s → %j', (path, route) => expect(parseRoute(path)).toEqual(route))

  it('keeps the access token of a board link', () => {
    expect(parseRoute('/b/abc234defg', '?token=abc.def')).toEqual({ page: 'board', boardId: 'abc234defg', token: 'abc.def' })
    expect(boardLinkFromInput('https://bord.example.nl/b/abc234defg?token=abc.def')).toBe('/b/abc234defg?token=abc.def')
    expect(boardLinkFromInput('abc234defg')).toBe('/b/abc234defg')
    expect(boardLinkFromInput('niet een code!')).toBeNull()
  })

  it.each([
    ['https://bord.example.nl/b/abc234defg', 'abc234defg'],
    ['  abc234defg ', 'abc234defg'],
    ['http://localhost:3000/b/abc234defg?x=1#y', 'abc234defg'],
    ['niet een code!', null],
    ['', null],
  ])('reads %j as %j', (input, id) => expect(boardIdFromInput(input)).toBe(id))
})
