import { ok } from '../core/index.js'
import { boardPlan } from './board-plan.js'
import { defineTool } from './define-tool.js'
import { limitParam } from './params.js'
import { featureView } from './views.js'

export const featureGetReady = defineTool({
  name: 'feature_get_ready',
  description:
    'Features that can be started now (not passing, not claimed, not waiting for a person, every dependency passing), best first: those that unblock the most other features come first.',
  input: { limit: limitParam(50, 10) },
  readOnly: true,
  run: ({ limit }, ctx) => {
    const { byId, ready } = boardPlan(ctx.store)
    const features = ready.slice(0, limit).map((id) => featureView(byId.get(id)!, undefined))
    return ok({ features, count: features.length, total_ready: ready.length })
  },
})
