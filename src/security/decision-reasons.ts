import { DANGEROUS } from './command-lists.js'
import type { PolicyFlag } from './invocation.js'
import type { RuleSource } from './policy-rules.js'

/** Why a command on the block lists is refused. */
export function blockedReason(name: string, base: string): string {
  const dangerous: readonly string[] = DANGEROUS
  const list = dangerous.includes(base) ? 'the dangerous-command list' : 'the block list'
  return `${name} is blocked: ${base} is on ${list} and can never run`
}

/** Why a command off the allowlist is refused, and how a project may allow it. */
export function notAllowedReason(name: string): string {
  return `${name} is not on the allowlist; if the project needs it, add it to .autocoder/allowed_commands.yaml under commands:`
}

/** The reason of an allowed command: each command with the rule that admitted it. */
export function allowedReason(
  commands: readonly string[],
  sources: ReadonlyMap<string, RuleSource>,
  flags: ReadonlySet<PolicyFlag>,
): string {
  if (commands.length === 0) return 'allowed: nothing to run'
  const parts = [...new Set(commands)].map((name) => {
    const source = sources.get(name)
    return source === undefined
      ? name
      : `${name} (${source === 'default' ? 'default allowlist' : source})`
  })
  const flagged = flags.has('node-eval') ? '; node -e/-p is allowed but logged (node-eval)' : ''
  return `allowed: ${parts.join(', ')}${flagged}`
}
