import type { Command } from 'commander'

import { runSingleAgent, sdkRuntime } from '../../agents/index.js'
import type { AgentRoleName } from '../../agents/index.js'
import { systemClock } from '../../core/clock.js'
import { ProjectStore, Registry } from '../../store/index.js'
import { formatEvent } from '../format-event.js'
import { CliError, orFail, parseIdList, resolveProjectDir } from '../util.js'

const ROLES: readonly AgentRoleName[] = ['initializer', 'coding', 'testing']

export interface RunOptions {
  project?: string
  agent?: string
  featureIds?: string
  model?: string
  yolo?: boolean
  maxIterations?: string
  port?: string
  featureCount?: string
}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new CliError(`${flag} must be a positive whole number, not "${text}".`, 2)
  return Number(text)
}

function globalSettings(): Record<string, unknown> {
  const registry = Registry.open()
  if (!registry.ok) return {}
  try {
    return registry.value.settings.all()
  } finally {
    registry.value.close()
  }
}

/** `autocoder run --agent ROLE`: one agent against a real model, events printed live. */
async function runAgentCommand(options: RunOptions): Promise<void> {
  const role = options.agent as AgentRoleName
  if (!ROLES.includes(role)) throw new CliError(`--agent must be one of ${ROLES.join(', ')}, not "${options.agent}".`, 2)
  const projectDir = resolveProjectDir(options.project)
  const store = orFail(ProjectStore.open(projectDir))
  const controller = new AbortController()
  const onSignal = (): void => {
    process.stderr.write('\nStopping the agent (Ctrl-C again to force)...\n')
    process.off('SIGINT', onSignal)
    controller.abort(new Error('interrupted'))
  }
  process.on('SIGINT', onSignal)
  const unsubscribe = store.events.subscribe((event) => {
    const line = formatEvent(event)
    if (line !== null) process.stdout.write(`${line}\n`)
  })
  try {
    const result = await runSingleAgent({
      store,
      role,
      featureIds: options.featureIds ? parseIdList(options.featureIds, 'feature id') : undefined,
      model: options.model,
      yolo: options.yolo === true,
      maxIterations: positiveInt(options.maxIterations, '--max-iterations'),
      port: positiveInt(options.port, '--port') ?? 3000,
      featureCount: positiveInt(options.featureCount, '--feature-count'),
      globalSettings: globalSettings(),
      env: process.env,
      runtime: sdkRuntime,
      clock: systemClock,
      signal: controller.signal,
      onStart: (info) => {
        const features = info.featureIds.length ? ` on #${info.featureIds.join(', #')}` : ''
        process.stdout.write(
          `Running ${role} agent ${info.agentId}${features} in ${projectDir}\n  model ${info.model} via ${info.provider}; browser ${info.browser ? 'on' : 'off (fast mode)'}\n`,
        )
      },
    })
    const outcome = orFail(result, 2)
    const usage = outcome.usage
    process.stdout.write(
      `${outcome.outcome}: ${outcome.message}\n${outcome.iterations} session(s), ${usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens} input and ${usage.outputTokens} output tokens, $${usage.costUsd.toFixed(4)}\n`,
    )
    if (outcome.outcome === 'interrupted') process.exitCode = 130
    else if (outcome.outcome !== 'done') process.exitCode = 1
  } finally {
    unsubscribe()
    process.off('SIGINT', onSignal)
    store.close()
  }
}

/** Registers `autocoder run`: one agent with `--agent`, otherwise the orchestrator. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Run agents on a project: one agent with --agent, otherwise the orchestrator')
    .requiredOption('-p, --project <dir>', 'project folder or registered name')
    .option('--agent <role>', 'run one agent: initializer, coding or testing')
    .option('--feature-ids <ids>', 'features for the agent, e.g. 1,2,3 (default: the next ready one, or passing ones to re-test)')
    .option('--model <model>', "model id (default: the role's model setting)")
    .option('--yolo', 'fast mode: no browser, verify by lint, type-check and server start')
    .option('--max-iterations <n>', 'at most this many sessions')
    .option('--port <port>', "the agent's dev server port", '3000')
    .option('--feature-count <n>', 'initializer: how many features to create')
    .action(async (options: RunOptions) => {
      if (options.agent !== undefined) return runAgentCommand(options)
      throw new CliError('The orchestrator is not available yet; run one agent with --agent initializer|coding|testing.', 2)
    })
}
