// `autocoder plan --features FILE`: the reference's feature dicts, read without loading zod when
// the file is valid. Scripts plan large boards in loops; zod's import and a 10,000-feature parse
// cost more than the plan itself. The schema in input-files.ts stays the definition: a file the
// check below does not accept is parsed by it, which says what is wrong (or, if the check was too
// strict, plans the file all the same). test/unit/cli/plan-file.test.ts holds both to one answer.
import type { SchedFeature } from '../core/index.js'
import { CliError, readJsonFile } from './util.js'

/** Reads a `plan --features` file into the planner's input; ids must be unique. */
export async function readPlanFile(path: string): Promise<SchedFeature[]> {
  const data = readJsonFile(path)
  let features = planInput(data)
  if (!features) {
    const { parsePlanFile } = await import('./input-files.js')
    features = parsePlanFile(data, path)
  }
  // Files in id order (the usual case) have unique ids when each id is above the one before.
  let ascending = true
  for (let i = 1; i < features.length && ascending; i++)
    ascending = features[i - 1]!.id < features[i]!.id
  if (ascending) return features
  const seen = new Set<number>()
  for (const feature of features) {
    if (seen.has(feature.id))
      throw new CliError(`${path}: feature id ${feature.id} appears twice; ids must be unique.`)
    seen.add(feature.id)
  }
  return features
}

/**
 * The planner's input when `data` is a plan file exactly as the PlanFile schema takes it, else
 * null. Unknown keys are ignored, as the schema strips them.
 */
export function planInput(data: unknown): SchedFeature[] | null {
  if (!isRecord(data) || !Array.isArray(data.features)) return null
  const items: unknown[] = data.features
  const features = new Array<SchedFeature>(items.length)
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    if (!isRecord(item)) return null
    const { id, priority, category = '', name, passes, in_progress, dependencies } = item
    if (!(Number.isSafeInteger(id) && (id as number) > 0)) return null
    if (priority !== undefined && !Number.isSafeInteger(priority)) return null
    if (typeof category !== 'string' || (name !== undefined && typeof name !== 'string'))
      return null
    if (!isNullishBoolean(passes) || !isNullishBoolean(in_progress)) return null
    if (dependencies != null && !(Array.isArray(dependencies) && allIntegers(dependencies)))
      return null
    features[i] = {
      id: id as number,
      category,
      passes: passes ?? false,
      inProgress: in_progress ?? false,
      dependencies: (dependencies as number[] | null | undefined) ?? [],
      ...(priority === undefined ? {} : { priority: priority as number }),
    }
  }
  return features
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isNullishBoolean(value: unknown): value is boolean | null | undefined {
  return value == null || typeof value === 'boolean'
}

function allIntegers(values: readonly unknown[]): boolean {
  for (const value of values) if (!Number.isSafeInteger(value)) return false
  return true
}
