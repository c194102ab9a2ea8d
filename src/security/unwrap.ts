import { DANGEROUS_VARIABLE } from './command-lists.js'
import { computedWord, literalWord, type Word } from './words.js'

/** The command a wrapper runs, `done` when it runs none, or why it is refused. */
export type Unwrapped =
  | {
      kind: 'command'
      words: Word[]
      argsFromStdin: boolean
      /** Files the wrapper itself reads (`xargs -a FILE`). */
      reads: Word[]
    }
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
      '--eof',
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
  const reads: Word[] = []
  let replace: string | null = null
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
      const argument = taken === 2 ? args[index + 1] : undefined
      if (wrapper === 'xargs') {
        const option = optionValue(value, argument)
        if (option?.name === '-a' || option?.name === '--arg-file') reads.push(option.value)
        if (option?.name === '-I') replace = option.value.value
      }
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
    // `env` alone prints the environment (API keys, tokens); `xargs` runs echo; `exec` with
    // only redirections changes the shell's descriptors
    if (wrapper === 'env')
      return {
        kind: 'deny',
        reason:
          'env without a command prints the environment, which holds secrets; echo the variable you need',
      }
    return wrapper === 'timeout' || wrapper === 'nice' || wrapper === 'nohup' || wrapper === 'time'
      ? { kind: 'deny', reason: `${wrapper} without a command` }
      : { kind: 'done' }
  }
  if (wrapper !== 'xargs') return { kind: 'command', words: rest, argsFromStdin: false, reads }
  return { kind: 'command', words: withInput(rest, replace), argsFromStdin: true, reads }
}

/** The option name and its value word for xargs' value options (`-a FILE`, `-aFILE`, `--arg-file=F`). */
function optionValue(value: string, next: Word | undefined): { name: string; value: Word } | null {
  if (next) return { name: value, value: next }
  const equals = value.indexOf('=')
  if (value.startsWith('--') && equals !== -1)
    return { name: value.slice(0, equals), value: literalWord(value.slice(equals + 1)) }
  if (/^-[a-zA-Z]./.test(value))
    return { name: value.slice(0, 2), value: literalWord(value.slice(2)) }
  return null
}

/**
 * What xargs runs: the words from stdin are appended (or, with `-I`, put where the replace
 * string stands). They are unknown, so they stand in as computed words for the checks.
 */
function withInput(words: readonly Word[], replace: string | null): Word[] {
  if (replace === null || replace === '')
    return [...words, computedWord('<arguments from xargs input>')]
  return words.map((word) =>
    word.raw.includes(replace) || (word.value ?? '').includes(replace)
      ? {
          ...computedWord(word.raw),
          // with -I each input line is one argument
          splits: false,
          prefix: (word.value ?? '').slice(0, Math.max(0, (word.value ?? '').indexOf(replace))),
        }
      : word,
  )
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
