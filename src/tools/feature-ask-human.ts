import { z } from 'zod'

import { ok } from '../core/index.js'
import { defineTool } from './define-tool.js'
import { actorOf, requireHolder } from './ownership.js'
import { featureIdParam } from './params.js'

export const MAX_QUESTION_LENGTH = 4000

export const featureAskHuman = defineTool({
  name: 'feature_ask_human',
  description:
    'Ask a person a question about a feature you hold when you cannot decide yourself (missing credentials, an unclear requirement, a choice only the user can make). Optionally offer choices. The feature waits for the answer and your claim is released; whoever takes it next sees the answer. Then continue with other work.',
  input: {
    feature_id: featureIdParam,
    question: z
      .string()
      .trim()
      .min(1)
      .max(MAX_QUESTION_LENGTH)
      .describe('The question, self-contained.'),
    choices: z
      .array(z.string().trim().min(1).max(500))
      .min(2)
      .max(10)
      .optional()
      .describe('Possible answers to choose from (2-10), if the question has a fixed set.'),
  },
  readOnly: false,
  run: ({ feature_id, question, choices }, ctx) =>
    ctx.store.atomically(() => {
      const held = requireHolder(ctx, feature_id, 'ask about')
      if (!held.ok) return held
      const { claim } = held.value
      const noted = ctx.store.notes.add(
        feature_id,
        ctx.callerId,
        'question',
        question,
        choices ? { choices } : undefined,
      )
      if (!noted.ok) return noted
      const moved = ctx.store.features.transition(feature_id, 'needs_human', {
        by: ctx.callerId,
        actor: actorOf(ctx, claim),
        reason: 'asked a person',
      })
      if (!moved.ok) return moved
      if (claim) {
        const released = ctx.store.claims.release(feature_id, null, 'asked a person')
        if (!released.ok) return released
      }
      return ok({
        success: true,
        feature_id,
        state: 'needs_human',
        message: `Question recorded; feature ${feature_id} waits for a person's answer and you no longer hold it. Continue with another feature (feature_get_ready) or end your session.`,
      })
    }),
})
