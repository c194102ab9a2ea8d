import { existsSync } from 'node:fs'

import { err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import { openBubblewrap } from './bubblewrap.js'
import { DEFAULT_TOOL_PATH, findSandboxTools, installHint } from './find-tools.js'
import { openSeatbelt, SANDBOX_EXEC } from './seatbelt.js'
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
  const searchPath = options.searchPath ?? `${DEFAULT_TOOL_PATH}:${process.env['PATH'] ?? ''}`
  if (options.unsandboxed === true) return ok(openUnsandboxed(valid.value, process.env['PATH']))
  if (process.platform === 'darwin') {
    if (!existsSync(SANDBOX_EXEC))
      return err(
        'SANDBOX_UNAVAILABLE',
        `${SANDBOX_EXEC} is missing, so there is no Seatbelt sandbox on this Mac; accept the risk explicitly to run unsandboxed.`,
      )
    return openSeatbelt(valid.value, process.env['PATH'])
  }
  if (process.platform !== 'linux')
    return err(
      'SANDBOX_UNAVAILABLE',
      `There is no sandbox for ${process.platform} (bubblewrap on Linux, Seatbelt on macOS); accept the risk explicitly to run unsandboxed.`,
    )
  const tools = findSandboxTools(searchPath)
  if (!tools.ok)
    return err(
      'SANDBOX_UNAVAILABLE',
      `The sandbox needs ${tools.missing.join(', ')}, which ${tools.missing.length === 1 ? 'is' : 'are'} not installed: run \`${installHint(tools.missing)}\` (or accept the risk explicitly to run unsandboxed).`,
    )
  return openBubblewrap(valid.value, { tools: tools.tools, hostPath: process.env['PATH'] })
}
