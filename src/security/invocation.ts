import type { PathScope } from './paths.js'
import type { PolicyRules } from './policy-rules.js'
import type { Word } from './words.js'

/** Extra facts a decision records: `node-eval` marks `node -e`/`node -p` (allowed, but logged). */
export type PolicyFlag = 'node-eval'

/** One command about to be checked, after wrappers (`env`, `timeout`, `xargs`…) were removed. */
export interface Invocation {
  /** The command name as written (`./init.sh`, `git`). */
  readonly name: string
  /** Its last path component (`init.sh`, `git`). */
  readonly base: string
  readonly args: readonly Word[]
  readonly pipedInput: boolean
  /** True under `xargs`: more arguments arrive on stdin and cannot be checked. */
  readonly argsFromStdin: boolean
}

/** What validators may use: the rules, the path scope and a way to check nested shell code. */
export interface CheckContext {
  readonly rules: PolicyRules
  readonly scope: PathScope
  readonly cwd: string
  readonly projectDir: string
  readonly flags: Set<PolicyFlag>
  /** Checks a nested command string (`bash -c`, `eval`); returns a deny reason or null. */
  readonly checkNested: (source: string, label: string) => string | null
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
