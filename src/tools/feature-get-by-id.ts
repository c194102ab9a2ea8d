import { ok } from '../core/index.js'
import { defineTool } from './define-tool.js'
import { featureIdParam } from './params.js'
import { fullFeatureView } from './views.js'

export const featureGetById = defineTool({
  name: 'feature_get_by_id',
  description:
    'Full details of one feature: description, test steps, state, dependencies, who holds it, and the latest question asked to a person with its answer (human_input).',
  input: { feature_id: featureIdParam },
  readOnly: true,
  run: ({ feature_id }, ctx) => {
    const found = ctx.store.features.find(feature_id)
    if (!found.ok) return found
    return ok(fullFeatureView(ctx.store, found.value))
  },
})
