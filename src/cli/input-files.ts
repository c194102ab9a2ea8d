// The JSON files the CLI reads (`features import FILE`, `plan --features FILE`) and their schemas.
// Commands import this module when they run, so that zod is loaded only by those that need it
// (`plan` only for a file that is not valid, see plan-file.ts).
import { z } from 'zod'

import { NewFeature } from '../core/index.js'
import type { SchedFeature } from '../core/index.js'
import type { FeatureDraft } from '../store/index.js'
import { CliError, describeZodError, readJsonFile } from './util.js'

/** A feature in an import file: our fields, plus the reference's `depends_on_indices`. */
const ImportItem = NewFeature.extend({
  depends_on_indices: z.array(z.number().int().nonnegative()).max(20).optional(),
})
const ImportFile = z.object({ features: z.array(ImportItem).min(1).max(10_000) })

/** Reads a `features import` file into drafts for the store; nothing is written when it is invalid. */
export function readImportFile(file: string): FeatureDraft[] {
  const parsed = ImportFile.safeParse(readJsonFile(file))
  if (!parsed.success)
    throw new CliError(`${file}: ${describeZodError(parsed.error)}; nothing was imported.`)
  return parsed.data.features.map(({ depends_on_indices, ...rest }) => ({
    ...rest,
    ...(depends_on_indices ? { dependsOnIndices: depends_on_indices } : {}),
  }))
}

/** The `plan --features FILE` format: the reference's feature dicts (see plan-file.ts). */
const PlanFile = z.object({
  features: z.array(
    z.object({
      id: z.number().int().positive(),
      priority: z.number().int().optional(),
      category: z.string().default(''),
      name: z.string().optional(),
      passes: z.boolean().nullish(),
      in_progress: z.boolean().nullish(),
      dependencies: z.array(z.number().int()).nullish(),
    }),
  ),
})

/**
 * A `plan --features` file parsed with its schema (plan-file.ts reads valid files without it):
 * the planner's input, or a CliError that says what is wrong.
 */
export function parsePlanFile(data: unknown, path: string): SchedFeature[] {
  const parsed = PlanFile.safeParse(data)
  if (!parsed.success)
    throw new CliError(
      `${path}: ${describeZodError(parsed.error)}; expected {"features":[{"id","priority","category","name","passes","in_progress","dependencies"}]}.`,
    )
  return parsed.data.features.map((f) => ({
    id: f.id,
    category: f.category,
    passes: f.passes ?? false,
    inProgress: f.in_progress ?? false,
    dependencies: f.dependencies ?? [],
    ...(f.priority === undefined ? {} : { priority: f.priority }),
  }))
}
