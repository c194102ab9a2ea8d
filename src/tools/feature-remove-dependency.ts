import { ok } from '../core/index.js'
import { defineTool } from './define-tool.js'
import { featureIdParam } from './params.js'

export const featureRemoveDependency = defineTool({
  name: 'feature_remove_dependency',
  description: 'Remove one dependency: feature_id no longer waits for dependency_id.',
  input: {
    feature_id: featureIdParam,
    dependency_id: featureIdParam.describe('The id of the dependency to remove.'),
  },
  readOnly: false,
  run: ({ feature_id, dependency_id }, ctx) => {
    const updated = ctx.store.features.removeDependency(feature_id, dependency_id, ctx.callerId)
    if (!updated.ok) return updated
    return ok({ success: true, feature_id, dependencies: updated.value.dependencies })
  },
})
