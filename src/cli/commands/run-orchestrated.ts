import { homedir } from 'node:os'

import type { Command } from 'commander'

import type { Provider, ModelRuntime } from '../../agents/index.js'
import type { AppEvent } from '../../core/index.js'
import type {
  AgentAssignment,
  FinishReason,
  Orchestrator,
  RunSettingsInput,
  RunSetup,
  RunSetupInput,
  SdkLauncherOptions,
} from '../../orchestrator/index.js'
import type { ProjectStore } from '../../store/index.js'
import type { CheckCommand } from '../../workspace/index.js'
import { CliError, orFail, registryDefaults, resolveProjectDir } from '../util.js'

/** Options of `autocoder run` as commander parses them. */
export interface RunCommandOptions {
  project?: string
  concurrency?: string | number
  testingAgents?: string | number
  batchSize?: string | number
  testingBatchSize?: string | number
  yolo?: boolean
  model?: string
  maxCost?: string | number
  maxHours?: string | number
  unsandboxed?: boolean
}

/** What `autocoder demo` (or a test) may add to a run. */
export interface RunExtras {
  /** Our environment for the provider and the model processes; default process.env. */
  env?: Readonly<Record<string, string | undefined>>
  /** Text appended to every prompt (scripted model routing markers). */
  promptSuffix?: (assignment: AgentAssignment) => string | undefined
  runtime?: ModelRuntime
  /** Check command; default the project setting `check_command`. */
  checkCommand?: CheckCommand
  initializerFeatureCount?: number
  /** Anything else for the launcher (limits, sessions per agent, claude path). */
  launcher?: Partial<SdkLauncherOptions>
  /** Extra run settings (leases, attempts). */
  settings?: RunSettingsInput
  /** Where lines go; default stdout. */
  write?: (line: string) => void
  /** Called with every event of the run (after its line is written). */
  onEvent?: (event: AppEvent) => void
  /** Where a refusal or failure to start goes; default stderr. */
  writeError?: (line: string) => void
  /** Install SIGINT/SIGTERM handlers for a graceful stop; default true. */
  handleSignals?: boolean
  /** A provider instead of the settings' (the demo's scripted model). */
  provider?: Provider
  /** Recorded in `run.started`; default `cli`. */
  startedBy?: 'cli' | 'demo'
}

/** Exit codes of `autocoder run`. */
export const RUN_EXIT_CODES: Readonly<Record<FinishReason | 'locked', number>> = {
  complete: 0,
  drained: 0,
  error: 1,
  budget: 3,
  deadlock: 4,
  locked: 5,
  stopped: 130,
}

/** Declares the options of `autocoder run` on a command (run.ts and demo.ts share them). */
export function addRunOptions(command: Command): Command {
  return command
    .option('--concurrency <n>', 'coding agents at once (1-10; default: settings, then 1)')
    .option('--testing-agents <n>', 'testing agents at once (0-3; default: settings, then 0)')
    .option('--batch-size <n>', 'features per coding agent (1-3; default: settings, then 3)')
    .option('--testing-batch-size <n>', 'features per testing agent (1-5; default 3)')
    .option('--yolo', 'fast mode: no browser checks, no testing agents (default: the yolo setting)')
    .option('--model <model>', 'model for every agent (default: settings, then per-role defaults)')
    .option('--max-cost <usd>', 'stop (drain) when the run has spent this many US dollars')
    .option('--max-hours <h>', 'stop (drain) after this many hours')
    .option(
      '--unsandboxed',
      'run agents WITHOUT the OS sandbox, accepting that their code can read your credentials and write outside the project (default: the unsandboxed setting; otherwise a run refuses where the sandbox cannot start)',
    )
}

function number(value: string | number | undefined, what: string): number | undefined {
  if (value === undefined) return undefined
  const parsed = typeof value === 'number' ? value : Number(value)
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new CliError(`--${what} must be a non-negative number, not "${value}".`, 2)
  return parsed
}

/**
 * `autocoder run`: runs the orchestrator on a project until every feature passes, printing a line
 * per agent event worth seeing and a status line; SIGINT/SIGTERM stop it gracefully. Returns the
 * exit code (see RUN_EXIT_CODES).
 */
