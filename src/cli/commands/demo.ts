import type { Command } from 'commander'

import { MAX_DEMO_FEATURES } from '../../agents/demo-catalog.js'
import { CliError, orFail } from '../util.js'
import { RUN_EXIT_CODES, runOrchestrated } from './run-orchestrated.js'

const MAX_CONCURRENCY = 5

interface DemoCommandOptions {
  dir: string
  features: string
  concurrency: string
}

function count(text: string, flag: string, max: number): number {
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < 1 || value > max)
    throw new CliError(`${flag} must be a whole number from 1 to ${max}, not "${text}".`, 2)
  return value
}

/**
 * `autocoder demo`: the orchestrator on a bundled sample project, against the scripted model API
 * in this process: the initializer creates the features, coding agents build them in their own
 * worktrees, the merge queue merges and checks their work. An earlier demo folder is resumed.
 */
async function runDemoCommand(options: DemoCommandOptions, command: Command): Promise<void> {
  const featureCount = count(options.features, '--features', MAX_DEMO_FEATURES)
  const concurrency = count(options.concurrency, '--concurrency', MAX_CONCURRENCY)
  const startedAt = Date.now()
  const { DEMO_MODEL, demoPromptSuffix, prepareDemoProject, readDemoSummary, startDemoModel } =
    await import('../../agents/index.js')
  const project = orFail(prepareDemoProject(options.dir))
  const { projectDir } = project
  const model = orFail(await startDemoModel(projectDir, featureCount))
  const write = (line: string): void => void process.stdout.write(`${line}\n`)
  write(
    project.resumed
      ? `Resuming the demo project in ${projectDir} (${project.features} features on its board)`
      : `Demo project: ${projectDir}`,
  )
  if (
    project.features > 0 &&
    command.getOptionValueSource('features') === 'cli' &&
    project.features !== featureCount
  ) {
    write(
      `--features ${featureCount} does not apply: the board already has ${project.features} features`,
    )
  }
  write(`Scripted model API: ${model.url} (offline: no API key, no network)`)
  let code: number
  try {
    code = await runOrchestrated(
      { project: projectDir, concurrency, yolo: true, model: DEMO_MODEL },
      {
        env: { ...process.env, ...model.env },
        promptSuffix: demoPromptSuffix,
        initializerFeatureCount: featureCount,
        launcher: {
          provider: { kind: 'compatible', env: model.env, description: 'the scripted demo model' },
          chromiumPath: null,
          autoContinueDelayMs: 500,
        },
        write,
      },
    )
  } finally {
    await model.close()
  }
  if (code === RUN_EXIT_CODES.locked) {
    // Another demo (or run) holds the project and reported the holder; its summary is its own.
    process.exitCode = code
    return
  }
  const summary = orFail(readDemoSummary(projectDir))
  const { usage } = summary
  const tokens =
    usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens
  write(
    [
      '',
      `files: ${summary.files.join(', ')}${summary.missing.length > 0 ? ` (missing: ${summary.missing.join(', ')})` : ''}`,
      `features: ${summary.passing}/${summary.total} passing`,
      `tokens: ${tokens} (${usage.inputTokens} input, ${usage.outputTokens} output, ${usage.cacheReadTokens} cache read, ${usage.cacheWriteTokens} cache write)`,
      `cost: $${usage.costUsd.toFixed(4)} (scripted usage at list prices)`,
      `time: ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
      '',
    ].join('\n'),
  )
  process.exitCode =
    code !== 0
      ? code
      : summary.total > 0 && summary.passing === summary.total && summary.missing.length === 0
        ? 0
        : 1
}

/** Registers `autocoder demo`: an offline end-to-end run of the orchestrator on a sample app. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Build a small sample project end to end with the orchestrator, offline, against a scripted model (no API key needed)',
    )
    .option(
      '--dir <dir>',
      'folder for the sample project: new, empty, or an earlier demo to resume',
      'autocoder-demo',
    )
    .option('--features <n>', `features to build (1-${MAX_DEMO_FEATURES})`, '5')
    .option(
      '--concurrency <n>',
      `coding agents at once, each in its own git worktree (1-${MAX_CONCURRENCY})`,
      '1',
    )
    .action((options: DemoCommandOptions, command: Command) => runDemoCommand(options, command))
}
