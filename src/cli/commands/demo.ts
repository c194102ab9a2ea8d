import { existsSync, readdirSync } from 'node:fs'
import { resolve } from 'node:path'

import type { Command } from 'commander'

import {
  DEFAULT_DEMO_FEATURES,
  DEFAULT_DEMO_LATENCY_MS,
  DEFAULT_DEMO_SEED,
  DEMO_SCENARIOS,
  MAX_DEMO_FEATURES,
} from '../../demo/demo-options.js'
import type { DemoModel, DemoProject, DemoScenarioName, DemoSummary } from '../../demo/index.js'
import type { AppEvent } from '../../core/index.js'
import { CliError, orFail } from '../util.js'
import { RUN_EXIT_CODES, runOrchestrated } from './run-orchestrated.js'

const MAX_CONCURRENCY = 5
const MAX_LATENCY_MS = 60_000

interface DemoCommandOptions {
  dir: string
  features: string
  concurrency: string
  seed: string
  modelLatency: string
  scenario: string
  unsandboxed?: boolean
}

function count(text: string, flag: string, min: number, max: number): number {
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}, not "${text}".`, 2)
  return value
}

function scenarioOf(text: string): DemoScenarioName {
  const names = Object.keys(DEMO_SCENARIOS)
  if (!names.includes(text))
    throw new CliError(`--scenario must be one of ${names.join(', ')}, not "${text}".`, 2)
  return text as DemoScenarioName
}

/** Prints where to answer when an agent asks a person (the run waits for the answer). */
async function questionNotice(projectDir: string, write: (line: string) => void) {
  const { ProjectStore } = await import('../../store/index.js')
  return (event: AppEvent): void => {
    if (event.type !== 'feature.state' || event.to !== 'needs_human') return
    const { featureId } = event
    // The question is committed with the state change; read it once that transaction is over.
    setImmediate(() => {
      const opened = ProjectStore.open(projectDir)
      const question = opened.ok ? opened.value.notes.latest(featureId, 'question') : undefined
      if (opened.ok) opened.value.close()
      write(
        `#${featureId} waits for a person${question ? `: "${question.text}"` : ''}\n  answer it with: autocoder answer --project ${projectDir} ${featureId} "your answer" (or in the UI); the demo waits for it`,
      )
    })
  }
}

/** What the scripted model answered: its replies, and the faults the scenario had it send. */
function modelLine(stats: DemoModel['stats']): string {
  const { rate_limit, overloaded } = stats.faults
  const faults = [
    rate_limit > 0 ? `${rate_limit} answered 429 (rate limited)` : '',
    overloaded > 0 ? `${overloaded} answered 529 (overloaded)` : '',
  ].filter((part) => part !== '')
  return `model: ${stats.replies} replies${faults.map((part) => `, ${part}`).join('')}`
}

