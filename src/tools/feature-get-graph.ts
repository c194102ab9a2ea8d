import type { Feature } from '../core/feature.js'
import { ok } from '../core/result.js'
import { boardPlan } from './board-plan.js'
import { defineTool } from './define-tool.js'

type NodeStatus =
  'done' | 'needs_human' | 'skipped' | 'blocked' | 'in_progress' | 'failing' | 'pending'

function statusOf(
  feature: Feature,
  claimed: boolean,
  passing: (id: number) => boolean,
): NodeStatus {
  if (feature.state === 'passing') return 'done'
  if (feature.state === 'needs_human' || feature.state === 'skipped') return feature.state
  if (feature.dependencies.some((dep) => !passing(dep))) return 'blocked'
  if (claimed || feature.state === 'in_progress') return 'in_progress'
  return feature.state === 'failing' ? 'failing' : 'pending'
}

export const featureGetGraph = defineTool({
  name: 'feature_get_graph',
  description:
    'The dependency graph: nodes {id, name, category, status, priority, dependencies} with status done, in_progress, blocked, failing, needs_human, skipped or pending, and edges {source: dependency, target: feature}.',
  input: {},
  readOnly: true,
  run: (_args, ctx) => {
    const { features, byId, claimed } = boardPlan(ctx.store)
    const passing = (id: number): boolean => byId.get(id)?.state === 'passing'
    const nodes = features.map((feature) => ({
      id: feature.id,
      name: feature.name,
      category: feature.category,
      status: statusOf(feature, claimed.has(feature.id), passing),
      priority: feature.priority,
      dependencies: feature.dependencies,
    }))
    const edges = features.flatMap((feature) =>
      feature.dependencies.map((dep) => ({ source: dep, target: feature.id })),
    )
    return ok({ nodes, edges })
  },
})
