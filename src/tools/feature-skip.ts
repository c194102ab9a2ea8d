import { z } from 'zod'

import { err, ok } from '../core/result.js'
import { defineTool } from './define-tool.js'
import { requireHolder } from './ownership.js'
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
      const { feature, claim } = held.value
      if (feature.state === 'passing') {
        return err(
          'ALREADY_PASSING',
          `Feature ${feature_id} is already passing, so there is nothing to skip.`,
        )
      }
      const newPriority = ctx.store.features.nextPriority()
      const updated = ctx.store.features.update(feature_id, { priority: newPriority }, ctx.callerId)
      if (!updated.ok) return updated
      const moved = ctx.store.features.transition(feature_id, 'skipped', {
        by: ctx.callerId,
        reason: reason ?? 'skipped',
      })
      if (!moved.ok) return moved
      if (claim) {
        const released = ctx.store.claims.release(feature_id, null, 'skipped')
        if (!released.ok) return released
      }
      if (reason) {
        const noted = ctx.store.notes.add(feature_id, ctx.callerId, 'note', `Skipped: ${reason}`)
        if (!noted.ok) return noted
      }
      return ok({
        id: feature_id,
        name: feature.name,
        old_priority: feature.priority,
        new_priority: newPriority,
        state: 'skipped',
        message: `Feature ${feature_id} is skipped and released; call feature_get_ready for other work.`,
      })
    }),
})
