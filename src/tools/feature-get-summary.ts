import { ok } from '../core/index.js'
import { defineTool } from './define-tool.js'
import { featureIdParam } from './params.js'

export const featureGetSummary = defineTool({
  name: 'feature_get_summary',
  description:
    'A short view of one feature: id, name, whether it passes or is in progress, its state and dependencies.',
  input: { feature_id: featureIdParam },
  readOnly: true,
  run: ({ feature_id }, ctx) => {
    const found = ctx.store.features.find(feature_id)
    if (!found.ok) return found
    const feature = found.value
    const claimed = ctx.store.claims.holder(feature_id) !== undefined
    return ok({
      id: feature.id,
      name: feature.name,
      passes: feature.state === 'passing',
      in_progress: claimed || feature.state === 'in_progress',
      state: feature.state,
      dependencies: feature.dependencies,
    })
  },
})
