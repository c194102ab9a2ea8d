import type { Command } from 'commander'

import type { AgentRoleName } from '../../agents/index.js'
import { formatEvent } from '../format-event.js'
import { CliError, orFail, parseIdList, registryDefaults, resolveProjectDir } from '../util.js'
import { addRunOptions, runOrchestrated } from './run-orchestrated.js'
import type { RunCommandOptions } from './run-orchestrated.js'

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
  unsandboxed?: boolean
}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new CliError(`${flag} must be a positive whole number, not "${text}".`, 2)
  return Number(text)
}

/** `autocoder run --agent ROLE`: one agent against a real model, events printed live. */
async function runAgentCommand(options: RunOptions): Promise<void> {
  const role = options.agent as AgentRoleName
  if (!ROLES.includes(role))
    throw new CliError(`--agent must be one of ${ROLES.join(', ')}, not "${options.agent}".`, 2)
  const projectDir = await resolveProjectDir(options.project)
  const { runSingleAgent, sdkRuntime } = await import('../../agents/index.js')
  const { systemClock } = await import('../../core/index.js')
  const { ProjectStore } = await import('../../store/index.js')
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
    const registry = await registryDefaults(projectDir)
    const result = await runSingleAgent({
      store,
      role,
      featureIds: options.featureIds ? parseIdList(options.featureIds, 'feature id') : undefined,
      model: options.model,
      yolo: options.yolo === true,
      maxIterations: positiveInt(options.maxIterations, '--max-iterations'),
      port: positiveInt(options.port, '--port') ?? 3000,
      featureCount: positiveInt(options.featureCount, '--feature-count'),
      globalSettings: registry.settings,
      otherProjects: registry.otherProjects,
      unsandboxed: options.unsandboxed === true ? true : undefined,
      env: process.env,
      runtime: sdkRuntime,
      clock: systemClock,
      signal: controller.signal,
      onStart: (info) => {
        const features = info.featureIds.length ? ` on #${info.featureIds.join(', #')}` : ''
        process.stdout.write(
          `Running ${role} agent ${info.agentId}${features} in ${projectDir}\n  model ${info.model} via ${info.provider}; browser ${info.browser ? 'on' : 'off (fast mode)'}; sandbox: ${info.sandbox}\n`,
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

/** Flags that only the orchestrator reads, and those only a single agent (`--agent`) reads. */
const ORCHESTRATOR_FLAGS = [
  'concurrency',
  'testingAgents',
  'batchSize',
  'testingBatchSize',
  'maxCost',
  'maxHours',
] as const
const AGENT_FLAGS = ['featureIds', 'maxIterations', 'port'] as const

const flagName = (key: string): string =>
  `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`

/** Refuses flags given on the command line that the chosen mode would silently ignore. */
function refuseFlags(command: Command, keys: readonly string[], mode: string): void {
  const given = keys.filter((key) => command.getOptionValueSource(key) === 'cli')
  if (given.length === 0) return
  const flags = given.map(flagName).join(', ')
  throw new CliError(`${flags} ${given.length === 1 ? 'applies' : 'apply'} only ${mode}.`, 2)
}

/** Registers `autocoder run`: one agent with `--agent`, otherwise the orchestrator. */
export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description(
      'Run agents on a project: the orchestrator (parallel agents until every feature passes), or one agent with --agent',
    )
    .requiredOption('-p, --project <dir>', 'project folder or registered name')
    .option('--agent <role>', 'run one agent instead: initializer, coding or testing')
    .option(
      '--feature-ids <ids>',
      'with --agent: features for the agent, e.g. 1,2,3 (default: the next ready one, or passing ones to re-test)',
    )
    .option('--max-iterations <n>', 'with --agent: at most this many sessions')
    .option('--port <port>', "with --agent: the agent's dev server port", '3000')
    .option('--feature-count <n>', 'initializer: how many features to create')
  addRunOptions(command).action(async (options: RunOptions & RunCommandOptions) => {
    if (options.agent !== undefined) {
      refuseFlags(command, ORCHESTRATOR_FLAGS, 'to the orchestrator (without --agent)')
      return runAgentCommand(options)
    }
    refuseFlags(command, AGENT_FLAGS, 'to a single agent (with --agent ROLE)')
    const featureCount = positiveInt(options.featureCount, '--feature-count')
    process.exitCode = await runOrchestrated(
      options,
      featureCount === undefined ? {} : { initializerFeatureCount: featureCount },
    )
  })
}