export async function runOrchestrated(
  options: RunCommandOptions,
  extras: RunExtras = {},
): Promise<number> {
  const write = extras.write ?? ((line: string) => void process.stdout.write(`${line}\n`))
  const writeError = extras.writeError ?? ((line: string) => void process.stderr.write(`${line}\n`))
  const projectDir = await resolveProjectDir(options.project)
  const { ProjectStore } = await import('../../store/index.js')
  const store = orFail(ProjectStore.open(projectDir))
  try {
    const { orchestrator, provider, settings, sandbox } = await setUpCliRun(
      store,
      projectDir,
      options,
      extras,
    )
    const unsubscribe = printRunEvents(store, orchestrator, write, extras.onEvent)
    const removeSignals =
      extras.handleSignals === false ? () => undefined : onSignals(orchestrator, write)
    write(
      `autocoder run: ${projectDir} · ${settings.concurrency} coding, ${settings.testingAgents} testing agent(s) · ${provider?.description ?? 'simulated agents'} · sandbox: ${sandbox ?? 'none (simulated agents)'}`,
    )
    try {
      return await runToTheEnd(orchestrator, write, writeError)
    } finally {
      removeSignals()
      unsubscribe()
    }
  } finally {
    store.close()
  }
}

/** The run the command line, the registry's defaults and `extras` ask for, set up on `store`. */
async function setUpCliRun(
  store: ProjectStore,
  projectDir: string,
  options: RunCommandOptions,
  extras: RunExtras,
): Promise<RunSetup> {
  const { setUpRun } = await import('../../orchestrator/index.js')
  const { autocoderHome } = await import('../../store/index.js')
  const env = extras.env ?? process.env
  const registry = await registryDefaults(projectDir)
  return orFail(
    await setUpRun({
      store,
      request: runRequest(options),
      globalSettings: registry.settings,
      env,
      home: env['HOME'] ?? homedir(),
      autocoderHome: autocoderHome(env),
      defaultConcurrency: registry.defaultConcurrency,
      otherProjects: registry.otherProjects,
      startedBy: extras.startedBy ?? 'cli',
      waitForAnswers: extras.settings?.waitForAnswers ?? false,
      provider: extras.provider,
      checkCommand: extras.checkCommand,
      initializerFeatureCount: extras.initializerFeatureCount,
      settings: extras.settings,
      launcher: {
        ...(extras.promptSuffix ? { promptSuffix: extras.promptSuffix } : {}),
        ...(extras.runtime ? { runtime: extras.runtime } : {}),
        ...extras.launcher,
      },
    }),
    2,
  )
}

/** The options given on the command line, checked, as a run request (absent ones left out). */
function runRequest(options: RunCommandOptions): RunSetupInput['request'] {
  return definedOnly({
    concurrency: number(options.concurrency, 'concurrency'),
    testingAgents: number(options.testingAgents, 'testing-agents'),
    batchSize: number(options.batchSize, 'batch-size'),
    testingBatchSize: number(options.testingBatchSize, 'testing-batch-size'),
    maxCostUsd: number(options.maxCost, 'max-cost'),
    maxHours: number(options.maxHours, 'max-hours'),
    yolo: options.yolo === true ? true : undefined,
    model: options.model,
    unsandboxed: options.unsandboxed === true ? true : undefined,
  })
}

/** Writes a line per event worth seeing, and a status line after each change of state. */
function printRunEvents(
  store: ProjectStore,
  orchestrator: Orchestrator,
  write: (line: string) => void,
  onEvent: ((event: AppEvent) => void) | undefined,
): () => void {
  return store.events.subscribe((event) => {
    const line = describeEvent(event)
    if (line !== null) {
      write(line)
      if (
        event.type === 'feature.state' ||
        event.type === 'agent.started' ||
        event.type === 'agent.finished'
      )
        write(statusLine(orchestrator))
    }
    onEvent?.(event)
  })
}

function statusLine(orchestrator: Orchestrator): string {
  const snapshot = orchestrator.status()
  const running = snapshot.agents.filter((agent) => agent.phase !== 'settling').length
  return `[status] ${snapshot.stats.passing}/${snapshot.stats.total} passing · ${running} agent(s) running · $${snapshot.spend.costUsd.toFixed(2)} spent`
}

