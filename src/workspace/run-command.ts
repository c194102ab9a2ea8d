import { type Clock, systemClock } from '../core/index.js'
import { OutputCapture } from './output-capture.js'
import { runProcess } from './process.js'
import type { Spawner } from './process.js'

/** A check command: an argv (preferred) or a simple command line without shell syntax. */
export type CheckCommand = string | readonly string[]

export interface CheckResult {
  /** Exit code; null when the process was killed (timeout, abort) or never started. */
  exitCode: number | null
  /** stdout and stderr interleaved, truncated to head and tail when long. */
  output: string
  timedOut?: boolean
}

/**
 * Runs a check command in `cwd`. The orchestrator injects one that asks the security policy first;
 * `runCommand` is the default.
 */
export type CheckRunner = (
  command: CheckCommand,
  cwd: string,
  timeoutMs: number,
  signal?: AbortSignal,
) => Promise<CheckResult>

export interface RunCommandOptions {
  clock?: Clock
  env?: NodeJS.ProcessEnv
  /** Where the command starts (the merge check: inside its sandbox); default a plain spawn. */
  spawn?: Spawner
  headBytes?: number
  tailBytes?: number
}

/**
 * Spawns a command without a shell, in its own process group (killed whole on timeout or abort),
 * and captures its output. A string is split into words; shell syntax in it is refused.
 */
export async function runCommand(
  command: CheckCommand,
  cwd: string,
  timeoutMs: number,
  signal?: AbortSignal,
  options: RunCommandOptions = {},
): Promise<CheckResult> {
  const argv =
    typeof command === 'string'
      ? splitCommandLine(command)
      : { ok: true as const, argv: [...command] }
  if (!argv.ok) return { exitCode: null, output: argv.message }
  const [file, ...args] = argv.argv
  if (file === undefined)
    return {
      exitCode: null,
      output: 'The check command is empty; configure a command such as ["npm", "test"].',
    }

  const output = new OutputCapture(options.headBytes, options.tailBytes)
  const exit = await runProcess(file, args, {
    cwd,
    env: { ...process.env, ...options.env, CI: '1' },
    timeoutMs,
    signal,
    clock: options.clock ?? systemClock,
    group: true,
    spawn: options.spawn,
    onStdout: (chunk) => output.push(chunk),
    onStderr: (chunk) => output.push(chunk),
  })
  if (exit.spawnError) {
    return {
      exitCode: null,
      output: `Could not start ${file} in ${cwd}: ${exit.spawnError.message}`,
    }
  }
  const notes: string[] = []
  if (exit.timedOut) notes.push(`[killed: the check ran longer than ${timeoutMs} ms]`)
  if (exit.aborted) notes.push('[killed: the check was aborted]')
  const text = [output.text(), ...notes].filter((part) => part !== '').join('\n')
  return {
    exitCode: exit.timedOut || exit.aborted ? null : exit.exitCode,
    output: text,
    timedOut: exit.timedOut,
  }
}

/**
 * Splits a simple command line into words: whitespace separates, single and double quotes group.
 * Anything that needs a shell (pipes, redirection, substitution, `;`, `&`) is refused.
 */
export function splitCommandLine(
  line: string,
): { ok: true; argv: string[] } | { ok: false; message: string } {
  const argv: string[] = []
  let word: string | null = null
  let quote: '"' | "'" | null = null
  for (const char of line) {
    if (quote !== null) {
      if (char === quote) quote = null
      else word = (word ?? '') + char
      continue
    }
    if (char === '"' || char === "'") {
      quote = char
      word = word ?? ''
    } else if (/\s/.test(char)) {
      if (word !== null) argv.push(word)
      word = null
    } else if ('|&;<>()$`\\*?'.includes(char)) {
      return {
        ok: false,
        message: `The check command ${JSON.stringify(line)} uses shell syntax (${char}), which the default runner does not interpret; give an argv array or wrap it in a script.`,
      }
    } else word = (word ?? '') + char
  }
  if (quote !== null)
    return {
      ok: false,
      message: `The check command ${JSON.stringify(line)} has an unclosed ${quote} quote.`,
    }
  if (word !== null) argv.push(word)
  return { ok: true, argv }
}
