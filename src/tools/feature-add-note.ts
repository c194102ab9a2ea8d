import { z } from 'zod'

import { MAX_DESCRIPTION_LENGTH, ok } from '../core/index.js'
import { defineTool } from './define-tool.js'
import { featureIdParam } from './params.js'
import { noteView } from './views.js'

export const featureAddNote = defineTool({
  name: 'feature_add_note',
  description:
    'Leave a note on a feature for the people and agents who come after you. Use kind "evidence" for what you verified and how (commands run, pages checked, results seen), "note" for anything else worth knowing (a regression you noticed, a decision you made).',
  input: {
    feature_id: featureIdParam,
    text: z
      .string()
      .trim()
      .min(1)
      .max(MAX_DESCRIPTION_LENGTH)
      .describe('The note, self-contained.'),
    kind: z.enum(['note', 'evidence']).default('note').describe('"evidence" or "note" (default).'),
  },
  readOnly: false,
  run: ({ feature_id, text, kind }, ctx) => {
    const added = ctx.store.notes.add(feature_id, ctx.callerId, kind, text)
    if (!added.ok) return added
    return ok({ success: true, note: noteView(added.value) })
  },
})