/** Runs until the run finishes, prints how it ended and returns the exit code. */
async function runToTheEnd(
  orchestrator: Orchestrator,
  write: (line: string) => void,
  writeError: (line: string) => void,
): Promise<number> {
  const report = await orchestrator.run()
  if (!report.ok) {
    writeError(`autocoder: ${report.error.message}`)
    return report.error.code === 'PROJECT_LOCKED' ? RUN_EXIT_CODES.locked : RUN_EXIT_CODES.error
  }
  const { stats, spend, reason, message, code } = report.value
  write(code === null ? message : `${code}: ${message}`)
  write(
    `features: ${stats.passing}/${stats.total} passing · spent $${spend.costUsd.toFixed(2)} · ${reason}`,
  )
  return RUN_EXIT_CODES[reason]
}

function definedOnly<T extends Record<string, unknown>>(
  value: T,
): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<{
    [K in keyof T]: Exclude<T[K], undefined>
  }>
}

/** First SIGINT/SIGTERM: graceful stop; a second one: exit at once. */
function onSignals(orchestrator: Orchestrator, write: (line: string) => void): () => void {
  let signalled = false
  const handler = (signal: NodeJS.Signals): void => {
    if (signalled) process.exit(130)
    signalled = true
    write(`${signal}: stopping the agents and releasing their features (again to quit at once)...`)
    orchestrator.stop(`interrupted by ${signal}`)
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return () => {
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
  }
}

const ids = (featureIds: readonly number[]): string => featureIds.map((id) => `#${id}`).join(', ')

/** The line printed for an event, or null for events not worth a line. */
export function describeEvent(event: AppEvent): string | null {
  switch (event.type) {
    case 'run.started':
      return `run ${event.runId} started${event.sandbox ? ` (sandbox: ${event.sandbox})` : ''}`
    case 'run.unsandboxed':
      return `WARNING: ${event.message}`
    case 'run.paused':
      return 'paused: no new agents start'
    case 'run.resumed':
      return 'resumed'
    case 'run.draining':
      return `draining: ${event.reason}`
    case 'run.concurrency':
      return `concurrency: ${event.coding} coding, ${event.testing} testing`
    case 'run.deadlock':
      return `deadlock: ${event.blocked.length} feature(s) blocked${event.cycles.length > 0 ? `, ${event.cycles.length} cycle(s)` : ''}`
    case 'agent.started':
      return `[${event.agentId}] ${event.role} agent started${event.featureIds.length > 0 ? ` on ${ids(event.featureIds)}` : ''}`
    case 'agent.finished':
      return `[${event.agentId}] ${event.outcome}: ${event.message}`
    case 'agent.tool_use':
      return `[${event.agentId}] ${event.tool.replace(/^mcp__features__/, '')}`
    case 'agent.error':
      return `[${event.agentId}] error ${event.code}: ${event.message}`
    case 'agent.rate_limited':
      return `[${event.agentId}] rate limited; retrying in ${Math.round(event.retryAfterMs / 1000)} s`
    case 'feature.state':
      return `#${event.featureId} ${event.from} -> ${event.to} (${event.reason})`
    case 'merge.queued':
      return `[${event.agentId}] merging ${ids(event.featureIds)}`
    case 'merge.succeeded':
      return `[${event.agentId}] merged ${ids(event.featureIds)} as ${event.commit.slice(0, 10)}`
    case 'merge.conflict':
      return `[${event.agentId}] merge conflict in ${event.files.join(', ')}; ${ids(event.featureIds)} will be redone`
    case 'check.finished':
      return event.passed ? null : `[${event.agentId}] check failed for ${ids(event.featureIds)}`
    case 'policy.decision':
      return event.allowed ? null : `[${event.agentId}] refused: ${event.command} (${event.reason})`
    case 'git.restored':
      return `warning: restored ${event.paths.join(', ')} (changed by an agent; found ${event.when})`
    case 'log':
      return event.level === 'warn' || event.level === 'error'
        ? `${event.level}: ${event.text}`
        : null
    case 'agent.text':
    case 'agent.thinking':
    case 'agent.tool_result':
    case 'agent.usage':
    case 'feature.claimed':
    case 'feature.created':
    case 'feature.deleted':
    case 'feature.note':
    case 'feature.released':
    case 'feature.updated':
    case 'run.finished':
    case 'tool.called':
      return null
  }
}
