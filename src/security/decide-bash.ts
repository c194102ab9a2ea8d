import { posix } from 'node:path'

import { analyzeShell, type ShellCommand } from './analyze-shell.js'
import type { BashParser } from './bash-parser.js'
import { DANGEROUS, DANGEROUS_VARIABLE, SHELLS } from './command-lists.js'
import type { CheckContext, Invocation, PolicyFlag } from './invocation.js'
import {
  checkHomeRead,
  checkSensitivePath,
  checkWritePath,
  resolveLexically,
  type PathScope,
  type ResolvePath,
} from './paths.js'
import { basename, matchesEntry, type PolicyRules, type RuleSource } from './policy-rules.js'
import { unwrap, WRAPPERS } from './unwrap.js'
import { checkDeclaration, checkShell, checkUnderXargs, VALIDATORS } from './validators.js'
import { hasUnquotedPattern, type Word } from './words.js'

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
}

/** A loaded policy: the merged rules and the parser. Decisions with it are synchronous. */
export interface BashPolicy {
  readonly rules: PolicyRules
  readonly parser: BashParser
}

export interface PolicyContext extends PolicyScope {
  readonly policy: BashPolicy
}

const MAX_COMMAND_CHARS = 200_000
const MAX_NESTING = 4
const MAX_WRAPPERS = 8
const MAX_COMMANDS = 1000

/** Commands whose validators read options: a leading wildcard could expand into options. */
const OPTION_SENSITIVE = new Set([
  'git',
  'docker',
  'curl',
  'npm',
  'npx',
  'pnpm',
  'node',
  'find',
  'pkill',
  'kill',
  'sort',
  'uniq',
  'tee',
  'bash',
  'sh',
  'chmod',
  'cp',
  'mv',
  'date',
  'printf',
  'test',
  '[',
])

interface Run {
  readonly context: PolicyContext
  readonly commands: string[]
  readonly sources: Map<string, RuleSource>
  readonly flags: Set<PolicyFlag>
  readonly bases: string[]
  readonly resolvePath: ResolvePath
  /** Values assigned to shell variables in this command (raw text after `=`), by name. */
  readonly assigned: Map<string, string[]>
}

/**
 * Decides whether a Bash command may run. Pure apart from the injected `resolvePath`: the command
 * is parsed, every command that would run (in lists, pipelines, substitutions, subshells,
 * functions, `bash -c` strings, behind wrappers) is checked against the allowlist and its
 * validator, and written paths must stay inside the cwd and the project.
 */
export function decideBash(command: string, context: PolicyContext): PolicyDecision {
  const resolvePath = context.resolvePath ?? resolveLexically
  const run: Run = {
    context,
    commands: [],
    sources: new Map(),
    flags: new Set(),
    bases: [resolvePath(posix.resolve(context.cwd))],
    resolvePath,
    assigned: new Map(),
  }
  const reason = checkSource(command, run, 0)
  const flags = [...run.flags]
  const commands = [...run.commands]
  if (reason !== null) return { allowed: false, reason, commands, flags }
  return { allowed: true, reason: allowedReason(run), commands, flags }
}

