import { ok } from '../core/index.js'
import { claimForCaller } from './claim-for-caller.js'
import { defineTool } from './define-tool.js'
import { featureIdParam } from './params.js'
import { fullFeatureView } from './views.js'

export const featureClaimAndGet = defineTool({
  name: 'feature_claim_and_get',
  description:
    'Claim a feature for yourself and get its full details in one call. Calling it again for a feature you already hold is fine (already_claimed: true). Coding agents claim pending or failing features; testing agents claim passing features to re-check them. Read human_input: if a person answered a question about this feature, follow the answer.',
  input: { feature_id: featureIdParam },
  readOnly: false,
  run: ({ feature_id }, ctx) => {
    const claimed = claimForCaller(ctx, feature_id)
    if (!claimed.ok) return claimed
    const feature = ctx.store.features.get(feature_id)!
    return ok({
      ...fullFeatureView(ctx.store, feature),
      already_claimed: claimed.value.alreadyClaimed,
    })
  },
})
