import type { Clock } from '../core/clock.js'
import { decideBash, resolvePathOnDisk } from '../security/index.js'
import type { BashPolicy } from '../security/index.js'
import { runCommand } from '../workspace/index.js'
import type { CheckCommand, CheckRunner } from '../workspace/index.js'

/** A command line for the policy: argv words quoted where needed. */
export function commandLine(command: CheckCommand): string {
  if (typeof command === 'string') return command
  return command
    .map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`))
    .join(' ')
}

/**
 * Runs the project's check command only if the bash policy allows it in the verification
 * checkout; a refusal is a failed check whose output says why.
 */
export function policyCheckRunner(
  policy: BashPolicy,
  projectDir: string,
  clock?: Clock,
): CheckRunner {
  return (command, cwd, timeoutMs, signal) => {
    const line = commandLine(command)
    const decision = decideBash(line, { policy, cwd, projectDir, resolvePath: resolvePathOnDisk })
    if (!decision.allowed) {
      return Promise.resolve({
        exitCode: null,
        output: `The check command "${line}" was refused by the security policy: ${decision.reason}. Allow it in .autocoder/allowed_commands.yaml or change the check command.`,
      })
    }
    return runCommand(command, cwd, timeoutMs, signal, clock ? { clock } : {})
  }
}