function checkSource(source: string, run: Run, depth: number): string | null {
  if (source.includes('\0')) return 'the command contains a NUL byte'
  if (hasControlCharacters(source))
    return 'the command contains control characters (carriage return, escape…)'
  if (source.length > MAX_COMMAND_CHARS)
    return `the command is longer than ${MAX_COMMAND_CHARS} characters`
  if (depth > MAX_NESTING) return 'shell strings are nested too deeply to check'
  const analysis = run.context.policy.parser.withTree(source, (root) => analyzeShell(root, source))
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
  for (const command of analysis.commands) {
    const name = command.name.value
    if (name !== null && analysis.functions.has(name) && !command.isDeclaration) {
      // a function this command defines: its body was checked like any other command
      run.commands.push(name)
      run.sources.set(name, 'function defined in this command')
      continue
    }
    const reason = checkCommand(command, run, depth)
    if (reason) return reason
  }
  const scope = pathScope(run)
  for (const redirect of analysis.redirects) {
    const reason =
      redirect.operator.startsWith('<') && redirect.operator !== '<>'
        ? checkSensitivePath(redirect.target.value, scope)
        : checkWritePath(redirect.target.value, scope)
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

function checkAssignment(name: string): string | null {
  if (name.includes('[')) return `assignment to ${name}: array subscripts can run commands`
  return DANGEROUS_VARIABLE.test(name)
    ? `setting ${name} changes what later commands run and is refused`
    : null
}

function checkCommand(command: ShellCommand, run: Run, depth: number): string | null {
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
    if (command.isDeclaration) return checkDeclared(name, args, run)
    if (!WRAPPERS.has(name)) {
      const invocation: Invocation = {
        name,
        base,
        args,
        pipedInput: command.pipedInput,
        argsFromStdin,
      }
      return checkInvocation(invocation, run, depth)
    }
    run.sources.set(name, 'wrapper: the command it runs is checked')
    const unwrapped = unwrap(name, args)
    if (unwrapped.kind === 'deny') return unwrapped.reason
    if (unwrapped.kind === 'done') {
      // under xargs, the words from stdin would become the command this wrapper runs
      return argsFromStdin ? `${name} under xargs would run a command named by its input` : null
    }
    words = unwrapped.words
    argsFromStdin ||= unwrapped.argsFromStdin
  }
  return 'too many nested wrapper commands'
}

function checkDeclared(name: string, args: readonly Word[], run: Run): string | null {
  const source = allowSource(name, run.context.policy.rules)
  if (source === null) return notAllowedReason(name)
  run.sources.set(name, source)
  return checkDeclaration(name, args)
}

function checkInvocation(invocation: Invocation, run: Run, depth: number): string | null {
  const { name, base } = invocation
  const context = checkContext(run, depth)
  if (name === 'eval') {
    if (invocation.args.some((word) => hasUnquotedPattern(word.raw)))
      return 'eval of a pattern the shell expands into file names'
    const values = invocation.args.map((word) => word.value)
    if (values.some((value) => value === null)) return 'eval of a string computed at run time'
    const reason = context.checkNested(values.join(' '), 'eval')
    return reason
  }
  const source = allowSource(name, run.context.policy.rules) ?? nodeModulesBin(invocation, run)
  if (source === null) return notAllowedReason(name)
  run.sources.set(name, source)
  const recursive = isRecursiveRead(invocation)
  for (const word of invocation.args) {
    for (const candidate of pathCandidates(word.value)) {
      const reason =
        checkSensitivePath(candidate, context.scope) ??
        checkHomeRead(candidate, context.scope, recursive)
      if (reason) return `${name}: ${reason}`
    }
  }
  if (OPTION_SENSITIVE.has(base)) {
    const pattern = invocation.args.find((word) => hasUnquotedPattern(word.raw, true))
    if (pattern)
      return `${name} ${pattern.raw}: a pattern that starts with a wildcard can expand to option-like file names; quote it or start it with ./`
    const injected = computedOptionArgument(invocation, run.assigned)
    if (injected)
      return `${name} ${injected}: a value computed at run time could be an option; start it with literal text or pass it after an option that takes a value`
  }
  if (SHELLS.has(base)) return checkShell(invocation, context)
  if (invocation.argsFromStdin) {
    const reason = checkUnderXargs(invocation)
    if (reason) return reason
  }
  const validator = VALIDATORS.get(base)
  const reason = validator ? validator(invocation, context) : null
  if (reason) return reason.startsWith(base) ? reason : `${name}: ${reason}`
  if (base === 'cd') followCd(invocation, run)
  return null
}

function checkContext(run: Run, depth: number): CheckContext {
  return {
    rules: run.context.policy.rules,
    scope: pathScope(run),
    cwd: run.context.cwd,
    projectDir: run.context.projectDir,
    flags: run.flags,
    checkNested: (source, label) => {
      const reason = checkSource(source, run, depth + 1)
      return reason === null ? null : `in the ${label} string: ${reason}`
    },
  }
}

function pathScope(run: Run): PathScope {
  return {
    bases: run.bases,
    writeRoots: [run.context.cwd, run.context.projectDir],
    homeDir: run.context.homeDir,
    resolvePath: run.resolvePath,
  }
}

/** Which allowlist entry admits `name`, or null. Bare names also match in the system bin dirs. */
function allowSource(name: string, rules: PolicyRules): RuleSource | null {
  const exact = name.includes('/') ? undefined : rules.allowed.get(name)
  if (exact !== undefined) return exact
  for (const [entry, source] of rules.allowed) if (matchesEntry(entry, name)) return source
  const base = basename(name)
  if (base === 'init.sh' && name.includes('/')) return rules.allowed.get('init.sh') ?? null
  if (/^\/(usr\/)?(local\/)?s?bin\/[^/]+$/.test(name)) return rules.allowed.get(base) ?? null
  return null
}

/** `./node_modules/.bin/vitest` runs a declared package's bin from inside the project. */
function nodeModulesBin(invocation: Invocation, run: Run): RuleSource | null {
  const match = /(^|\/)node_modules\/\.bin\/([^/]+)$/.exec(invocation.name)
  if (!match?.[2] || !run.context.policy.rules.npxPackages.has(match[2])) return null
  return checkWritePath(invocation.name, pathScope(run)) === null ? 'package.json' : null
}

function followCd(invocation: Invocation, run: Run): void {
  const target = invocation.args
    .map((word) => word.value)
    .find((value) => value !== null && !value.startsWith('-'))
  if (!target) return
  const home = run.context.homeDir
  const expanded =
    target === '~' || target.startsWith('~/') ? (home ? home + target.slice(1) : target) : target
  for (const base of [...run.bases]) {
    const next = run.resolvePath(expanded.startsWith('/') ? expanded : `${base}/${expanded}`)
    if (!run.bases.includes(next)) run.bases.push(next)
  }
}

/** Options whose next word is their value, so a computed value there cannot become an option. */
const VALUE_OPTIONS = new Set([
  '-m',
  '--message',
  '--author',
  '--date',
  '-b',
  '-B',
  '-d',
  '--data',
  '--data-raw',
  '--data-binary',
  '--data-urlencode',
  '--json',
  '-H',
  '--header',
  '-X',
  '--request',
  '-u',
  '--user',
  '-A',
  '--user-agent',
  '-e',
  '--env',
  '--name',
  '-t',
  '--tag',
  '-p',
  '--publish',
  '-w',
  '--write-out',
  '--max-time',
  '--connect-timeout',
  '-w',
  '--workdir',
])

/**
 * A computed argument of a command whose validator reads options (`git log $X` with
 * X=--output=/etc/x) is refused unless it starts with literal text, follows an option that takes
 * a value, or (kill) comes from lsof/pgrep.
 */
function computedOptionArgument(
  invocation: Invocation,
  assigned: ReadonlyMap<string, string[]>,
): string | null {
  let previous: string | null = null
  for (const word of invocation.args) {
    if (word.value === null) {
      const literalStart = /^"?[^"$`\\-]/.test(word.raw)
      const afterValueOption = previous !== null && VALUE_OPTIONS.has(previous)
      const processIds = invocation.base === 'kill' && isProcessIdSource(word.raw, assigned)
      if (!literalStart && !afterValueOption && !processIds) return word.raw
    }
    previous = word.value
  }
  return null
}

/**
 * Process ids for kill: `$(lsof …)`, `$(pgrep …)`, `$!`, or a variable this command set only to
 * one of those or to digits (`npm run dev & PID=$!; …; kill $PID`).
 */
function isProcessIdSource(raw: string, assigned: ReadonlyMap<string, string[]>): boolean {
  const unquoted = raw.replace(/^"(.*)"$/s, '$1')
  const fromTool = (text: string): boolean =>
    /^(\$\(|`)\s*(lsof|pgrep)\s/.test(text) || text === '$!' || /^\d+$/.test(text)
  if (fromTool(unquoted)) return true
  const name = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(unquoted)?.[1]
  const values = name ? assigned.get(name) : undefined
  return values !== undefined && values.every((value) => fromTool(value.replace(/^"(.*)"$/s, '$1')))
}

/** Commands that read whole directory trees: grep -r, find, du, ls -R, cp -r. */
function isRecursiveRead(invocation: Invocation): boolean {
  if (invocation.base === 'find' || invocation.base === 'du') return true
  if (!['grep', 'ls', 'cp', 'diff'].includes(invocation.base)) return false
  return invocation.args.some((word) =>
    /^-[A-Za-z]*[rR]|^--(recursive|dereference-recursive)$/.test(word.value ?? ''),
  )
}

/** An argument, the value after `=` (`--file=x`) and after a leading `@` (`-d @file`). */
function pathCandidates(value: string | null): string[] {
  if (value === null) return []
  const out = [value]
  const equals = value.indexOf('=')
  if (equals !== -1) out.push(value.slice(equals + 1))
  if (value.startsWith('@')) out.push(value.slice(1))
  return out
}

function blockedReason(name: string, base: string): string {
  const dangerous: readonly string[] = DANGEROUS
  const list = dangerous.includes(base) ? 'the dangerous-command list' : 'the block list'
  return `${name} is blocked: ${base} is on ${list} and can never run`
}

function notAllowedReason(name: string): string {
  return `${name} is not on the allowlist; if the project needs it, add it to .autocoder/allowed_commands.yaml under commands:`
}

function allowedReason(run: Run): string {
  if (run.commands.length === 0) return 'allowed: nothing to run'
  const parts = [...new Set(run.commands)].map((name) => {
    const source = run.sources.get(name)
    return source === undefined
      ? name
      : `${name} (${source === 'default' ? 'default allowlist' : source})`
  })
  const flags = run.flags.has('node-eval') ? '; node -e/-p is allowed but logged (node-eval)' : ''
  return `allowed: ${parts.join(', ')}${flags}`
}
