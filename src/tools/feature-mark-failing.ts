import { ok } from '../core/index.js'
import { defineTool } from './define-tool.js'
import { actorOf, requireHolder } from './ownership.js'
import { featureIdParam } from './params.js'
import { fullFeatureView } from './views.js'

export const featureMarkFailing = defineTool({
  name: 'feature_mark_failing',
  description:
    'Mark a feature you hold as failing. A testing agent that finds a regression keeps its claim, so no coding agent starts on it while you fix it: fix it and call feature_mark_passing, or call feature_clear_in_progress to hand it to a coding agent. A coding agent that gives up on its feature releases it for a retry.',
  input: { feature_id: featureIdParam },
  readOnly: false,
  run: ({ feature_id }, ctx) =>
    ctx.store.atomically(() => {
      const held = requireHolder(ctx, feature_id, 'mark failing')
      if (!held.ok) return held
      const { claim } = held.value
      const keepsClaim = claim?.kind === 'testing' && claim.agentId === ctx.callerId
      const moved = ctx.store.features.transition(feature_id, 'failing', {
        by: ctx.callerId,
        actor: actorOf(ctx, claim),
        reason: 'marked failing',
        ...(claim?.kind === 'coding' ? { extra: 'attempt' as const } : {}),
      })
      if (!moved.ok) return moved
      if (claim && !keepsClaim) {
        const released = ctx.store.claims.release(feature_id, null, 'marked failing')
        if (!released.ok) return released
      }
      const message = keepsClaim
        ? `Feature ${feature_id} is failing and you keep its claim; fix it and call feature_mark_passing, or feature_clear_in_progress to hand it to a coding agent.`
        : `Feature ${feature_id} is failing and free for a coding agent to fix.`
      return ok({
        message,
        feature: fullFeatureView(ctx.store, ctx.store.features.get(feature_id)!),
      })
    }),
})
