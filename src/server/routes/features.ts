import { z } from 'zod'

import {
  DependenciesBody,
  DependencyParams,
  FeatureBulkBody,
  FeatureBulkResponse,
  FeatureDeleteResponse,
  FeatureDetail,
  FeatureGraph,
  FeatureListQuery,
  FeatureListResponse,
  FeatureParams,
  FeatureView,
} from '../../core/api/index.js'
import { err, FeaturePatch, NewFeature, ok } from '../../core/index.js'
import type { Feature, Result } from '../../core/index.js'
import { skipFeature, unskipFeature } from '../../store/index.js'
import type { LifecycleCaller, ProjectStore } from '../../store/index.js'
import type { ApiRouter } from '../api-router.js'
import { ProjectName } from '../projects.js'
import type { AppServices } from '../services.js'
import { boardViews, featureGraph, singleView } from './feature-views.js'
import type { ServerError } from '../error-codes.js'

const BY = 'api'
/** Lifecycle moves asked for through the API are a person's. */
const PERSON: LifecycleCaller = { actor: 'operator', by: BY }
const Params = z.object({ project: ProjectName })
const IdParams = FeatureParams.extend({ project: ProjectName })
const DepParams = DependencyParams.extend({ project: ProjectName })
const NonEmptyPatch = FeaturePatch.refine(
  (patch) => Object.keys(patch).length > 0,
  'give at least one field to change',
)

function matches(feature: FeatureView, query: z.output<typeof FeatureListQuery>): boolean {
  if (query.state && !query.state.includes(feature.state)) return false
  if (query.category !== undefined && feature.category !== query.category) return false
  if (query.search !== undefined) {
    const needle = query.search.toLowerCase()
    if (
      !feature.name.toLowerCase().includes(needle) &&
      !feature.description.toLowerCase().includes(needle)
    )
      return false
  }
  return true
}

const BASE = '/api/projects/:project/features'

/** Features of a project: list with filters, create, bulk create, edit, skip, delete, dependencies, graph. */
export function registerFeatureRoutes(api: ApiRouter, services: AppServices): void {
  registerBoardRoutes(api, services)
  registerOneFeatureRoutes(api, services)
  registerLifecycleRoutes(api, services)
  registerDependencyRoutes(api, services)
}

/** Runs `fn` on the project's store, or answers why the project cannot be opened. */
function withStore<T>(
  services: AppServices,
  project: string,
  fn: (store: ProjectStore) => Result<T, ServerError>,
): Result<T, ServerError> {
  const opened = services.hub.open(project)
  return opened.ok ? fn(opened.value.store) : opened
}

/** The feature as the board shows it, or the error that changing it gave. */
function view(
  store: ProjectStore,
  result: Result<Feature, ServerError>,
): Result<FeatureView, ServerError> {
  return result.ok ? ok(singleView(store, result.value)) : result
}

function listFeatures(
  store: ProjectStore,
  query: z.output<typeof FeatureListQuery>,
): Result<z.input<typeof FeatureListResponse>, ServerError> {
  const board = boardViews(store)
  const unfiltered =
    query.state === undefined && query.category === undefined && query.search === undefined
  return ok({
    features: unfiltered
      ? [...board.views]
      : board.views.filter((feature) => matches(feature, query)),
    stats: board.stats,
    costs: board.costs,
  })
}

function featureDetail(
  store: ProjectStore,
  id: number,
): Result<z.input<typeof FeatureDetail>, ServerError> {
  const found = store.features.find(id)
  if (!found.ok) return found
  const sessions = store.sessions
    .list()
    .filter((session) => session.featureIds.includes(id))
    .sort((a, b) => b.startedAt - a.startedAt || b.id.localeCompare(a.id))
  return ok({
    feature: singleView(store, found.value),
    notes: store.notes.list(id),
    costUsd: store.sessions.costOfFeature(id),
    sessions,
  })
}

function deleteFeature(
  store: ProjectStore,
  id: number,
): Result<z.input<typeof FeatureDeleteResponse>, ServerError> {
  if (store.claims.holder(id))
    return err(
      'FEATURE_BUSY',
      `Feature ${id} is being worked on; stop its agent before deleting it.`,
    )
  const deleted = store.features.delete(id, BY)
  return deleted.ok ? ok({ id, affected: deleted.value.affected }) : deleted
}

