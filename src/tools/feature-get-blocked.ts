import { ok } from '../core/index.js'
import { boardPlan } from './board-plan.js'
import { defineTool } from './define-tool.js'
import { limitParam } from './params.js'
import { featureView } from './views.js'

export const featureGetBlocked = defineTool({
  name: 'feature_get_blocked',
  description:
    'Features that cannot start because at least one dependency does not pass yet, each with blocked_by (the dependencies it waits for) and missing (dependency ids that do not exist).',
  input: { limit: limitParam(100, 20) },
  readOnly: true,
  run: ({ limit }, ctx) => {
    const { byId, blocked: all } = boardPlan(ctx.store)
    const features = all.slice(0, limit).map((blocked) => ({
      ...featureView(byId.get(blocked.id)!, ctx.store.claims.holder(blocked.id)),
      blocked_by: blocked.waitingOn,
      missing: blocked.missing,
    }))
    return ok({ features, count: features.length, total_blocked: all.length })
  },
})
