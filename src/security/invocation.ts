import type { ShellDialect } from './analyze-shell.js'
import type { PathScope } from './paths.js'
import type { PolicyRules } from './policy-rules.js'
import type { Word } from './words.js'

/** Extra facts a decision records: `node-eval` marks `node -e`/`node -p` (allowed, but logged). */
export type PolicyFlag = 'node-eval'

/** A process no command may signal: autocoder itself and the process that started it. */
export interface ProtectedProcess {
  readonly pid: number
  /** The short name pkill matches without -f. */
  readonly name: string
  /** The full command line pkill -f matches. */
  readonly commandLine: string
}

/**
 * The working directory of a running process, by id; null when no such process can be seen.
 * kill takes a literal id only for a process working inside the agent's checkout.
 */
export type ProcessDirectory = (pid: number) => string | null

/**
 * The ids of the processes listening on a TCP port (-1: one the policy cannot see). kill by
 * `lsof -ti :PORT` is allowed only when they all work inside the checkout.
 */
export type PortOwners = (port: number) => readonly number[]

/** Reads a file the policy consults at decision time (a project `.npmrc`); null when absent. */
export type ReadText = (absolutePath: string) => string | null

/** One command about to be checked, after wrappers (`env`, `timeout`, `xargs`…) were removed. */
export interface Invocation {
  /** The command name as written (`./init.sh`, `git`). */
  readonly name: string
  /** Its last path component (`init.sh`, `git`). */
  readonly base: string
  /** Its arguments; under xargs, a computed word stands for what arrives on stdin. */
  readonly args: readonly Word[]
  readonly pipedInput: boolean
  /** True under `xargs`: more arguments arrive on stdin and cannot be checked. */
  readonly argsFromStdin: boolean
  /** The simple command feeding this one through a pipe (`lsof -ti :3000 | xargs kill`). */
  readonly producer: { readonly name: Word; readonly args: readonly Word[] } | null
}

/** What validators may use: the rules, the path scope and a way to check nested shell code. */
export interface CheckContext {
  readonly rules: PolicyRules
  readonly scope: PathScope
  readonly cwd: string
  readonly projectDir: string
  readonly flags: Set<PolicyFlag>
  /** Values assigned to shell variables in this command (raw text after `=`), by name. */
  readonly assigned: ReadonlyMap<string, string[]>
  /** Reads project files the decision depends on (`.npmrc`); absent in pure tests. */
  readonly readText: ReadText | undefined
  /** Processes no command may signal (autocoder itself and its parent). */
  readonly protectedProcesses: readonly ProtectedProcess[]
  /** Where a process works (kill of a literal id); absent: no process can be seen. */
  readonly processDirectory: ProcessDirectory | undefined
  /** Who listens on a port (kill by `lsof -ti :PORT`); absent: nothing can be seen. */
  readonly portOwners: PortOwners | undefined
  /** Checks a nested command string (`bash -c`, `eval`); returns a deny reason or null. */
  readonly checkNested: (source: string, label: string, dialect?: ShellDialect) => string | null
  /** Records that this step may create symbolic links under these paths (or anywhere). */
  readonly makesLinks: (label: string, within: 'anywhere' | readonly (string | null)[]) => void
  /** Records that this step must run with the worktree root as its directory (git). */
  readonly requireRootBases: (label: string) => void
}

/** A validator returns why the invocation is refused, or null when it may run. */
export type Validator = (invocation: Invocation, context: CheckContext) => string | null

/** Static values of the arguments; null entries were computed at run time. */
export function argValues(invocation: Invocation): (string | null)[] {
  return invocation.args.map((word) => word.value)
}

/** Splits arguments into options and operands, honouring `--` (end of options). */
export function operands(values: readonly (string | null)[]): (string | null)[] {
  const out: (string | null)[] = []
  let optionsEnded = false
  for (const value of values) {
    if (!optionsEnded && value === '--') {
      optionsEnded = true
      continue
    }
    if (!optionsEnded && value !== null && value.startsWith('-') && value !== '-') continue
    out.push(value)
  }
  return out
}
