import { z } from 'zod'

import {
  AnswerBody,
  ConcurrencyBody,
  DrainBody,
  RunHistory,
  RunHistoryQuery,
  RunStartBody,
  RunStatusView,
  SessionsQuery,
  SessionsResponse,
} from '../../core/api/index.js'
import { Feature, ok } from '../../core/index.js'
import type { Result } from '../../core/index.js'
import type { Orchestrator } from '../../orchestrator/index.js'
import { listRuns } from '../../store/index.js'
import type { ApiRouter } from '../api-router.js'
import { ProjectName } from '../projects.js'
import type { AppServices } from '../services.js'
import type { ServerError } from '../error-codes.js'

const Params = z.object({ project: ProjectName })
const BASE = '/api/projects/:project/run'

/** Run control (start, pause, drain, resume, stop, concurrency, answers), run status and past sessions. */
export function registerRunRoutes(api: ApiRouter, services: AppServices): void {
  registerRunControlRoutes(api, services)
  registerRunHistoryRoutes(api, services)
}

function statusOf(services: AppServices, project: string): Result<RunStatusView, ServerError> {
  const opened = services.hub.open(project)
  return opened.ok ? ok(services.runs.status(project, opened.value.store)) : opened
}

/** A route that acts on the project's run and answers with its status. */
function controlRoute(
  api: ApiRouter,
  services: AppServices,
  route: {
    method: 'POST' | 'PATCH'
    path: string
    summary: string
    act: (project: string, body: unknown) => Result<Orchestrator, ServerError>
    body?: z.ZodType
  },
): void {
  api.route({
    method: route.method,
    url: `${BASE}/${route.path}`,
    summary: route.summary,
    tags: ['runs'],
    params: Params,
    ...(route.body ? { body: route.body } : {}),
    response: RunStatusView,
    handler: ({ params, body: parsed }: { params: { project: string }; body: unknown }) => {
      const opened = services.hub.open(params.project)
      if (!opened.ok) return opened
      const acted = route.act(params.project, parsed)
      return acted.ok ? statusOf(services, params.project) : acted
    },
  })
}

function registerRunControlRoutes(api: ApiRouter, services: AppServices): void {
  const { hub, runs } = services
  const control = (
    method: 'POST' | 'PATCH',
    path: string,
    summary: string,
    act: (project: string, body: unknown) => Result<Orchestrator, ServerError>,
    body?: z.ZodType,
  ): void => controlRoute(api, services, { method, path, summary, act, ...(body ? { body } : {}) })
  api.route({
    method: 'GET',
    url: BASE,
    summary: "The project's run: this server's, another process's (e.g. autocoder run), or none",
    tags: ['runs'],
    params: Params,
    response: RunStatusView,
    handler: ({ params }) => statusOf(services, params.project),
  })
  api.route({
    method: 'POST',
    url: `${BASE}/start`,
    summary: 'Start a run (refused while one runs here or another process holds the project)',
    tags: ['runs'],
    params: Params,
    body: RunStartBody.optional(),
    response: RunStatusView,
    status: 201,
    handler: async ({ params, body }) => {
      const started = await runs.start(params.project, body ?? {})
      if (started.ok) services.scheduler.handOver(params.project)
      return started
    },
  })
  control(
    'POST',
    'pause',
    'Pause: no new agents start; running agents finish their work',
    (project) => runs.pause(project),
  )
  control('POST', 'resume', 'Resume a paused or draining run', (project) => runs.resume(project))
  control(
    'POST',
    'drain',
    'Drain: finish in-flight work, claim nothing new, then end the run',
    (project, body) => runs.drain(project, (body as z.infer<typeof DrainBody> | undefined)?.reason),
    DrainBody.optional(),
  )
  control(
    'POST',
    'stop',
    'Stop: interrupt the agents, release their features, end the run',
    (project) => {
      services.scheduler.handOver(project)
      return runs.stop(project)
    },
  )
  control(
    'PATCH',
    'concurrency',
    'Change how many coding and testing agents run at once',
    (project, body) => runs.setConcurrency(project, body as z.infer<typeof ConcurrencyBody>),
    ConcurrencyBody,
  )
  api.route({
    method: 'POST',
    url: `${BASE}/answer`,
    summary: "Answer a feature's question (needs_human); the feature goes back into the run",
    tags: ['runs'],
    params: Params,
    body: AnswerBody,
    response: Feature,
    handler: ({ params, body }) => {
      const opened = hub.open(params.project)
      return opened.ok
        ? runs.answer(params.project, opened.value.store, body.featureId, body.text)
        : opened
    },
  })
}

/** Past sessions and runs with what they spent. */
function registerRunHistoryRoutes(api: ApiRouter, services: AppServices): void {
  const { hub } = services
  api.route({
    method: 'GET',
    url: '/api/projects/:project/sessions',
    summary: 'Agent sessions, newest first, with tokens and cost (optionally of one run)',
    tags: ['runs'],
    params: Params,
    query: SessionsQuery,
    response: SessionsResponse,
    handler: ({ params, query }) => {
      const opened = hub.open(params.project)
      if (!opened.ok) return opened
      const { sessions } = opened.value.store
      const list = sessions
        .list(query.runId)
        .sort((a, b) => b.startedAt - a.startedAt || b.id.localeCompare(a.id))
      return ok({ sessions: list.slice(0, query.limit), total: sessions.totals(query.runId) })
    },
  })
  api.route({
    method: 'GET',
    url: '/api/projects/:project/runs',
    summary: 'Past and current runs, newest first: how each ended and what it spent',
    tags: ['runs'],
    params: Params,
    query: RunHistoryQuery,
    response: RunHistory,
    handler: ({ params, query }) => {
      const opened = hub.open(params.project)
      if (!opened.ok) return opened
      const { store } = opened.value
      return ok({
        runs: listRuns(store.db, query.limit).map((run) => ({
          ...run,
          spend: store.sessions.totals(run.runId),
        })),
      })
    },
  })
}
