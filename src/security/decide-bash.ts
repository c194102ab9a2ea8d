import { analyzeShell, type ShellCommand, type ShellDialect } from './analyze-shell.js'
import type { BashParser } from './bash-parser.js'
import { SHELLS } from './command-lists.js'
import { computedArgumentProblem } from './computed-arguments.js'
import { allowedReason, blockedReason, notAllowedReason } from './decision-reasons.js'
import {
  pathScope,
  recordLinkMaker,
  startRun,
  wholeCommandProblem,
  type Run,
} from './decision-run.js'
import type {
  CheckContext,
  Invocation,
  PolicyFlag,
  PortOwners,
  ProcessDirectory,
  ProtectedProcess,
  ReadText,
} from './invocation.js'
import {
  checkHomeRead,
  checkReadPath,
  checkSensitivePath,
  checkWritePath,
  type ResolvePath,
} from './paths.js'
import {
  allowSource,
  basename,
  isWrapper,
  type PolicyRules,
  type RuleSource,
} from './policy-rules.js'
import { checkAssignment, followCd, isRecursiveRead, pathCandidates } from './shell-state.js'
import { unwrap } from './unwrap.js'
import { checkDeclaration, checkShell, READS_ITS_OWN_ARGUMENTS, VALIDATORS } from './validators.js'
import { packageArgumentsProblem } from './validate-package-managers.js'
import { hasUnquotedPattern, isLiteral, writesThroughWildcard, type Word } from './words.js'

/** The answer for one Bash command: the reason names the command and the rule. */
export interface PolicyDecision {
  readonly allowed: boolean
  readonly reason: string
  /** Every command name found, in order, including nested and unwrapped ones. */
  readonly commands: readonly string[]
  readonly flags: readonly PolicyFlag[]
}

/** Where an agent session works: its cwd (worktree) and the project; both may be written. */
export interface PolicyScope {
  readonly cwd: string
  readonly projectDir: string
  /** Extra directories the file tools may read (never write). */
  readonly readOnlyRoots?: readonly string[] | undefined
  readonly homeDir?: string | undefined
  /** Follows symlinks (inject `resolvePathOnDisk`); the default is lexical, with no I/O. */
  readonly resolvePath?: ResolvePath | undefined
  /**
   * The directory the agent's shell is in now (Claude Code keeps a `cd` across commands); the
   * command is checked from it as well as from `cwd`.
   */
  readonly shellCwd?: string | undefined
}

/** A loaded policy: the merged rules and the parser. Decisions with it are synchronous. */
export interface BashPolicy {
  readonly rules: PolicyRules
  readonly parser: BashParser
  /** Reads project files decisions depend on (a project `.npmrc`); loadPolicy reads the disk. */
  readonly readText?: ReadText | undefined
  /** Processes no command may signal (autocoder and its parent). */
  readonly protectedProcesses?: readonly ProtectedProcess[] | undefined
  /** Where a running process works; loadPolicy reads /proc. Absent: kill takes no literal id. */
  readonly processDirectory?: ProcessDirectory | undefined
  /** Who listens on a TCP port; loadPolicy reads /proc. Absent: no listener can be seen. */
  readonly portOwners?: PortOwners | undefined
}

export interface PolicyContext extends PolicyScope {
  readonly policy: BashPolicy
}

const MAX_COMMAND_CHARS = 200_000
const MAX_NESTING = 4
const MAX_WRAPPERS = 8
const MAX_COMMANDS = 1000

/** Commands that read the files their operands name (recorded for the symbolic-link check). */
const READS_OPERANDS = new Set([
  'cat',
  'head',
  'tail',
  'wc',
  'grep',
  'cut',
  'diff',
  'stat',
  'file',
  'du',
  'ls',
])

/**
 * Decides whether a Bash command may run. Pure apart from the injected `resolvePath` and the
 * policy's `readText`: the command is parsed, every command that would run (in lists, pipelines,
 * substitutions, subshells, functions, `bash -c` strings, behind wrappers) is checked against the
 * allowlist and its validator, and written paths must stay inside the cwd and the project.
 */
export function decideBash(command: string, context: PolicyContext): PolicyDecision {
  const run = startRun(context)
  const reason = checkSource(command, run, 0, 'bash') ?? wholeCommandProblem(run)
  const flags = [...run.flags]
  const commands = [...run.commands]
  if (reason !== null) return { allowed: false, reason, commands, flags }
  return {
    allowed: true,
    reason: allowedReason(run.commands, run.sources, run.flags),
    commands,
    flags,
  }
}

