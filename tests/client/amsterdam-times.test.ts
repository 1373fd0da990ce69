/**
 * Times on the board are read in the Netherlands' time, whatever zone the browser is in (a
 * walk-through in a UTC browser found the closed-session banner, the trash, the facilitator notes
 * and the history an hour early, and the banner on another day than the archive page).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { timeInNetherlands } from '../../shared/netherlands-time.ts'

const clientDir = resolve(import.meta.dirname, '../../client')
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : []
  })

describe('times in the Netherlands', () => {
  it('no client code formats a time in the browser own zone', () => {
    // toLocale*String and a DateTimeFormat without timeZone use the browser's zone.
    const found = sources(clientDir).flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/\.toLocale(Date|Time)?String\(|new Intl\.DateTimeFormat\(/.test(line) ? [`${path.slice(clientDir.length + 1)}:${i + 1}`] : [])),
    )
    expect(found).toEqual([])
  })

  it('writes the moment as it reads in Amsterdam, in either language', () => {
    const lateEvening = Date.UTC(2026, 11, 4, 23, 5) // 00:05 on 5 December in Amsterdam (winter time)
    expect(timeInNetherlands(lateEvening, 'nl', { dateStyle: 'long', timeStyle: 'short' })).toBe('5 december 2026 om 00:05')
    expect(timeInNetherlands(lateEvening, 'en', { hour: '2-digit', minute: '2-digit' })).toBe('00:05')
    const summer = Date.UTC(2026, 6, 1, 22, 30) // 00:30 on 2 July (summer time, +2)
    expect(timeInNetherlands(summer, 'nl', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })).toBe('2 jul, 00:30')
  })
})
