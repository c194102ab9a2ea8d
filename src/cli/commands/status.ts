import type { Command } from 'commander'

import type { SandboxKindName } from '../../core/index.js'
import { isDone } from '../../core/feature-states.js'
import type { ProjectStatus } from '../../store/index.js'
import { printJson, withProjectDatabase } from '../util.js'

function since(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000))
  if (seconds < 120) return `${seconds}s`
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`
  return `${(seconds / 3600).toFixed(1)}h`
}

/** Where a run's agents run, for people: an unsandboxed run says what that means. */
function sandboxLine(kind: SandboxKindName | null): string {
  if (kind === null) return 'none recorded (simulated agents)'
  if (kind === 'unsandboxed') return 'NONE: a person accepted running agents without the OS sandbox'
  return kind
}

/** The human-readable status: run, board summary, agents, spend, then one line per unfinished feature. */
export function formatStatus(status: ProjectStatus, now: number): string {
  const { stats, run } = status
  const lines = [
    run
      ? `run: ${run.owner} running (pid ${run.pid} on ${run.host}, for ${since(run.acquiredAt, now)}) · sandbox: ${sandboxLine(run.sandbox)}`
      : `run: none${status.lastRun ? ` (last: ${status.lastRun.reason}, ${since(status.lastRun.at, now)} ago)` : ''}`,
    `features: ${stats.passing}/${stats.total} passing (${stats.percentage}%) · ${stats.inProgress} in progress · ${stats.pending} pending · ${stats.failing} failing · ${stats.needsHuman} need a person · ${stats.skipped} skipped`,
    `spend: $${status.spend.total.costUsd.toFixed(2)} total${status.spend.run ? `, $${status.spend.run.costUsd.toFixed(2)} this run` : ''}`,
  ]
  if (status.agents.length > 0) {
    lines.push('agents:')
    for (const agent of status.agents) {
      const what =
        agent.featureIds.length > 0
          ? ` on ${agent.featureIds.map((id) => `#${id}`).join(', ')}`
          : ''
      lines.push(
        `  ${agent.agentId}  ${agent.role}${what}  ${agent.model}  ${since(agent.startedAt, now)}`,
      )
    }
  }
  const open = status.features.filter((feature) => !isDone(feature.state))
  if (open.length > 0) {
    lines.push('not done:')
    for (const feature of open.slice(0, 100)) {
      const held = feature.heldBy ? ` (held by ${feature.heldBy})` : ''
      const deps =
        feature.dependencies.length > 0 ? `  deps: ${feature.dependencies.join(',')}` : ''
      const attempts = feature.attempts > 0 ? `  attempts: ${feature.attempts}` : ''
      lines.push(`  #${feature.id}  [${feature.state}]${held}  ${feature.name}${deps}${attempts}`)
    }
    if (open.length > 100) lines.push(`  ... and ${open.length - 100} more`)
  }
  return lines.join('\n')
}

/** Registers `autocoder status --project DIR [--json]`. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description("Show a project's board, running agents and spend (also while a run is going)")
    .requiredOption('-p, --project <dir>', 'project folder or registered name')
    .option('--json', 'print JSON')
    .action(async (options: { project: string; json?: boolean }) => {
      // The database alone, read without zod or the repos: scripts call `status --json` in loops.
      const { readProjectStatus } = await import('../../store/project-status.js')
      await withProjectDatabase(options.project, async (db) => {
        const now = Date.now()
        const status = readProjectStatus(db, now)
        if (options.json) return printJson(status)
        const { autocoderHome, serverTokenPath } = await import('../../store/index.js')
        process.stdout.write(
          `${formatStatus(status, now)}\nweb UI: its token is in ${serverTokenPath(autocoderHome())}; autocoder ui --print-url prints the address\n`,
        )
      })
    })
}
