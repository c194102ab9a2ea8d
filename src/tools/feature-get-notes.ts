import { z } from 'zod'

import { ok } from '../core/index.js'
import { defineTool } from './define-tool.js'
import { featureIdParam, limitParam } from './params.js'
import { noteView } from './views.js'

export const featureGetNotes = defineTool({
  name: 'feature_get_notes',
  description:
    'Notes, evidence, questions and answers left on a feature, oldest first (the most recent `limit` of them).',
  input: {
    feature_id: featureIdParam,
    kinds: z
      .array(z.enum(['note', 'evidence', 'question', 'answer']))
      .max(4)
      .optional()
      .describe('Only these kinds (default: all).'),
    limit: limitParam(100, 20),
  },
  readOnly: true,
  run: ({ feature_id, kinds, limit }, ctx) => {
    const found = ctx.store.features.find(feature_id)
    if (!found.ok) return found
    const all = ctx.store.notes.list(feature_id, kinds)
    const notes = all.slice(-limit).map(noteView)
    return ok({ feature_id, notes, count: notes.length, total: all.length })
  },
})
