import { z } from 'zod'

import { NewSchedule, Schedule, SchedulePatch, WindowTimes } from '../../core/api/index.js'
import { ok } from '../../core/index.js'
import type { Result } from '../../core/index.js'
import { ScheduleRepo } from '../../store/index.js'
import type { ApiRouter } from '../api-router.js'
import { ProjectName } from '../projects.js'
import { currentWindow, nextWindow } from '../schedule/window.js'
import type { AppServices } from '../services.js'
import type { ServerError } from '../error-codes.js'

const Params = z.object({ project: ProjectName })
const IdParams = z.object({
  project: ProjectName,
  id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a schedule id'),
})
const NonEmptyPatch = SchedulePatch.refine(
  (patch) => Object.keys(patch).length > 0,
  'give at least one field to change',
)

const NextRun = z.object({
  /** The window open now (the latest-ending one), if any. */
  current: WindowTimes.extend({ scheduleId: z.string() }).nullable(),
  /** The next window to open, if any. */
  next: WindowTimes.extend({ scheduleId: z.string() }).nullable(),
})

/** A project's schedules, stored in its database. */
export function scheduleRepo(
  services: AppServices,
  project: string,
): Result<ScheduleRepo, ServerError> {
  const opened = services.hub.open(project)
  return opened.ok ? ok(new ScheduleRepo(opened.value.store.db, services.clock, project)) : opened
}

/** The window open now (the latest-ending one) and the next one to open, of enabled schedules. */
function nextRun(
  services: AppServices,
  project: string,
): Result<z.infer<typeof NextRun>, ServerError> {
  const repo = scheduleRepo(services, project)
  if (!repo.ok) return repo
  const now = services.clock.now()
  const enabled = repo.value.list().filter((schedule) => schedule.enabled)
  const open = enabled.flatMap((s) => {
    const window = currentWindow(s, now)
    return window ? [{ ...window, scheduleId: s.id }] : []
  })
  const upcoming = enabled.flatMap((s) => {
    const window = nextWindow(s, now)
    return window && window.start > now ? [{ ...window, scheduleId: s.id }] : []
  })
  return ok({
    current: open.sort((a, b) => b.end - a.end)[0] ?? null,
    next: upcoming.sort((a, b) => a.start - b.start)[0] ?? null,
  })
}

/** Run windows per project; every change wakes the scheduler. */
export function registerScheduleRoutes(api: ApiRouter, services: AppServices): void {
  const base = '/api/projects/:project/schedules'
  const changed = <T>(result: Result<T, ServerError>): Result<T, ServerError> => {
    if (result.ok) services.scheduler.wake()
    return result
  }
  api.route({
    method: 'GET',
    url: base,
    summary: "The project's run windows",
    tags: ['schedules'],
    params: Params,
    response: z.array(Schedule),
    handler: ({ params }) => {
      const repo = scheduleRepo(services, params.project)
      return repo.ok ? ok(repo.value.list()) : repo
    },
  })
  api.route({
    method: 'POST',
    url: base,
    summary: 'Add a run window (weekdays, local start, duration, IANA zone, concurrency, options)',
    tags: ['schedules'],
    params: Params,
    body: NewSchedule,
    response: Schedule,
    status: 201,
    handler: ({ params, body }) => {
      const repo = scheduleRepo(services, params.project)
      return repo.ok ? changed(repo.value.add(body)) : repo
    },
  })
  api.route({
    method: 'GET',
    url: `${base}/next`,
    summary: 'The window open now and the next one to open',
    tags: ['schedules'],
    params: Params,
    response: NextRun,
    handler: ({ params }) => nextRun(services, params.project),
  })
  registerScheduleItemRoutes(api, services, changed)
}

/** One run window: read, change, delete. */
function registerScheduleItemRoutes(
  api: ApiRouter,
  services: AppServices,
  changed: <T>(result: Result<T, ServerError>) => Result<T, ServerError>,
): void {
  const base = '/api/projects/:project/schedules'
  api.route({
    method: 'GET',
    url: `${base}/:id`,
    summary: 'One run window',
    tags: ['schedules'],
    params: IdParams,
    response: Schedule,
    handler: ({ params }) => {
      const repo = scheduleRepo(services, params.project)
      return repo.ok ? repo.value.find(params.id) : repo
    },
  })
  api.route({
    method: 'PATCH',
    url: `${base}/:id`,
    summary: 'Change a run window',
    tags: ['schedules'],
    params: IdParams,
    body: NonEmptyPatch,
    response: Schedule,
    handler: ({ params, body }) => {
      const repo = scheduleRepo(services, params.project)
      return repo.ok ? changed(repo.value.update(params.id, body)) : repo
    },
  })
  api.route({
    method: 'DELETE',
    url: `${base}/:id`,
    summary: 'Delete a run window',
    tags: ['schedules'],
    params: IdParams,
    response: z.undefined(),
    status: 204,
    handler: ({ params }) => {
      const repo = scheduleRepo(services, params.project)
      if (!repo.ok) return repo
      const deleted = changed(repo.value.delete(params.id))
      return deleted.ok ? ok(undefined) : deleted
    },
  })
}
