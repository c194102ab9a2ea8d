import type { Command } from 'commander'

import { MAX_DEMO_FEATURES, runDemo } from '../../agents/index.js'
import { formatEvent } from '../format-event.js'
import { CliError, orFail } from '../util.js'

function count(text: string, flag: string, max: number): number {
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < 1 || value > max) throw new CliError(`${flag} must be a whole number from 1 to ${max}, not "${text}".`, 2)
  return value
}

/** Registers `autocoder demo`: an offline end-to-end run on a bundled sample app. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Build a small sample project end to end, offline, against a scripted model (no API key needed)')
    .option('--dir <dir>', 'folder for the sample project (must be new or empty)', 'autocoder-demo')
    .option('--features <n>', `features to build (1-${MAX_DEMO_FEATURES})`, '5')
    .option('--concurrency <n>', 'coding agents at once (1-5)', '1')
    .action(async (options: { dir: string; features: string; concurrency: string }) => {
      const controller = new AbortController()
      const onSignal = (): void => controller.abort(new Error('interrupted'))
      process.once('SIGINT', onSignal)
      try {
        const result = await runDemo({
          dir: options.dir,
          featureCount: count(options.features, '--features', MAX_DEMO_FEATURES),
          concurrency: count(options.concurrency, '--concurrency', 5),
          env: process.env,
          signal: controller.signal,
          onReady: ({ projectDir, modelUrl }) => process.stdout.write(`Demo project: ${projectDir}\nScripted model API: ${modelUrl}\n`),
          onEvent: (event) => {
            const line = formatEvent(event)
            if (line !== null) process.stdout.write(`${line}\n`)
          },
        })
        const demo = orFail(result)
        const { usage } = demo
        const tokens = usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens
        process.stdout.write(
          [
            '',
            `files: ${demo.files.join(', ')}`,
            `features: ${demo.passing}/${demo.total} passing`,
            `tokens: ${tokens} (${usage.inputTokens} input, ${usage.outputTokens} output, ${usage.cacheReadTokens} cache read, ${usage.cacheWriteTokens} cache write)`,
            `cost: $${usage.costUsd.toFixed(4)} (scripted usage at list prices)`,
            `time: ${(demo.durationMs / 1000).toFixed(1)} s`,
            '',
          ].join('\n'),
        )
        if (demo.passing !== demo.total) process.exitCode = 1
      } finally {
        process.off('SIGINT', onSignal)
      }
    })
}
