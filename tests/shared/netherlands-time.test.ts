import { describe, expect, it } from 'vitest'
import { dayInNetherlands, isRealDay, longDayInNetherlands, minuteInNetherlands, nextDay, yearInNetherlands } from '../../shared/netherlands-time.ts'

describe('dates as people in the Netherlands read them', () => {
  it('dates half past midnight in the Netherlands on that day, in summer and in winter time', () => {
    expect(dayInNetherlands(Date.parse('2026-06-14T22:30:00Z'))).toBe('2026-06-15')
    expect(dayInNetherlands(Date.parse('2026-01-14T23:30:00Z'))).toBe('2026-01-15')
    expect(minuteInNetherlands(Date.parse('2026-06-14T22:30:00Z'))).toBe('2026-06-15 00:30')
    expect(minuteInNetherlands(Date.parse('2026-01-14T23:30:00Z'))).toBe('2026-01-15 00:30')
    // A minute before midnight there is still the day before.
    expect(dayInNetherlands(Date.parse('2026-06-14T21:59:00Z'))).toBe('2026-06-14')
    expect(dayInNetherlands(Date.parse('2026-01-14T22:59:00Z'))).toBe('2026-01-14')
    expect(longDayInNetherlands(Date.parse('2026-06-14T22:30:00Z'), 'nl')).toBe('15 juni 2026')
    expect(longDayInNetherlands(Date.parse('2026-01-14T23:30:00Z'), 'en')).toBe('15 January 2026')
  })

  it('follows the clocks going forward and back, and the new year there', () => {
    expect(minuteInNetherlands(Date.parse('2026-03-29T00:59:00Z'))).toBe('2026-03-29 01:59')
    expect(minuteInNetherlands(Date.parse('2026-03-29T01:00:00Z'))).toBe('2026-03-29 03:00')
    expect(minuteInNetherlands(Date.parse('2026-10-25T00:30:00Z'))).toBe('2026-10-25 02:30')
    expect(minuteInNetherlands(Date.parse('2026-10-25T01:30:00Z'))).toBe('2026-10-25 02:30')
    expect(yearInNetherlands(Date.parse('2026-12-31T23:30:00Z'))).toBe(2027)
  })

  it('knows a real calendar day from one that only looks like it, and the day after', () => {
    for (const day of ['2027-05-20', '2028-02-29', '2026-12-31']) expect(isRealDay(day)).toBe(true)
    for (const day of ['2027-13-45', '2027-02-29', '2027-04-31', '2027-00-10', '2027-5-20', '20270520', ' 2027-05-20']) expect(isRealDay(day)).toBe(false)
    expect(nextDay('2027-05-20')).toBe('2027-05-21')
    expect(nextDay('2026-12-31')).toBe('2027-01-01')
    expect(nextDay('2028-02-28')).toBe('2028-02-29')
    // The day after is the calendar's, not a clock's: no summer-time hour is lost.
    expect(nextDay('2026-03-28')).toBe('2026-03-29')
  })
})
