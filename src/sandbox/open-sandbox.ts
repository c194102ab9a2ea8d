import { err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import { openBubblewrap } from './bubblewrap.js'
import { findSandboxTools, installHint } from './find-tools.js'
import { validateSpec } from './spec.js'
import type { OpenSandboxOptions, Sandbox, SandboxError, SandboxSpec } from './types.js'
import { openUnsandboxed } from './unsandboxed.js'

/**
 * Opens the sandbox every process that runs agent-written code starts through: bubblewrap on
 * Linux. Where none can start, an error that says what to install; `{ unsandboxed: true }` (the
 * person accepted the risk) gives the same interface without a wall.
 */
export async function openSandbox(
  spec: SandboxSpec,
  options: OpenSandboxOptions = {},
): Promise<Result<Sandbox, SandboxError>> {
  const valid = validateSpec(spec)
  if (!valid.ok) return valid
  const searchPath = options.searchPath ?? process.env['PATH'] ?? ''
  if (options.unsandboxed === true) return ok(openUnsandboxed(valid.value, process.env['PATH']))
  if (process.platform !== 'linux')
    return err(
      'SANDBOX_UNAVAILABLE',
      `There is no sandbox for ${process.platform} yet (bubblewrap on Linux); run on Linux, or accept the risk explicitly to run unsandboxed.`,
    )
  const tools = findSandboxTools(searchPath)
  if (!tools.ok)
    return err(
      'SANDBOX_UNAVAILABLE',
      `The sandbox needs ${tools.missing.join(', ')}, which ${tools.missing.length === 1 ? 'is' : 'are'} not installed: run \`${installHint(tools.missing)}\` (or accept the risk explicitly to run unsandboxed).`,
    )
  return openBubblewrap(valid.value, { tools: tools.tools, hostPath: process.env['PATH'] })
}
