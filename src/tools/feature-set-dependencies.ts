import { z } from 'zod'

import { MAX_DEPENDENCIES, ok } from '../core/index.js'
import { defineTool } from './define-tool.js'
import { featureIdParam } from './params.js'

export const featureSetDependencies = defineTool({
  name: 'feature_set_dependencies',
  description: `Replace all dependencies of a feature with dependency_ids (an empty list removes them all). At most ${MAX_DEPENDENCIES}, no duplicates, no self reference, no cycles; all ids must exist.`,
  input: {
    feature_id: featureIdParam,
    dependency_ids: z
      .array(z.number().int().min(1))
      .max(MAX_DEPENDENCIES, {
        error: `at most ${MAX_DEPENDENCIES} dependencies per feature; drop indirect ones`,
      })
      .describe('The complete new list of dependency ids.'),
  },
  readOnly: false,
  run: ({ feature_id, dependency_ids }, ctx) => {
    const updated = ctx.store.features.setDependencies(feature_id, dependency_ids, ctx.callerId)
    if (!updated.ok) return updated
    return ok({ success: true, feature_id, dependencies: updated.value.dependencies })
  },
})
