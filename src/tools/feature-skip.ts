import { z } from 'zod'

import { ok } from '../core/index.js'
import { skipFeature } from '../store/index.js'
import { defineTool } from './define-tool.js'
import { actorOf, requireHolder } from './ownership.js'
import { featureIdParam } from './params.js'

export const featureSkip = defineTool({
  name: 'feature_skip',
  description:
    'Take a feature you hold out of the run (state skipped, moved to the end of the queue, claim released) when it cannot be done now, for example because it needs an external service. A person puts it back. Give the reason. To ask a person something instead, use feature_ask_human.',
  input: {
    feature_id: featureIdParam,
    reason: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .describe('Why it cannot be done now (kept as a note).'),
  },
  readOnly: false,
  run: ({ feature_id, reason }, ctx) =>
    ctx.store.atomically(() => {
      const held = requireHolder(ctx, feature_id, 'skip')
      if (!held.ok) return held
      const caller = { actor: actorOf(ctx, held.value.claim), by: ctx.callerId }
      const skipped = skipFeature(ctx.store, feature_id, caller, reason)
      if (!skipped.ok) return skipped
      const { feature, oldPriority } = skipped.value
      return ok({
        id: feature_id,
        name: feature.name,
        old_priority: oldPriority,
        new_priority: feature.priority,
        state: 'skipped',
        message: `Feature ${feature_id} is skipped and released; call feature_get_ready for other work.`,
      })
    }),
})
