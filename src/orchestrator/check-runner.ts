import type { Clock } from '../core/index.js'
import { openSandbox } from '../sandbox/index.js'
import { checkSandboxSpec, decideBash, resolvePathOnDisk } from '../security/index.js'
import type { BashPolicy, ProjectContainment } from '../security/index.js'
import { runCommand } from '../workspace/index.js'
import type { CheckCommand, CheckResult, CheckRunner } from '../workspace/index.js'

/** A command line for the policy: argv words quoted where needed. */
export function commandLine(command: CheckCommand): string {
  if (typeof command === 'string') return command
  return command
    .map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`))
    .join(' ')
}

/**
 * Runs the project's check command (agent-written tests: agent code) only if the bash policy
 * allows it in the verification checkout, and then only inside a sandbox of its own that writes
 * nowhere but that checkout: a refusal, or a sandbox that cannot start, is a failed check whose
 * output says why.
 */
export function policyCheckRunner(
  policy: BashPolicy,
  containment: ProjectContainment,
  clock?: Clock,
): CheckRunner {
  const { projectDir } = containment
  return async (command, cwd, timeoutMs, signal): Promise<CheckResult> => {
    const line = commandLine(command)
    const decision = decideBash(line, { policy, cwd, projectDir, resolvePath: resolvePathOnDisk })
    if (!decision.allowed) {
      return {
        exitCode: null,
        output: `The check command "${line}" was refused by the security policy: ${decision.reason}. Allow it in .autocoder/allowed_commands.yaml or change the check command.`,
      }
    }
    const sandbox = await openSandbox(checkSandboxSpec(containment, cwd), {
      unsandboxed: containment.unsandboxed,
    })
    if (!sandbox.ok)
      return { exitCode: null, output: `The check could not start: ${sandbox.error.message}` }
    try {
      return await runCommand(command, cwd, timeoutMs, signal, {
        ...(clock ? { clock } : {}),
        spawn: (file, args, options) =>
          sandbox.value.spawn([file, ...args], {
            cwd,
            stdio: options.stdio ?? 'pipe',
            detached: options.detached ?? false,
          }),
      })
    } finally {
      await sandbox.value.close()
    }
  }
}
