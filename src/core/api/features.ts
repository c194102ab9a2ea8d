import { z } from 'zod'

import { Feature, FeatureId, FeatureNote, FeatureState, NewFeature } from '../feature.js'
import { MAX_DEPENDENCIES } from '../feature.js'
import { GRAPH_STATUSES } from '../lifecycle.js'
import { ProjectStatsView } from './projects.js'
import { SessionView } from './runs.js'

/** Filters of the feature list (all optional, combined with AND). */
export const FeatureListQuery = z.object({
  state: z
    .string()
    .max(200)
    .transform((value) => value.split(',').filter((part) => part !== ''))
    .pipe(z.array(FeatureState).min(1))
    .optional(),
  category: z.string().min(1).max(100).optional(),
  /** Case-insensitive text in the name or description. */
  search: z.string().min(1).max(200).optional(),
})

/** A feature as the board shows it: stored fields plus whether it waits on others and who holds it. */
export const FeatureView = Feature.extend({
  blocked: z.boolean(),
  blockingDependencies: z.array(FeatureId),
  heldBy: z.string().nullable(),
})
export type FeatureView = z.infer<typeof FeatureView>

export const FeatureListResponse = z.object({
  features: z.array(FeatureView),
  stats: ProjectStatsView,
  /** USD spent per feature id (each session's cost split evenly over its batch); absent = 0. */
  costs: z.record(z.string(), z.number()),
})
export type FeatureListResponse = z.infer<typeof FeatureListResponse>

export const MAX_BULK_FEATURES = 1000

export const FeatureBulkBody = z.object({
  features: z.array(NewFeature).min(1).max(MAX_BULK_FEATURES),
})
export const FeatureBulkResponse = z.object({
  created: z.number().int(),
  features: z.array(Feature),
})

export const FeatureParams = z.object({ id: z.coerce.number().pipe(FeatureId) })
export const DependencyParams = z.object({
  id: z.coerce.number().pipe(FeatureId),
  dependencyId: z.coerce.number().pipe(FeatureId),
})
export const DependenciesBody = z.object({
  dependencyIds: z.array(FeatureId).max(MAX_DEPENDENCIES),
})

export const FeatureDeleteResponse = z.object({ id: FeatureId, affected: z.array(FeatureId) })

/** One feature with its notes and evidence, what it cost, who holds it and who worked on it. */
export const FeatureDetail = z.object({
  feature: FeatureView,
  notes: z.array(FeatureNote),
  costUsd: z.number(),
  /** Agent sessions that had this feature in their batch, newest first (their whole usage). */
  sessions: z.array(SessionView),
})
export type FeatureDetail = z.infer<typeof FeatureDetail>

/** What the merge that made a feature pass changed (its latest merge commit), if it was merged. */
export const FeatureDiff = z.object({
  featureId: FeatureId,
  /** null while no merge of this feature was recorded. */
  commit: z.string().nullable(),
  agentId: z.string().nullable(),
  stat: z.string(),
  patch: z.string(),
  /** The patch was cut (very large merges). */
  truncated: z.boolean(),
})
export type FeatureDiff = z.infer<typeof FeatureDiff>

/** Status for the graph (`graphStatus` in core/lifecycle.ts decides it). */
export const GraphStatus = z.enum(GRAPH_STATUSES)

export const FeatureGraph = z.object({
  nodes: z.array(
    z.object({
      id: FeatureId,
      name: z.string(),
      category: z.string(),
      state: FeatureState,
      status: GraphStatus,
      priority: z.number().int(),
      dependencies: z.array(FeatureId),
    }),
  ),
  edges: z.array(z.object({ source: FeatureId, target: FeatureId })),
})
export type FeatureGraph = z.infer<typeof FeatureGraph>
