import { ok } from '../core/index.js'
import { defineTool } from './define-tool.js'

export const featureGetStats = defineTool({
  name: 'feature_get_stats',
  description:
    'Progress of the whole project: how many features pass, are in progress, fail, wait for a person, are skipped or pending, and the percentage passing.',
  input: {},
  readOnly: true,
  run: (_args, ctx) => {
    const stats = ctx.store.features.stats()
    // Coding claims put features in progress; testing claims leave them passing (or failing).
    const testing = ctx.store.claims.list().filter((claim) => claim.kind === 'testing').length
    return ok({
      passing: stats.passing,
      in_progress: stats.inProgress + testing,
      total: stats.total,
      percentage: stats.percentage,
      failing: stats.failing,
      needs_human: stats.needsHuman,
      skipped: stats.skipped,
      pending: stats.pending,
    })
  },
})
