/** The README's nginx block is deploy/nginx.conf without its comments — the file the tests run. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const withoutComments = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))

describe("the README's deploy section", () => {
  it('shows deploy/nginx.conf line for line (comments and blank lines aside)', () => {
    const readme = readFileSync('README.md', 'utf8')
    const block = /```nginx\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(block, 'an ```nginx block in README.md').toBeDefined()
    expect(withoutComments(block!)).toEqual(withoutComments(readFileSync('deploy/nginx.conf', 'utf8')))
  })
})
