import { Cron } from 'croner'

import type { ScheduleWindow, Weekday, WindowTimes } from '../../core/api/index.js'

const CRON_DAY: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 }

const cronCache = new Map<string, Cron>()

/**
 * A paused croner job matching the window's start times in its time zone. croner does the
 * wall-clock arithmetic: a start in a skipped hour (spring forward) fires at the first valid time
 * after it, and a start in a repeated hour (fall back) fires once.
 */
function startTimes(window: ScheduleWindow): Cron {
  const [hours, minutes] = window.start.split(':').map(Number) as [number, number]
  const days = [...new Set(window.days.map((day) => CRON_DAY[day]))].sort().join(',')
  const pattern = `0 ${minutes} ${hours} * * ${days}`
  const key = `${pattern}|${window.timeZone}`
  let cron = cronCache.get(key)
  if (!cron) {
    cron = new Cron(pattern, { timezone: window.timeZone, paused: true })
    if (cronCache.size > 1000) cronCache.clear()
    cronCache.set(key, cron)
  }
  return cron
}

function durationMs(window: ScheduleWindow): number {
  return window.durationMinutes * 60_000
}

/** The window open at `nowMs` (start ≤ now < end), or null. Duration is elapsed time, DST included. */
export function currentWindow(window: ScheduleWindow, nowMs: number): WindowTimes | null {
  // The first start after (now - duration) is the only one whose window can contain now.
  const start = startTimes(window).nextRun(new Date(nowMs - durationMs(window)))
  if (start === null || start.getTime() > nowMs) return null
  return { start: start.getTime(), end: start.getTime() + durationMs(window) }
}

export function isWindowOpen(window: ScheduleWindow, nowMs: number): boolean {
  return currentWindow(window, nowMs) !== null
}

/** The window open at `nowMs`, else the next one to open; null if it never opens. */
export function nextWindow(window: ScheduleWindow, nowMs: number): WindowTimes | null {
  const open = currentWindow(window, nowMs)
  if (open) return open
  const start = startTimes(window).nextRun(new Date(nowMs))
  return start === null
    ? null
    : { start: start.getTime(), end: start.getTime() + durationMs(window) }
}
