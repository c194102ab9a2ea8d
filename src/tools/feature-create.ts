import { z } from 'zod'

import {
  Category,
  Description,
  FeatureName,
  MAX_STEP_LENGTH,
  MAX_STEPS,
  ok,
} from '../core/index.js'
import { defineTool } from './define-tool.js'
import { featureView } from './views.js'

/** The fields of a new feature as tools take them (the reference requires a description and steps). */
export const featureFields = {
  category: Category.describe('A short group name, e.g. "authentication" (1-100 characters).'),
  name: FeatureName.describe('What the feature does, as a short title (1-255 characters).'),
  description: Description.min(1).describe('What to build and how it behaves.'),
  steps: z
    .array(z.string().trim().min(1).max(MAX_STEP_LENGTH))
    .min(1)
    .max(MAX_STEPS)
    .describe('Test steps that prove it works, in order (1-100).'),
}

export const featureCreate = defineTool({
  name: 'feature_create',
  description:
    'Add one feature at the end of the queue (no dependencies; add them with feature_add_dependency). For many features at once use feature_create_bulk.',
  input: featureFields,
  readOnly: false,
  run: (args, ctx) => {
    const created = ctx.store.features.create([{ ...args, dependencies: [] }], { by: ctx.callerId })
    if (!created.ok) return created
    const feature = created.value[0]!
    return ok({
      success: true,
      message: `Created feature ${feature.id}: ${feature.name}`,
      feature: featureView(feature, undefined),
    })
  },
  loggedIds: (_args, value) => [(value as { feature: { id: number } }).feature.id],
})
