// Runs the real `claude` binary through the Agent SDK against a scripted model (test helper).
import {
  createSdkMcpServer,
  query,
  tool,
  type HookInput,
  type Options,
  type SDKMessage,
} from '@anthropic-ai/claude-agent-sdk'
import { z } from 'zod'

import type { ScriptedModel } from '../../../src/scripted-model/index.js'

/** The environment that makes Claude Code talk only to the scripted model (see src/scripted-model/README.md). */
export function offlineEnv(model: ScriptedModel): Record<string, string | undefined> {
  return {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    ...model.env,
    IS_SANDBOX: '1',
    ENABLE_TOOL_SEARCH: 'false',
  }
}

/** A trivial in-process MCP server `probe` with one tool, `add` (model name `mcp__probe__add`). */
export function probeMcpServer(): NonNullable<Options['mcpServers']>[string] {
  const add = tool('add', 'Adds two numbers', { a: z.number(), b: z.number() }, ({ a, b }) =>
    Promise.resolve({ content: [{ type: 'text' as const, text: `sum=${a + b}` }] }),
  )
  return createSdkMcpServer({ name: 'probe', version: '1.0.0', tools: [add] })
}

export interface SessionRun {
  messages: SDKMessage[]
  /** What the query iterator threw after the result (it throws when the result is an error). */
  thrown: unknown
  startedAt: number
  finishedAt: number
  hookCalls: HookInput[]
}

/** Runs one session to its end; never throws. `deny` lists Bash commands the PreToolUse hook refuses. */
export async function runSession(
  model: ScriptedModel,
  prompt: string,
  options: { deny?: string[]; onQuery?: (interrupt: () => Promise<void>) => void; cwd: string },
): Promise<SessionRun> {
  const hookCalls: HookInput[] = []
  const messages: SDKMessage[] = []
  const startedAt = Date.now()
  const session = query({
    prompt,
    options: {
      model: 'claude-sonnet-4-5',
      cwd: options.cwd,
      settingSources: [],
      permissionMode: 'bypassPermissions',
      allowDangerouslySkipPermissions: true,
      tools: ['Bash'],
      allowedTools: ['Bash', 'mcp__probe__add'],
      mcpServers: { probe: probeMcpServer() },
      persistSession: false,
      env: offlineEnv(model),
      hooks: {
        PreToolUse: [
          {
            hooks: [
              (input) => {
                hookCalls.push(input)
                const command =
                  input.hook_event_name === 'PreToolUse'
                    ? (input.tool_input as { command?: string }).command
                    : undefined
                if (command === undefined || !(options.deny ?? []).includes(command))
                  return Promise.resolve({ continue: true })
                return Promise.resolve({
                  hookSpecificOutput: {
                    hookEventName: 'PreToolUse' as const,
                    permissionDecision: 'deny' as const,
                    permissionDecisionReason: `policy: ${command} is not allowed`,
                  },
                })
              },
            ],
          },
        ],
      },
    },
  })
  options.onQuery?.(async () => {
    await session.interrupt()
  })
  let thrown: unknown
  try {
    for await (const message of session) messages.push(message)
  } catch (error) {
    thrown = error
  }
  return { messages, thrown, startedAt, finishedAt: Date.now(), hookCalls }
}

export function resultOf(run: SessionRun): Extract<SDKMessage, { type: 'result' }> {
  const result = run.messages.find((message) => message.type === 'result')
  if (result === undefined) throw new Error(`no result message; thrown: ${String(run.thrown)}`)
  return result
}

export function retriesOf(run: SessionRun): Extract<SDKMessage, { subtype: 'api_retry' }>[] {
  return run.messages.filter(
    (message): message is Extract<SDKMessage, { subtype: 'api_retry' }> =>
      message.type === 'system' && message.subtype === 'api_retry',
  )
}
