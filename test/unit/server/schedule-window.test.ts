import { describe, expect, it } from 'vitest'

import type { ScheduleWindow } from '../../../src/core/api/index.js'
import { currentWindow, isWindowOpen, nextWindow } from '../../../src/server/index.js'

const at = (iso: string): number => Date.parse(iso)
const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString()
const everyDay: ScheduleWindow['days'] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

function win(
  start: string,
  durationMinutes: number,
  timeZone: string,
  days = everyDay,
): ScheduleWindow {
  return { start, durationMinutes, timeZone, days }
}

describe('schedule windows', () => {
  it('is open from its start (inclusive) to its end (exclusive)', () => {
    const w = win('22:00', 240, 'UTC')
    expect(isWindowOpen(w, at('2026-06-01T21:59:59Z'))).toBe(false)
    expect(isWindowOpen(w, at('2026-06-01T22:00:00Z'))).toBe(true)
    expect(isWindowOpen(w, at('2026-06-02T01:59:59.500Z'))).toBe(true)
    expect(isWindowOpen(w, at('2026-06-02T02:00:00Z'))).toBe(false)
  })

  it('opens only on its weekdays, counted in its own time zone', () => {
    const w = win('22:00', 240, 'Europe/Berlin', ['mon', 'tue', 'wed', 'thu', 'fri'])
    // Friday 22:00 CET = 21:00Z; the window runs into Saturday.
    expect(isWindowOpen(w, at('2026-03-28T00:30:00Z'))).toBe(true)
    expect(isWindowOpen(w, at('2026-03-28T21:30:00Z'))).toBe(false)
    // Next is Monday, after the spring-forward: 22:00 CEST = 20:00Z.
    expect(nextWindow(w, at('2026-03-28T12:00:00Z'))).toEqual({
      start: at('2026-03-30T20:00:00Z'),
      end: at('2026-03-31T00:00:00Z'),
    })
  })

  it('opens a 02:30 Berlin window at 03:00 CEST on the spring-forward day, and at 02:30 the day after', () => {
    const w = win('02:30', 60, 'Europe/Berlin')
    const spring = nextWindow(w, at('2026-03-28T12:00:00Z'))
    expect(iso(spring?.start)).toBe('2026-03-29T01:00:00.000Z')
    expect(iso(spring?.end)).toBe('2026-03-29T02:00:00.000Z')
    expect(isWindowOpen(w, at('2026-03-29T00:45:00Z'))).toBe(false)
    expect(isWindowOpen(w, at('2026-03-29T01:30:00Z'))).toBe(true)
    expect(iso(nextWindow(w, at('2026-03-29T03:00:00Z'))?.start)).toBe('2026-03-30T00:30:00.000Z')
  })

  it('opens a 02:30 New York window at 03:00 EDT on the spring-forward day', () => {
    const w = win('02:30', 30, 'America/New_York')
    expect(iso(nextWindow(w, at('2026-03-07T12:00:00Z'))?.start)).toBe('2026-03-08T07:00:00.000Z')
    expect(iso(nextWindow(w, at('2026-03-08T12:00:00Z'))?.start)).toBe('2026-03-09T06:30:00.000Z')
  })

  it('keeps a Berlin window spanning the fall-back hour open for its elapsed duration', () => {
    // 01:30 CEST on 2026-10-25 = 23:30Z the day before; 120 elapsed minutes end at 01:30Z = 02:30 CET.
    const w = win('01:30', 120, 'Europe/Berlin')
    expect(currentWindow(w, at('2026-10-25T00:30:00Z'))).toEqual({
      start: at('2026-10-24T23:30:00Z'),
      end: at('2026-10-25T01:30:00Z'),
    })
    expect(isWindowOpen(w, at('2026-10-25T01:15:00Z'))).toBe(true) // 02:15 CET, the repeated hour
    expect(isWindowOpen(w, at('2026-10-25T01:30:00Z'))).toBe(false)
  })

  it('opens a start time inside the repeated hour only once on the fall-back day', () => {
    const berlin = win('02:30', 30, 'Europe/Berlin')
    expect(iso(nextWindow(berlin, at('2026-10-24T12:00:00Z'))?.start)).toBe(
      '2026-10-25T00:30:00.000Z',
    )
    expect(isWindowOpen(berlin, at('2026-10-25T01:40:00Z'))).toBe(false) // 02:40 CET, second pass
    expect(iso(nextWindow(berlin, at('2026-10-25T01:00:00Z'))?.start)).toBe(
      '2026-10-26T01:30:00.000Z',
    )

    const newYork = win('01:30', 60, 'America/New_York')
    expect(currentWindow(newYork, at('2026-11-01T06:00:00Z'))).toEqual({
      start: at('2026-11-01T05:30:00Z'),
      end: at('2026-11-01T06:30:00Z'),
    })
    expect(isWindowOpen(newYork, at('2026-11-01T06:45:00Z'))).toBe(false) // 01:45 EST, second pass
    expect(iso(nextWindow(newYork, at('2026-11-01T06:30:00Z'))?.start)).toBe(
      '2026-11-02T06:30:00.000Z',
    )
  })
})
