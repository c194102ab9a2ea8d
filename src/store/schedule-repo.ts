import { randomUUID } from 'node:crypto'

import { Schedule } from '../core/api/index.js'
import type { NewSchedule, SchedulePatch } from '../core/api/index.js'
import type { Clock, Result } from '../core/index.js'
import { err, ok } from '../core/index.js'
import { transact } from './database.js'
import type { Db } from './database.js'
import { readJsonColumn } from './json-column.js'
import type { ColumnPlace } from './json-column.js'
import type { StoreError } from './error-codes.js'

/** Schedules a project may have at most. */
export const MAX_SCHEDULES = 50

interface ScheduleRow {
  id: string
  enabled: number
  days: string
  start: string
  duration_minutes: number
  time_zone: string
  concurrency: number
  options: string
  created_at: number
  updated_at: number
}

type ParsedNewSchedule = Required<Pick<NewSchedule, 'enabled' | 'concurrency' | 'options'>> &
  Omit<NewSchedule, 'enabled' | 'concurrency' | 'options'>

type ColumnKey =
  'enabled' | 'days' | 'start' | 'durationMinutes' | 'timeZone' | 'concurrency' | 'options'

/**
 * The values of the columns `enabled, days, start, duration_minutes, time_zone, concurrency,
 * options`, in that order, as both the insert and the update write them.
 */
function columnValues(schedule: { [K in ColumnKey]: Schedule[K] | undefined }) {
  return [
    schedule.enabled ? 1 : 0,
    JSON.stringify(schedule.days),
    schedule.start,
    schedule.durationMinutes,
    schedule.timeZone,
    schedule.concurrency,
    JSON.stringify(schedule.options),
  ] as const
}

function place(id: string, column: string): ColumnPlace {
  return { table: 'schedules', column, row: `id = '${id}'` }
}

/** A project's run windows (table `schedules`); the project name is the caller's. */
export class ScheduleRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly project: string,
  ) {}

  list(): Schedule[] {
    const rows = this.db
      .prepare('SELECT * FROM schedules ORDER BY start, created_at, id')
      .all() as ScheduleRow[]
    return rows.map((row) => this.#toSchedule(row))
  }

  find(id: string): Result<Schedule, StoreError> {
    const row = this.db.prepare('SELECT * FROM schedules WHERE id = ?').get(id) as
      ScheduleRow | undefined
    return row
      ? ok(this.#toSchedule(row))
      : err(
          'SCHEDULE_NOT_FOUND',
          `Schedule ${id.slice(0, 64)} does not exist in project ${this.project}; list the schedules to find its id.`,
        )
  }

  add(schedule: ParsedNewSchedule): Result<Schedule, StoreError> {
    // Count and insert under one write lock, so two processes cannot both add the last allowed one.
    return transact(this.db, () => this.#insert(schedule))
  }

  #insert(schedule: ParsedNewSchedule): Result<Schedule, StoreError> {
    const count = this.db.prepare('SELECT COUNT(*) FROM schedules').pluck().get() as number
    if (count >= MAX_SCHEDULES)
      return err(
        'SCHEDULE_LIMIT',
        `Project ${this.project} already has ${MAX_SCHEDULES} schedules; delete one first.`,
      )
    const id = randomUUID().slice(0, 8)
    const now = this.clock.now()
    this.db
      .prepare(
        `INSERT INTO schedules (id, enabled, days, start, duration_minutes, time_zone, concurrency, options, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, ...columnValues(schedule), now, now)
    return this.find(id)
  }

  update(id: string, patch: SchedulePatch): Result<Schedule, StoreError> {
    // Read and write under one write lock: a concurrent update is never lost.
    return transact(this.db, () => this.#update(id, patch))
  }

  #update(id: string, patch: SchedulePatch): Result<Schedule, StoreError> {
    const found = this.find(id)
    if (!found.ok) return found
    const next = { ...found.value, ...patch }
    this.db
      .prepare(
        `UPDATE schedules SET enabled = ?, days = ?, start = ?, duration_minutes = ?, time_zone = ?, concurrency = ?, options = ?, updated_at = ?
         WHERE id = ?`,
      )
      .run(...columnValues(next), this.clock.now(), id)
    return this.find(id)
  }

  delete(id: string): Result<Schedule, StoreError> {
    const found = this.find(id)
    if (!found.ok) return found
    this.db.prepare('DELETE FROM schedules WHERE id = ?').run(id)
    return found
  }

  #toSchedule(row: ScheduleRow): Schedule {
    return Schedule.parse({
      id: row.id,
      project: this.project,
      enabled: row.enabled === 1,
      days: readJsonColumn(Schedule.shape.days, row.days, place(row.id, 'days')),
      start: row.start,
      durationMinutes: row.duration_minutes,
      timeZone: row.time_zone,
      concurrency: row.concurrency,
      options: readJsonColumn(Schedule.shape.options, row.options, place(row.id, 'options')),
    })
  }
}
