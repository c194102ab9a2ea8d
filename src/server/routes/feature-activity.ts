import { relative } from 'node:path'

import { z } from 'zod'

import {
  EventsQuery,
  EventsResponse,
  FeatureDiff,
  FeatureParams,
  PolicyView,
} from '../../core/api/index.js'
import { probeDetail, sandboxProbe } from '../../agents/index.js'
import { ok } from '../../core/index.js'
import type { Result } from '../../core/index.js'
import { loadPolicy } from '../../security/index.js'
import { readCommitDiff } from '../../workspace/index.js'
import type { ApiRouter } from '../api-router.js'
import { ProjectName } from '../projects.js'
import type { AppServices } from '../services.js'
import type { ServerError } from '../error-codes.js'

const Params = z.object({ project: ProjectName })
const IdParams = FeatureParams.extend({ project: ProjectName })

/**
 * What the UI shows besides the board: the event log read backwards (agent logs, feature
 * history), the diff of the merge that made a feature pass, and the project's bash policy.
 */
export function registerFeatureActivityRoutes(
  api: ApiRouter,
  services: AppServices,
  options: { autocoderHome: string },
): void {
  const { hub } = services
  api.route({
    method: 'GET',
    url: '/api/projects/:project/events',
    summary:
      'Events newest first, a page at a time (?before=<id>), optionally of one agent or feature',
    tags: ['events'],
    params: Params,
    query: EventsQuery,
    response: EventsResponse,
    handler: ({ params, query }) => {
      const opened = hub.open(params.project)
      if (!opened.ok) return opened
      const { events } = opened.value.store
      return ok({
        events: events.page({
          limit: query.limit,
          ...(query.before === undefined ? {} : { beforeId: query.before }),
          ...(query.agentId === undefined ? {} : { agentId: query.agentId }),
          ...(query.featureId === undefined ? {} : { featureId: query.featureId }),
        }),
        lastEventId: events.lastId(),
      })
    },
  })
  api.route({
    method: 'GET',
    url: '/api/projects/:project/features/:id/diff',
    summary: "What the merge that made a feature pass changed (its latest merge commit's diff)",
    tags: ['features'],
    params: IdParams,
    response: FeatureDiff,
    handler: ({ params }) => featureDiff(services, params),
  })
  api.route({
    method: 'GET',
    url: '/api/projects/:project/policy',
    summary: 'The bash policy agents of this project run under (read-only) and the OS sandbox',
    tags: ['settings'],
    params: Params,
    response: PolicyView,
    handler: ({ params }) => policyView(services, params.project, options.autocoderHome),
  })
}

/** The diff of the latest merge that made a feature pass (empty when it has none). */
async function featureDiff(
  services: AppServices,
  params: { project: string; id: number },
): Promise<Result<z.input<typeof FeatureDiff>, ServerError>> {
  const opened = services.hub.open(params.project)
  if (!opened.ok) return opened
  const { store, project } = opened.value
  const found = store.features.find(params.id)
  if (!found.ok) return found
  const merge = store.notes
    .list(params.id, ['evidence'])
    .reverse()
    .find((note) => typeof note.data?.['commit'] === 'string')
  const commit = merge ? String(merge.data?.['commit']) : null
  const agentId = typeof merge?.data?.['agentId'] === 'string' ? merge.data['agentId'] : null
  if (commit === null)
    return ok({ featureId: params.id, commit, agentId, stat: '', patch: '', truncated: false })
  const diff = await readCommitDiff(project.path, commit)
  return diff.ok ? ok({ featureId: params.id, agentId, ...diff.value }) : diff
}

/** The project's bash policy with each rule's source by its place, and the OS sandbox's state. */
async function policyView(
  services: AppServices,
  project: string,
  autocoderHome: string,
): Promise<Result<z.input<typeof PolicyView>, ServerError>> {
  const opened = services.hub.open(project)
  if (!opened.ok) return opened
  const projectDir = opened.value.project.path
  const policy = await loadPolicy({ projectDir, autocoderHome })
  if (!policy.ok) return policy
  // Config files by their place, not the machine's absolute paths.
  const source = (from: string): string =>
    from.startsWith(projectDir)
      ? relative(projectDir, from)
      : from.startsWith(autocoderHome)
        ? `$AUTOCODER_HOME/${relative(autocoderHome, from)}`
        : from
  const { rules } = policy.value
  const sandbox = await sandboxProbe()
  return ok({
    allowed: [...rules.allowed]
      .map(([name, from]) => ({ name, source: source(from) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    blocked: [...rules.blocked].sort(),
    pkillProcesses: [...rules.pkillProcesses].sort(),
    npxPackages: [...rules.npxPackages].sort(),
    sandbox: {
      available: sandbox.ok,
      kind: sandbox.kind,
      detail: probeDetail(sandbox),
      fix: sandbox.fix,
    },
  })
}
