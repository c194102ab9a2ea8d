import { z } from 'zod'

import { MAX_DEPENDENCIES, err, ok } from '../core/index.js'
import { defineTool } from './define-tool.js'
import { featureFields } from './feature-create.js'

/**
 * Most features one `feature_create_bulk` call may create. An initializer splits a spec into a few
 * hundred; a bigger list is refused as a whole (nothing is created) with the advice to split it.
 */
export const MAX_BULK_FEATURES = 1000

const BulkItem = z.object({
  ...featureFields,
  depends_on_indices: z
    .array(z.number().int().min(0))
    .max(MAX_DEPENDENCIES)
    .optional()
    .describe('Indices (0-based, in this list) of EARLIER items this one depends on.'),
})

interface BulkReply {
  created: number
  with_dependencies: number
  first_id: number | null
  last_id: number | null
}

export const featureCreateBulk = defineTool({
  name: 'feature_create_bulk',
  description: `Create many features at once, all or nothing, at the end of the queue in list order (at most ${MAX_BULK_FEATURES} per call; split longer lists). An item depends on earlier items of the same list through depends_on_indices (0-based indices, each smaller than the item's own index, at most ${MAX_DEPENDENCIES}). New ids are consecutive from first_id to last_id.`,
  input: {
    features: z
      .array(BulkItem)
      .min(1)
      .max(MAX_BULK_FEATURES, {
        error: `at most ${MAX_BULK_FEATURES} features per call; split the list into several calls`,
      })
      .describe('The features, in priority order.'),
  },
  readOnly: false,
  run: ({ features }, ctx) => {
    for (const [index, item] of features.entries()) {
      const indices = item.depends_on_indices ?? []
      if (new Set(indices).size !== indices.length) {
        return err(
          'DUPLICATE_DEPENDENCY',
          `Item ${index} ("${item.name}") lists a dependency index twice; list each once. Nothing was created.`,
        )
      }
      const forward = indices.find((dep) => dep >= index)
      if (forward !== undefined) {
        return err(
          'FORWARD_REFERENCE',
          `Item ${index} ("${item.name}") depends on index ${forward}: forward references are not allowed, an item may only depend on earlier items (0..${index - 1}). Reorder the list so dependencies come first. Nothing was created.`,
        )
      }
    }
    const drafts = features.map(({ depends_on_indices, ...fields }) => ({
      ...fields,
      dependencies: [],
      dependsOnIndices: depends_on_indices ?? [],
    }))
    const created = ctx.store.features.create(drafts, { by: ctx.callerId })
    if (!created.ok) return err(created.error.code, `${created.error.message} Nothing was created.`)
    const ids = created.value.map((feature) => feature.id)
    const reply: BulkReply = {
      created: ids.length,
      with_dependencies: features.filter((item) => (item.depends_on_indices ?? []).length > 0)
        .length,
      first_id: ids[0] ?? null,
      last_id: ids.at(-1) ?? null,
    }
    return ok(reply)
  },
  loggedIds: (_args, value) => {
    const { first_id, last_id } = value as BulkReply
    if (first_id === null || last_id === null) return []
    return Array.from({ length: last_id - first_id + 1 }, (_, offset) => first_id + offset)
  },
})
