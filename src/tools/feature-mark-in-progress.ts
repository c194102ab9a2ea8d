import { err, ok } from '../core/index.js'
import { claimForCaller } from './claim-for-caller.js'
import { defineTool } from './define-tool.js'
import { featureIdParam } from './params.js'
import { featureView } from './views.js'

export const featureMarkInProgress = defineTool({
  name: 'feature_mark_in_progress',
  description:
    'Claim a feature so no other agent works on it (it must not be passing or claimed by anyone, you included). Prefer feature_claim_and_get, which also returns the details.',
  input: { feature_id: featureIdParam },
  readOnly: false,
  run: ({ feature_id }, ctx) => {
    const claimed = claimForCaller(ctx, feature_id)
    if (!claimed.ok) return claimed
    if (claimed.value.alreadyClaimed) {
      return err(
        'ALREADY_IN_PROGRESS',
        `Feature ${feature_id} is already in progress and you hold it; continue working on it.`,
      )
    }
    const feature = ctx.store.features.get(feature_id)!
    return ok(featureView(feature, ctx.store.claims.holder(feature_id)))
  },
})