function summaryLines(summary: DemoSummary, model: DemoModel['stats'], startedAt: number): string {
  const { usage } = summary
  const tokens =
    usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens
  const promised = summary.files.length + summary.missing.length
  return [
    '',
    `files: ${summary.files.length}/${promised} written${summary.missing.length > 0 ? ` (missing: ${summary.missing.join(', ')})` : ''}`,
    `features: ${summary.passing}/${summary.total} passing`,
    `tokens: ${tokens} (${usage.inputTokens} input, ${usage.outputTokens} output, ${usage.cacheReadTokens} cache read, ${usage.cacheWriteTokens} cache write)`,
    `cost: $${usage.costUsd.toFixed(4)} (scripted usage at list prices)`,
    modelLine(model),
    `time: ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
    '',
  ].join('\n')
}

/** The demo's options, checked, and whether each was given on the command line. */
interface DemoRequest {
  featureCount: number
  concurrency: number
  seed: number
  latencyMs: number
  scenario: DemoScenarioName
  unsandboxed: boolean
  given: (name: string) => boolean
}

function demoRequest(options: DemoCommandOptions, command: Command): DemoRequest {
  return {
    featureCount: count(options.features, '--features', 1, MAX_DEMO_FEATURES),
    concurrency: count(options.concurrency, '--concurrency', 1, MAX_CONCURRENCY),
    seed: count(options.seed, '--seed', 0, 2 ** 32 - 1),
    latencyMs: count(options.modelLatency, '--model-latency', 0, MAX_LATENCY_MS),
    scenario: scenarioOf(options.scenario),
    unsandboxed: options.unsandboxed === true,
    given: (name) => command.getOptionValueSource(name) === 'cli',
  }
}

const write = (line: string): void => void process.stdout.write(`${line}\n`)

/**
 * `autocoder demo`: the orchestrator on a generated sample project, against the scripted model
 * API in this process: the initializer creates the features, coding agents build them in their
 * own worktrees, the merge queue merges and checks their work. An earlier demo folder is resumed.
 */
async function runDemoCommand(options: DemoCommandOptions, command: Command): Promise<void> {
  const request = demoRequest(options, command)
  const dir = resolve(options.dir)
  const { demoScenarioProblem, startDemoModel } = await import('../../demo/index.js')
  // A new board is checked before its folder is made, a resumed one once its board is read.
  if (!existsSync(dir) || readdirSync(dir).length === 0) {
    const { featureCount: features, concurrency } = request
    const problem = demoScenarioProblem(request.scenario, { features, concurrency })
    if (problem !== null) throw new CliError(problem, 2)
  }
  const startedAt = Date.now()
  const { project, playing } = await openDemoProject(dir, request)
  const { projectDir } = project
  const model = orFail(
    await startDemoModel(projectDir, { scenario: playing, latencyMs: request.latencyMs }),
  )
  printDemoBanner(request, project, playing, model.url)
  let code: number
  try {
    code = await runDemoAgents(request, project, playing, model)
  } finally {
    await model.close()
  }
  if (code === RUN_EXIT_CODES.locked) {
    // Another demo (or run) holds the project and reported the holder; its summary is its own.
    process.exitCode = code
    return
  }
  process.exitCode = await printDemoSummary(projectDir, code, model.stats, startedAt)
}

/** Makes or resumes the demo project; a resumed board keeps its features, seed and scenario. */
async function openDemoProject(
  dir: string,
  request: DemoRequest,
): Promise<{ project: DemoProject; playing: DemoScenarioName }> {
  const { demoScenarioProblem, prepareDemoProject } = await import('../../demo/index.js')
  const { featureCount: features, seed, scenario } = request
  const project = orFail(prepareDemoProject(dir, { features, seed, scenario }))
  const { config } = project
  // The scenario is this run's unless it is not given.
  const playing = request.given('scenario') ? scenario : config.scenario
  const problem = demoScenarioProblem(playing, {
    features: project.features || config.features,
    concurrency: request.concurrency,
  })
  if (problem !== null) throw new CliError(problem, 2)
  return { project, playing }
}

function printDemoBanner(
  request: DemoRequest,
  project: DemoProject,
  playing: DemoScenarioName,
  modelUrl: string,
): void {
  const { projectDir, config } = project
  write(
    project.resumed
      ? `Resuming the demo project in ${projectDir} (${project.features} features on its board)`
      : `Demo project: ${projectDir} (${config.features} features, seed ${config.seed})`,
  )
  for (const flag of ['features', 'seed'] as const) {
    const asked = flag === 'seed' ? request.seed : request.featureCount
    if (project.resumed && request.given(flag) && config[flag] !== asked)
      write(`--${flag} does not apply: the board was made with --${flag} ${config[flag]}`)
  }
  write(
    `Scripted model API: ${modelUrl} (offline: no API key, no network; ${request.latencyMs} ms a turn; scenario ${playing})`,
  )
}

/** The orchestrator's run on the demo project, its agents talking to the scripted model. */
async function runDemoAgents(
  request: DemoRequest,
  project: DemoProject,
  playing: DemoScenarioName,
  model: DemoModel,
): Promise<number> {
  const { DEMO_LAUNCHER_OPTIONS, DEMO_MODEL } = await import('../../demo/index.js')
  const { projectDir, config } = project
  const waitsForAnswers = playing === 'needs-human' || playing === 'all'
  return runOrchestrated(
    {
      project: projectDir,
      concurrency: request.concurrency,
      yolo: true,
      model: DEMO_MODEL,
      ...(request.unsandboxed ? { unsandboxed: true } : {}),
    },
    {
      env: { ...process.env, ...model.env },
      promptSuffix: DEMO_LAUNCHER_OPTIONS.promptSuffix,
      initializerFeatureCount: config.features,
      provider: { kind: 'compatible', env: model.env, description: 'the scripted demo model' },
      startedBy: 'demo',
      launcher: {
        chromiumPath: DEMO_LAUNCHER_OPTIONS.chromiumPath,
        autoContinueDelayMs: DEMO_LAUNCHER_OPTIONS.autoContinueDelayMs,
      },
      // An answer given with `autocoder answer` is seen at the next heartbeat.
      ...(waitsForAnswers ? { settings: { waitForAnswers: true, heartbeatMs: 1_000 } } : {}),
      write,
      onEvent: await questionNotice(projectDir, write),
    },
  )
}

/** Prints what the demo built and returns the exit code: 0 only when everything passes. */
async function printDemoSummary(
  projectDir: string,
  code: number,
  model: DemoModel['stats'],
  startedAt: number,
): Promise<number> {
  const { readDemoSummary } = await import('../../demo/index.js')
  const summary = orFail(readDemoSummary(projectDir))
  write(summaryLines(summary, model, startedAt))
  if (code !== 0) return code
  return summary.total > 0 && summary.passing === summary.total && summary.missing.length === 0
    ? 0
    : 1
}

const scenarioHelp = Object.entries(DEMO_SCENARIOS)
  .map(([name, text]) => `  ${name.padEnd(15)} ${text}`)
  .join('\n')

/** Registers `autocoder demo`: an offline end-to-end run of the orchestrator on a sample app. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Build a sample project end to end with the orchestrator, offline, against a scripted model (no API key needed)',
    )
    .option(
      '--dir <dir>',
      'folder for the sample project: new, empty, or an earlier demo to resume',
      'autocoder-demo',
    )
    .option(
      '--features <n>',
      `features to build (1-${MAX_DEMO_FEATURES}): a project skeleton, then string, array, number and date helpers with their tests`,
      String(DEFAULT_DEMO_FEATURES),
    )
    .option(
      '--seed <n>',
      'seed of the generated board (helpers and dependencies); the same seed gives the same board',
      String(DEFAULT_DEMO_SEED),
    )
    .option(
      '--concurrency <n>',
      `coding agents at once, each in its own git worktree (1-${MAX_CONCURRENCY})`,
      '1',
    )
    .option(
      '--model-latency <ms>',
      `the scripted model's time per turn (0.5 to 1.5 times it, by the seed); 0 answers at once`,
      String(DEFAULT_DEMO_LATENCY_MS),
    )
    .option('--scenario <name>', 'what the run meets (see below)', 'standard')
    .option(
      '--unsandboxed',
      'run the agents WITHOUT the OS sandbox, accepting the risk (else the demo refuses where the sandbox cannot start)',
    )
    .addHelpText('after', `\nScenarios:\n${scenarioHelp}\n`)
    .action((options: DemoCommandOptions, command: Command) => runDemoCommand(options, command))
}
