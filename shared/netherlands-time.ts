/**
 * Dates and times as people in the Netherlands read them (Europe/Amsterdam, summer and winter
 * time). A day cut from UTC (`toISOString().slice(0, 10)`) is the day before for everything
 * between midnight and 01:00 or 02:00 there. Intl carries the zone's rules in Node and in every
 * browser, without data files.
 */
export const NETHERLANDS_TIME_ZONE = 'Europe/Amsterdam'

const clock = new Intl.DateTimeFormat('nl-NL', {
  timeZone: NETHERLANDS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

function partsOf(ms: number): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> {
  const parts: Record<string, string> = {}
  for (const part of clock.formatToParts(ms)) parts[part.type] = part.value
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute', string>
}

/** The day in the Netherlands at `ms`, as YYYY-MM-DD. */
export function dayInNetherlands(ms: number): string {
  const p = partsOf(ms)
  return `${p.year}-${p.month}-${p.day}`
}

/** The day and time in the Netherlands at `ms`, as YYYY-MM-DD HH:mm. */
export function minuteInNetherlands(ms: number): string {
  const p = partsOf(ms)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

export function yearInNetherlands(ms: number): number {
  return Number(partsOf(ms).year)
}

const longDays = {
  nl: new Intl.DateTimeFormat('nl-NL', { timeZone: NETHERLANDS_TIME_ZONE, day: 'numeric', month: 'long', year: 'numeric' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: NETHERLANDS_TIME_ZONE, day: 'numeric', month: 'long', year: 'numeric' }),
}

/** The day in the Netherlands at `ms`, written out for people ("15 juni 2026", "15 June 2026"). */
export function longDayInNetherlands(ms: number, lang: 'nl' | 'en'): string {
  return longDays[lang].format(ms)
}

const formats = new Map<string, Intl.DateTimeFormat>()

/**
 * A moment as people in the Netherlands read it, in the page's language: `toLocaleString` would
 * use the zone of the reader's device (a laptop set to UTC showed a session closed at 00:05 as
 * 23:05 the day before). Formatters are made once per language and options.
 */
export function timeInNetherlands(ms: number, lang: 'nl' | 'en', options: Omit<Intl.DateTimeFormatOptions, 'timeZone'>): string {
  const key = `${lang} ${JSON.stringify(options)}`
  let format = formats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { ...options, timeZone: NETHERLANDS_TIME_ZONE })
    formats.set(key, format)
  }
  return format.format(ms)
}

/** Whether `text` is a day that exists, as YYYY-MM-DD (2027-02-29 and 2027-13-45 do not). */
export function isRealDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** The calendar day after a real day (YYYY-MM-DD): date arithmetic, no clock or zone involved. */
export function nextDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  const next = new Date(Date.UTC(year, month - 1, date + 1))
  return `${String(next.getUTCFullYear()).padStart(4, '0')}-${String(next.getUTCMonth() + 1).padStart(2, '0')}-${String(next.getUTCDate()).padStart(2, '0')}`
}
