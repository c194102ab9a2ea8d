import { DANGEROUS_VARIABLE } from './command-lists.js'
import type { Word } from './words.js'

/** The command a wrapper runs, `done` when it runs none, or why it is refused. */
export type Unwrapped =
  | { kind: 'command'; words: Word[]; argsFromStdin: boolean }
  | { kind: 'done' }
  | { kind: 'deny'; reason: string }

/** Wrappers that run another command given as their arguments. */
export const WRAPPERS = new Set([
  'env',
  'nice',
  'timeout',
  'nohup',
  'time',
  'command',
  'exec',
  'xargs',
])

interface OptionSpec {
  /** Options that take no value. */
  readonly flags: readonly string[]
  /** Options that take the next word (or `--name=value`, or glued `-n5`). */
  readonly withValue: readonly string[]
  /** Options after which nothing runs (`command -v`). */
  readonly informational?: readonly string[]
  /** Number of positional words before the command (`timeout DURATION cmd`). */
  readonly positionals?: number
}

const SPECS: Record<string, OptionSpec> = {
  env: { flags: ['-i', '-', '--ignore-environment', '-0', '--null'], withValue: ['-u', '--unset'] },
  nice: { flags: [], withValue: ['-n', '--adjustment'] },
  timeout: {
    flags: ['--preserve-status', '--foreground', '-v', '--verbose'],
    withValue: ['-s', '--signal', '-k', '--kill-after'],
    positionals: 1,
  },
  nohup: { flags: [], withValue: [] },
  time: { flags: ['-p'], withValue: [] },
  command: { flags: ['-p'], withValue: [], informational: ['-v', '-V'] },
  exec: { flags: ['-c', '-l'], withValue: ['-a'] },
  xargs: {
    flags: [
      '-0',
      '--null',
      '-r',
      '--no-run-if-empty',
      '-t',
      '--verbose',
      '-x',
      '--exit',
      '-o',
      '--open-tty',
    ],
    withValue: [
      '-n',
      '--max-args',
      '-L',
      '--max-lines',
      '-P',
      '--max-procs',
      '-s',
      '--max-chars',
      '-d',
      '--delimiter',
      '-I',
      '-E',
      '-a',
      '--arg-file',
    ],
    informational: ['--help', '--version'],
  },
}

/** Removes one wrapper (`env X=1 cmd`, `timeout 5 cmd`, `xargs kill`) and returns what it runs. */
export function unwrap(wrapper: string, args: readonly Word[]): Unwrapped {
  const spec = SPECS[wrapper]
  if (!spec) return { kind: 'deny', reason: `${wrapper} is not a known wrapper` }
  let index = 0
  let positionals = spec.positionals ?? 0
  while (index < args.length) {
    const value = args[index]?.value ?? null
    if (value === null)
      return { kind: 'deny', reason: `${wrapper} has an argument computed at run time` }
    if (value === '--') {
      index++
      break
    }
    if (spec.informational?.includes(value)) return { kind: 'done' }
    if (wrapper === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) {
      const name = value.slice(0, value.indexOf('='))
      if (DANGEROUS_VARIABLE.test(name))
        return { kind: 'deny', reason: `setting ${name} changes what commands run` }
      index++
      continue
    }
    if (value.startsWith('-') && value !== '-') {
      const taken = optionWidth(spec, value, wrapper)
      if (taken === 0)
        return { kind: 'deny', reason: `${wrapper} option ${value} is not supported` }
      index += taken
      continue
    }
    if (wrapper === 'env' && value === '-') {
      index++
      continue
    }
    if (positionals > 0) {
      positionals--
      index++
      continue
    }
    break
  }
  const rest = args.slice(index)
  if (rest.length === 0) {
    // `env` prints the environment, `xargs` runs echo, `exec` with only redirections
    return wrapper === 'timeout' || wrapper === 'nice' || wrapper === 'nohup' || wrapper === 'time'
      ? { kind: 'deny', reason: `${wrapper} without a command` }
      : { kind: 'done' }
  }
  return { kind: 'command', words: rest, argsFromStdin: wrapper === 'xargs' }
}

/** How many words an option uses (1 or 2), or 0 when it is not allowed. */
function optionWidth(spec: OptionSpec, value: string, wrapper: string): number {
  if (spec.flags.includes(value)) return 1
  if (spec.withValue.includes(value)) return 2
  const [name] = value.split('=', 1)
  if (name && value.includes('=') && spec.withValue.includes(name)) return 1
  // glued short option with value: -n5, -I{}
  if (
    spec.withValue.some(
      (option) => option.length === 2 && value.startsWith(option) && value.length > 2,
    )
  )
    return 1
  // nice -10 / kill-style numeric adjustments
  if (wrapper === 'nice' && /^-\d+$/.test(value)) return 1
  // xargs -0r style clusters of flags
  if (
    /^-[A-Za-z0-9]+$/.test(value) &&
    [...value.slice(1)].every((ch) => spec.flags.includes(`-${ch}`))
  )
    return 1
  return 0
}