function checkSource(
  source: string,
  run: Run,
  depth: number,
  dialect: ShellDialect,
): string | null {
  if (source.includes('\0')) return 'the command contains a NUL byte'
  if (hasControlCharacters(source))
    return 'the command contains control characters (carriage return, escape…)'
  if (source.length > MAX_COMMAND_CHARS)
    return `the command is longer than ${MAX_COMMAND_CHARS} characters`
  if (depth > MAX_NESTING) return 'shell strings are nested too deeply to check'
  const analysis = run.context.policy.parser.withTree(source, (root) =>
    analyzeShell(root, source, dialect),
  )
  if (analysis === null) return 'the command could not be parsed'
  const [problem] = analysis.problems
  if (problem) return problem
  if (analysis.commands.length > MAX_COMMANDS)
    return `the command runs more than ${MAX_COMMANDS} commands; split it up`
  for (const assignment of analysis.assignments) {
    const reason = checkAssignment(assignment.name)
    if (reason) return reason
    const value = assignment.raw.slice(assignment.raw.indexOf('=') + 1)
    run.assigned.set(assignment.name, [...(run.assigned.get(assignment.name) ?? []), value])
  }
  const steps = new Map<ShellCommand, number>()
  for (const command of analysis.commands) {
    const step = run.nextStep++
    steps.set(command, step)
    const name = command.name.value
    if (name !== null && analysis.functions.has(name) && !command.isDeclaration) {
      // a function this command defines: its body was checked like any other command
      run.commands.push(name)
      run.sources.set(name, 'function defined in this command')
      continue
    }
    const reason = checkCommand(command, run, depth, dialect, step)
    if (reason) return reason
  }
  for (const redirect of analysis.redirects) {
    const step = (redirect.owner ? steps.get(redirect.owner) : undefined) ?? run.nextStep++
    const scope = pathScope(run, step, `redirection ${redirect.text}`)
    const reading = redirect.operator.startsWith('<') && redirect.operator !== '<>'
    const target = isLiteral(redirect.target) ? redirect.target.value : null
    if (!reading && writesThroughWildcard(redirect.target))
      return `redirection ${redirect.text}: a wildcard in a written path may match a symbolic link, which would be followed`
    const reason = reading ? checkReadPath(target, scope) : checkWritePath(target, scope)
    if (reason) return `redirection ${redirect.text}: ${reason}`
  }
  return null
}

/** Control characters other than tab and newline (bash and the grammar may split them differently). */
function hasControlCharacters(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i)
    if ((code < 32 && code !== 9 && code !== 10) || code === 127) return true
  }
  return false
}

function checkCommand(
  command: ShellCommand,
  run: Run,
  depth: number,
  dialect: ShellDialect,
  step: number,
): string | null {
  for (const assignment of command.assignments) {
    const reason = checkAssignment(assignment.name)
    if (reason) return reason
  }
  let words: readonly Word[] = [command.name, ...command.args]
  let argsFromStdin = false
  for (let layer = 0; layer < MAX_WRAPPERS; layer++) {
    const [nameWord, ...args] = words
    const name = nameWord?.value ?? null
    if (name === null) return `the command name ${nameWord?.raw ?? ''} is computed at run time`
    if (name === '') return 'the command name is empty'
    run.commands.push(name)
    const base = basename(name)
    if (/[*?[\]{}]/.test(name))
      return `the command name ${name} contains a pattern the shell expands at run time`
    if (run.context.policy.rules.blocked.has(base)) return blockedReason(name, base)
    if (command.isDeclaration) return checkDeclared(name, args, command.assignments.length, run)
    const producer = command.producer
    const invocation: Invocation = {
      name,
      base,
      args,
      pipedInput: command.pipedInput,
      argsFromStdin,
      producer,
    }
    // `/usr/bin/env cmd` is env too: a wrapper is known by its base name
    if (!isWrapper(name, base)) return checkInvocation(invocation, run, depth, dialect, step)
    run.sources.set(name, 'wrapper: the command it runs is checked')
    const sensitive = sensitiveArgument(invocation, run, step)
    if (sensitive) return sensitive
    const unwrapped = unwrap(base, args)
    if (unwrapped.kind === 'deny') return unwrapped.reason
    if (unwrapped.kind === 'done') {
      // under xargs, the words from stdin would become the command this wrapper runs
      return argsFromStdin ? `${name} under xargs would run a command named by its input` : null
    }
    for (const file of unwrapped.reads) {
      const reason = checkReadPath(isLiteral(file) ? file.value : null, pathScope(run, step, name))
      if (reason) return `${name}: ${reason}`
    }
    words = unwrapped.words
    argsFromStdin ||= unwrapped.argsFromStdin
  }
  return 'too many nested wrapper commands'
}

