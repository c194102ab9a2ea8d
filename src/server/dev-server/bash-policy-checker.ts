import { decideBash, loadPolicy, resolvePathOnDisk } from '../../security/index.js'
import type { CommandChecker } from './manager.js'
import { quoteArgv } from './runner-policy.js'

/**
 * The bash policy of src/security as a dev-server `CommandChecker`: the project's policy (its
 * `.autocoder/allowed_commands.yaml` plus the org config under `autocoderHome`) decides the argv,
 * quoted into one command line. Use together with `checkDevServerRunner` via `allCommandCheckers`.
 */
export function bashPolicyChecker(options: { autocoderHome?: string } = {}): CommandChecker {
  return async (argv, { cwd }) => {
    const policy = await loadPolicy({ projectDir: cwd, cwd, autocoderHome: options.autocoderHome })
    if (!policy.ok)
      return {
        allowed: false,
        reason: `the project's command policy could not be loaded: ${policy.error.message}`,
      }
    const decision = decideBash(quoteArgv(argv), {
      policy: policy.value,
      cwd,
      projectDir: cwd,
      resolvePath: resolvePathOnDisk,
    })
    return { allowed: decision.allowed, reason: decision.reason }
  }
}
