import type { Command } from 'commander'
import { z } from 'zod'

import { planFeatures, toSchedFeature } from '../../core/scheduling.js'
import type { SchedFeature } from '../../core/scheduling.js'
import { CliError, describeZodError, printJson, readJsonFile, withStore } from '../util.js'

/** The `--features FILE` format: the reference's feature dicts. */
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

function fromFile(path: string): SchedFeature[] {
  const parsed = PlanFile.safeParse(readJsonFile(path))
  if (!parsed.success)
    throw new CliError(
      `${path}: ${describeZodError(parsed.error)}; expected {"features":[{"id","priority","category","name","passes","in_progress","dependencies"}]}.`,
    )
  const seen = new Set<number>()
  for (const feature of parsed.data.features) {
    if (seen.has(feature.id))
      throw new CliError(`${path}: feature id ${feature.id} appears twice; ids must be unique.`)
    seen.add(feature.id)
  }
  return parsed.data.features.map((f) => ({
    id: f.id,
    category: f.category,
    passes: f.passes ?? false,
    inProgress: f.in_progress ?? false,
    dependencies: f.dependencies ?? [],
    ...(f.priority === undefined ? {} : { priority: f.priority }),
  }))
}

/** Registers `autocoder plan`. */
export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description(
      'Show what is ready (in scheduling order), what is blocked, and any dependency cycles',
    )
    .option('-p, --project <dir>', 'project folder or registered name')
    .option(
      '--features <file>',
      'plan a JSON file of features instead of a project (no database is touched)',
    )
    .option('--json', 'print one JSON object {"ready":[...],"blocked":[...],"cycles":[[...]]}')
    .action(async (options: { project?: string; features?: string; json?: boolean }) => {
      if (Boolean(options.project) === Boolean(options.features)) {
        throw new CliError('Pass exactly one of --project DIR and --features FILE.', 2)
      }
      const features = options.features
        ? fromFile(options.features)
        : await withStore(options.project, (store) => {
            const claimed = new Set(store.claims.list().map((claim) => claim.featureId))
            return store.features
              .list()
              .map((feature) => toSchedFeature(feature, claimed.has(feature.id)))
          })
      const plan = planFeatures(features)
      if (options.json) {
        printJson({
          ready: plan.ready,
          blocked: plan.blocked.map((b) => b.id),
          cycles: plan.cycles,
        })
        return
      }
      process.stdout.write(`ready (${plan.ready.length}): ${plan.ready.join(', ') || 'none'}\n`)
      process.stdout.write(`blocked (${plan.blocked.length}):\n`)
      for (const blocked of plan.blocked) {
        const missing = blocked.missing.length ? `; missing ${blocked.missing.join(', ')}` : ''
        process.stdout.write(
          `  #${blocked.id} waits on ${blocked.waitingOn.join(', ') || 'nothing that exists'}${missing}\n`,
        )
      }
      for (const cycle of plan.cycles)
        process.stdout.write(`cycle: ${[...cycle, cycle[0]].join(' -> ')}\n`)
    })
}