function checkDeclared(
  name: string,
  args: readonly Word[],
  assignments: number,
  run: Run,
): string | null {
  const source = allowSource(name, run.context.policy.rules)
  if (source === null) return notAllowedReason(name)
  run.sources.set(name, source)
  return checkDeclaration(name, args, assignments)
}

function checkInvocation(
  invocation: Invocation,
  run: Run,
  depth: number,
  dialect: ShellDialect,
  step: number,
): string | null {
  const { name, base } = invocation
  const context = checkContext(run, depth, dialect, step, name)
  if (name === 'eval') {
    if (invocation.args.some((word) => hasUnquotedPattern(word.raw)))
      return 'eval of a pattern the shell expands into file names'
    const values = invocation.args.map((word) => word.value)
    if (values.some((value) => value === null)) return 'eval of a string computed at run time'
    return context.checkNested(values.join(' '), 'eval', dialect)
  }
  const listed = allowSource(name, run.context.policy.rules)
  const bin = listed === null ? nodeModulesBin(invocation, run) : null
  const source = listed ?? bin
  if (source === null) return notAllowedReason(name)
  run.sources.set(name, source)
  const sensitive =
    sensitiveArgument(invocation, run, step) ??
    (bin === null ? null : packageArgumentsProblem(name, invocation.args, context))
  if (sensitive) return sensitive
  const computed = computedArgumentProblem(invocation, READS_ITS_OWN_ARGUMENTS)
  if (computed) return computed
  if (READS_OPERANDS.has(base)) {
    for (const word of invocation.args) {
      if (word.value === null || (isLiteral(word) && word.value.startsWith('-'))) continue
      checkReadPath(word.value, context.scope)
    }
  }
  if (SHELLS.has(base)) return checkShell(invocation, context)
  const validator = VALIDATORS.get(base)
  const reason = validator ? validator(invocation, context) : null
  if (reason) return reason.startsWith(base) ? reason : `${name}: ${reason}`
  if (base === 'cd') followCd(invocation, run.bases, run.resolvePath, run.context.homeDir)
  return null
}

/** Arguments (and `--opt=value`, `@file` parts) that name credentials or the home directory. */
function sensitiveArgument(invocation: Invocation, run: Run, step: number): string | null {
  const scope = pathScope(run, step, invocation.name, false)
  const recursive = isRecursiveRead(invocation)
  for (const word of invocation.args) {
    for (const candidate of pathCandidates(word.value)) {
      const reason =
        checkSensitivePath(candidate, scope) ?? checkHomeRead(candidate, scope, recursive)
      if (reason) return `${invocation.name}: ${reason}`
    }
  }
  return null
}

function checkContext(
  run: Run,
  depth: number,
  dialect: ShellDialect,
  step: number,
  label: string,
): CheckContext {
  return {
    rules: run.context.policy.rules,
    scope: pathScope(run, step, label),
    cwd: run.context.cwd,
    projectDir: run.context.projectDir,
    flags: run.flags,
    assigned: run.assigned,
    readText: run.context.policy.readText,
    protectedProcesses: run.context.policy.protectedProcesses ?? [],
    processDirectory: run.context.policy.processDirectory,
    portOwners: run.context.policy.portOwners,
    checkNested: (source, nestedLabel, nestedDialect = dialect) => {
      const reason = checkSource(source, run, depth + 1, nestedDialect)
      return reason === null ? null : `in the ${nestedLabel} string: ${reason}`
    },
    makesLinks: (maker, within) => recordLinkMaker(run, step, maker, within),
    requireRootBases: (required) => {
      run.rootOnly.push(required)
    },
  }
}

/** `./node_modules/.bin/vitest` runs a declared package's bin from inside the project. */
function nodeModulesBin(invocation: Invocation, run: Run): RuleSource | null {
  const match = /(^|\/)node_modules\/\.bin\/([^/]+)$/.exec(invocation.name)
  if (!match?.[2] || !run.context.policy.rules.npxPackages.has(match[2])) return null
  return checkWritePath(invocation.name, pathScope(run, -1, invocation.name, false)) === null
    ? 'package.json'
    : null
}
