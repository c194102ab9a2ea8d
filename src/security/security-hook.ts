import type {
  HookCallback,
  HookCallbackMatcher,
  HookJSONOutput,
} from '@anthropic-ai/claude-agent-sdk'

import type { EventOf } from '../core/index.js'

import {
  decideBash,
  type BashPolicy,
  type PolicyDecision,
  type PolicyScope,
} from './decide-bash.js'
import { decideFileTool, isFileTool } from './decide-file-tool.js'

/** One decision the hook made, for the caller to log as a `policy.decision` event. */
export interface DecisionRecord {
  readonly tool: string
  /** The Bash command, or the file tool's input as JSON. */
  readonly command: string
  readonly decision: PolicyDecision
}

export type DecisionListener = (record: DecisionRecord) => void

/**
 * What an allowed Bash command becomes: the text that runs it inside the agent's OS sandbox from
 * `cwd` (`Sandbox.wrapShellCommand`), or null when there is no sandbox to run it in.
 */
export type BashWrapper = ((command: string, cwd: string) => string) | null

/**
 * The PreToolUse hook every agent session gets: Bash commands go through `decideBash`, file tools
 * through `decideFileTool`; a refusal returns `permissionDecision: 'deny'` with the reason, which
 * the model sees. An allowed Bash command runs only through `wrapBash` (the policy first, then the
 * sandbox: `updatedInput` replaces the command); without one, Bash is refused. Any internal error
 * also denies (a hook that throws would let the tool run).
 */
export function createSecurityHook(
  policy: BashPolicy,
  scope: PolicyScope,
  onDecision: DecisionListener | undefined,
  wrapBash: BashWrapper,
): HookCallback {
  return (input) => {
    if (input.hook_event_name !== 'PreToolUse') return Promise.resolve({})
    // the shell keeps a `cd` across commands: check from where it is now as well
    const here = { ...scope, shellCwd: input.cwd }
    const record = decideToolUse(input.tool_name, input.tool_input, policy, here)
    if (record === null) return Promise.resolve({})
    onDecision?.(record)
    if (!record.decision.allowed) return Promise.resolve(denyToolUse(record.decision.reason))
    if (input.tool_name !== 'Bash') return Promise.resolve({})
    if (wrapBash === null)
      return Promise.resolve(
        denyToolUse('Bash runs only inside the OS sandbox, and this session has none.'),
      )
    return Promise.resolve(inSandbox(input.tool_input, wrapBash(record.command, input.cwd)))
  }
}

/** Lets the Bash call run, with its command replaced by the sandboxed one (other fields kept). */
function inSandbox(toolInput: unknown, command: string): HookJSONOutput {
  return {
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: 'allow',
      updatedInput: { ...(toolInput as Record<string, unknown>), command },
    },
  }
}

/** Hook matchers for the SDK's `hooks.PreToolUse` option; `onFailure: 'block'` makes a crash deny. */
export function securityHookMatchers(
  policy: BashPolicy,
  scope: PolicyScope,
  onDecision: DecisionListener | undefined,
  wrapBash: BashWrapper,
): HookCallbackMatcher[] {
  return [{ hooks: [createSecurityHook(policy, scope, onDecision, wrapBash)], onFailure: 'block' }]
}

/** Maps a decision record to the `policy.decision` event body. */
export function toPolicyDecisionEvent(
  agentId: string,
  record: DecisionRecord,
): EventOf<'policy.decision'> {
  return {
    type: 'policy.decision',
    agentId,
    command: record.tool === 'Bash' ? record.command : `${record.tool} ${record.command}`,
    allowed: record.decision.allowed,
    reason: record.decision.reason,
  }
}

function decideToolUse(
  tool: string,
  toolInput: unknown,
  policy: BashPolicy,
  scope: PolicyScope,
): DecisionRecord | null {
  try {
    if (tool === 'Bash') {
      const command = (toolInput as { command?: unknown } | null)?.command
      if (typeof command !== 'string') {
        return {
          tool,
          command: '',
          decision: {
            allowed: false,
            reason: 'Bash input has no command string',
            commands: [],
            flags: [],
          },
        }
      }
      return { tool, command, decision: decideBash(command, { ...scope, policy }) }
    }
    if (isFileTool(tool))
      return {
        tool,
        command: describeFileInput(toolInput),
        decision: decideFileTool(tool, toolInput, scope),
      }
    return null
  } catch (cause) {
    const reason = `the security policy failed while checking ${tool} (${String(cause)}); the call is refused`
    return {
      tool,
      command: describeFileInput(toolInput),
      decision: { allowed: false, reason, commands: [], flags: [] },
    }
  }
}

/** The path a file tool touches (never the content it writes). */
function describeFileInput(toolInput: unknown): string {
  if (!toolInput || typeof toolInput !== 'object') return ''
  const input = toolInput as Record<string, unknown>
  const parts = [
    input['file_path'],
    input['notebook_path'],
    input['path'],
    input['pattern'],
    input['command'],
  ]
  return parts.filter((part): part is string => typeof part === 'string').join(' ')
}

/** The PreToolUse answer that refuses a tool call, with the reason the model reads. */
export function denyToolUse(reason: string): HookJSONOutput {
  return {
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: reason,
    },
  }
}
