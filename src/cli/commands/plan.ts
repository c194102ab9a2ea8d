import type { Command } from 'commander'

import { CliError, printJson, withStore } from '../util.js'

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
      const { planFeatures, toSchedFeature } = await import('../../core/scheduling.js')
      const { readPlanFile } = await import('../plan-file.js')
      const features = options.features
        ? await readPlanFile(options.features)
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
