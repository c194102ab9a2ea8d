import { ok } from '../core/index.js'
import { defineTool } from './define-tool.js'
import { requireHolder } from './ownership.js'
import { featureIdParam } from './params.js'
import { isOperator } from './tool-context.js'
import { featureView } from './views.js'

export const featureClearInProgress = defineTool({
  name: 'feature_clear_in_progress',
  description:
    'Release your claim on a feature without marking it passing (for example to hand it back because you cannot finish it); it becomes free for another agent.',
  input: { feature_id: featureIdParam },
  readOnly: false,
  run: ({ feature_id }, ctx) =>
    ctx.store.atomically(() => {
      const held = requireHolder(ctx, feature_id, 'release')
      if (!held.ok) return held
      const { feature, claim } = held.value
      if (claim) {
        const released = ctx.store.claims.release(
          feature_id,
          isOperator(ctx) ? null : ctx.callerId,
          'released',
        )
        if (!released.ok) return released
      } else if (feature.state === 'in_progress') {
        // Only the operator gets here: a stray in_progress with no claim goes back to pending.
        const moved = ctx.store.features.transition(feature_id, 'pending', {
          by: ctx.callerId,
          actor: 'operator',
          reason: 'released',
        })
        if (!moved.ok) return moved
      }
      const after = ctx.store.features.get(feature_id)!
      return ok({
        ...featureView(after, undefined),
        released: claim !== undefined || feature.state === 'in_progress',
      })
    }),
})
