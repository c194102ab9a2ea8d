import { z } from 'zod'

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])
export type Weekday = z.infer<typeof Weekday>

/** `HH:MM`, 24-hour, local to the schedule's time zone. */
export const LocalTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00-23:59)')

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name })
    return true
  } catch {
    return false
  }
}

/** An IANA time zone name such as `Europe/Berlin` or `UTC`. */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin')

/**
 * A recurring run window. It opens at `start` (wall-clock time in `timeZone`) on each of `days`
 * and stays open `durationMinutes` of elapsed time. On a spring-forward day a start inside the
 * skipped hour opens at the first valid minute after it; on a fall-back day it opens once.
 */
export const ScheduleWindow = z.object({
  days: z.array(Weekday).min(1).max(7),
  start: LocalTime,
  durationMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  timeZone: TimeZone,
})
export type ScheduleWindow = z.infer<typeof ScheduleWindow>

const Concurrency = z.number().int().min(1).max(10)
const RunOptions = z.record(z.string(), z.unknown())

/** Creating a schedule: a window plus the run's concurrency and further options (model, testing ratio...). */
export const NewSchedule = ScheduleWindow.extend({
  enabled: z.boolean().default(true),
  concurrency: Concurrency.default(3),
  options: RunOptions.default({}),
})
export type NewSchedule = z.input<typeof NewSchedule>

/** Editing a schedule: any subset of its fields. */
export const SchedulePatch = ScheduleWindow.extend({
  enabled: z.boolean(),
  concurrency: Concurrency,
  options: RunOptions,
}).partial()
export type SchedulePatch = z.infer<typeof SchedulePatch>

export const Schedule = ScheduleWindow.extend({
  id: z.string().min(1),
  project: z.string().min(1),
  enabled: z.boolean(),
  concurrency: Concurrency,
  options: RunOptions,
})
export type Schedule = z.infer<typeof Schedule>

export const WindowTimes = z.object({ start: z.number(), end: z.number() })
export type WindowTimes = z.infer<typeof WindowTimes>