/** The whole board: list with filters, create one or many, the dependency graph. */
function registerBoardRoutes(api: ApiRouter, services: AppServices): void {
  api.route({
    method: 'GET',
    url: BASE,
    summary: 'Features in priority order, filtered by state (comma-separated), category or text',
    tags: ['features'],
    params: Params,
    query: FeatureListQuery,
    response: FeatureListResponse,
    handler: ({ params, query }) =>
      withStore(services, params.project, (store) => listFeatures(store, query)),
  })
  api.route({
    method: 'POST',
    url: BASE,
    summary: 'Create a feature (priority defaults to the end of the queue)',
    tags: ['features'],
    params: Params,
    body: NewFeature,
    response: FeatureView,
    status: 201,
    handler: ({ params, body }) =>
      withStore(services, params.project, (store) => {
        const created = store.features.create([body], { by: BY })
        return created.ok ? ok(singleView(store, created.value[0]!)) : created
      }),
  })
  api.route({
    method: 'POST',
    url: `${BASE}/bulk`,
    summary: 'Create up to 1,000 features in one transaction (all or none)',
    tags: ['features'],
    params: Params,
    body: FeatureBulkBody,
    response: FeatureBulkResponse,
    status: 201,
    handler: ({ params, body }) =>
      withStore(services, params.project, (store) => {
        const created = store.features.create(body.features, { by: BY })
        return created.ok ? ok({ created: created.value.length, features: created.value }) : created
      }),
  })
  api.route({
    method: 'GET',
    url: `${BASE}/graph`,
    summary: 'Dependency graph: nodes with status, edges dependency -> dependent',
    tags: ['features'],
    params: Params,
    response: FeatureGraph,
    handler: ({ params }) =>
      withStore(services, params.project, (store) => ok(featureGraph(boardViews(store).views))),
  })
}

/** One feature: read it with its history, edit it, delete it. */
function registerOneFeatureRoutes(api: ApiRouter, services: AppServices): void {
  api.route({
    method: 'GET',
    url: `${BASE}/:id`,
    summary: 'One feature with its notes and evidence, its sessions and what they cost',
    tags: ['features'],
    params: IdParams,
    response: FeatureDetail,
    handler: ({ params }) =>
      withStore(services, params.project, (store) => featureDetail(store, params.id)),
  })
  api.route({
    method: 'PATCH',
    url: `${BASE}/:id`,
    summary: 'Edit a feature (dependency changes are checked for cycles)',
    tags: ['features'],
    params: IdParams,
    body: NonEmptyPatch,
    response: FeatureView,
    handler: ({ params, body }) =>
      withStore(services, params.project, (store) =>
        view(store, store.features.update(params.id, body, BY)),
      ),
  })
  api.route({
    method: 'DELETE',
    url: `${BASE}/:id`,
    summary: 'Delete a feature and remove it from every dependency list',
    tags: ['features'],
    params: IdParams,
    response: FeatureDeleteResponse,
    handler: ({ params }) =>
      withStore(services, params.project, (store) => deleteFeature(store, params.id)),
  })
}

/** A person's lifecycle moves: take a feature out of the run and put it back. */
function registerLifecycleRoutes(api: ApiRouter, services: AppServices): void {
  api.route({
    method: 'POST',
    url: `${BASE}/:id/skip`,
    summary:
      'Take a feature out of the run (any state but passing; an agent working on it loses its claim)',
    tags: ['features'],
    params: IdParams,
    response: FeatureView,
    handler: ({ params }) =>
      withStore(services, params.project, (store) => {
        const skipped = skipFeature(store, params.id, PERSON)
        return view(store, skipped.ok ? ok(skipped.value.feature) : skipped)
      }),
  })
  api.route({
    method: 'POST',
    url: `${BASE}/:id/unskip`,
    summary: 'Put a skipped feature back into the run',
    tags: ['features'],
    params: IdParams,
    response: FeatureView,
    handler: ({ params }) =>
      withStore(services, params.project, (store) =>
        view(store, unskipFeature(store, params.id, PERSON)),
      ),
  })
}

/** One feature's dependencies: add one, remove one, replace the list (cycles refused). */
function registerDependencyRoutes(api: ApiRouter, services: AppServices): void {
  api.route({
    method: 'POST',
    url: `${BASE}/:id/dependencies/:dependencyId`,
    summary: 'Add a dependency (refused when it would close a cycle)',
    tags: ['features'],
    params: DepParams,
    response: FeatureView,
    handler: ({ params }) =>
      withStore(services, params.project, (store) =>
        view(store, store.features.addDependency(params.id, params.dependencyId, BY)),
      ),
  })
  api.route({
    method: 'DELETE',
    url: `${BASE}/:id/dependencies/:dependencyId`,
    summary: 'Remove a dependency',
    tags: ['features'],
    params: DepParams,
    response: FeatureView,
    handler: ({ params }) =>
      withStore(services, params.project, (store) =>
        view(store, store.features.removeDependency(params.id, params.dependencyId, BY)),
      ),
  })
  api.route({
    method: 'PUT',
    url: `${BASE}/:id/dependencies`,
    summary: 'Replace the dependency list (checked: unknown ids, duplicates, self, cycles)',
    tags: ['features'],
    params: IdParams,
    body: DependenciesBody,
    response: FeatureView,
    handler: ({ params, body }) =>
      withStore(services, params.project, (store) =>
        view(store, store.features.setDependencies(params.id, body.dependencyIds, BY)),
      ),
  })
}
