import { graphStatus, ok } from '../core/index.js'
import { boardPlan } from './board-plan.js'
import { defineTool } from './define-tool.js'

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
      status: graphStatus(feature, { isPassing: passing, isHeld: claimed.has(feature.id) }),
      priority: feature.priority,
      dependencies: feature.dependencies,
    }))
    const edges = features.flatMap((feature) =>
      feature.dependencies.map((dep) => ({ source: dep, target: feature.id })),
    )
    return ok({ nodes, edges })
  },
})
