import { ok } from '../core/index.js'
import { defineTool } from './define-tool.js'
import { featureIdParam } from './params.js'

export const featureAddDependency = defineTool({
  name: 'feature_add_dependency',
  description:
    'Make feature_id depend on dependency_id: it cannot start until dependency_id passes. Refused if it would create a cycle, if the dependency is already there, or if the feature would have more than 20 dependencies.',
  input: {
    feature_id: featureIdParam,
    dependency_id: featureIdParam.describe('The id of the feature it depends on.'),
  },
  readOnly: false,
  run: ({ feature_id, dependency_id }, ctx) => {
    const updated = ctx.store.features.addDependency(feature_id, dependency_id, ctx.callerId)
    if (!updated.ok) return updated
    return ok({ success: true, feature_id, dependencies: updated.value.dependencies })
  },
})
