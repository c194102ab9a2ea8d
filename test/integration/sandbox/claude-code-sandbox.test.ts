/**
 * Claude Code's own `sandbox` option next to our launcher, driven through the real claude binary
 * and the scripted model: the same Bash calls in both. Pins the findings of src/sandbox/README.md
 * that motivate the launcher: Claude Code's sandbox leaves the model's API key in Bash's
 * environment and kills background processes at the end of each call; ours does neither, and
 * both keep the host's loopback out of reach.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

import { query } from '@anthropic-ai/claude-agent-sdk'
import type { Options } from '@anthropic-ai/claude-agent-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Sandbox } from '../../../src/sandbox/index.js'
import { startScriptedModel } from '../../../src/scripted-model/index.js'
import type { DynamicScenario, ScriptedModel } from '../../../src/scripted-model/index.js'
import { offlineEnv } from '../scripted-model/claude-session.js'
import { countingServer } from './fixture.js'
import type { CountingServer } from './fixture.js'
import { hostPids, openWorkSandbox, scratchDir, skipReason } from './helpers.js'

/** The last line of a tool result (Claude Code's shell may print notes of its own before it). */
function lastLine(text: string | undefined): string | undefined {
  return text?.trim().split('\n').at(-1)
}

async function bashResults(
  model: ScriptedModel,
  cwd: string,
  extra: Partial<Options>,
): Promise<string[]> {
  const results: string[] = []
  const session = query({
    prompt: 'probe',
    options: {
      model: 'claude-sonnet-4-5',
      cwd,
      settingSources: [],
      permissionMode: 'bypassPermissions',
      allowDangerouslySkipPermissions: true,
      tools: ['Bash'],
      allowedTools: ['Bash'],
      persistSession: false,
      env: offlineEnv(model),
      ...extra,
    },
  })
  for await (const message of session) {
    if (message.type !== 'user' || typeof message.message.content === 'string') continue
    for (const block of message.message.content)
      if (block.type === 'tool_result')
        results.push(
          typeof block.content === 'string' ? block.content : JSON.stringify(block.content),
        )
  }
  return results
}

describe.skipIf(skipReason !== null)("Claude Code's sandbox option next to ours", () => {
  let root: ReturnType<typeof scratchDir>
  let project: string
  let host: CountingServer
  let model: ScriptedModel
  let sandbox: Sandbox
  const marker = `sbx-cc-${randomBytes(4).toString('hex')}`
  // The marker is printed in two halves so no command line contains it.
  const made = `"$(printf %s%s ${marker.slice(0, 4)} ${marker.slice(4)})"`
  /** Host processes carrying the marker, counted each time the model is asked (from the host). */
  const seenOnHost: number[] = []
  const commands = (port: number): string[] => [
    'env | grep -c "^ANTHROPIC_API_KEY=" || true',
    `(exec -a ${made} sleep 300 >/dev/null 2>&1 &); echo started`,
    `curl -sS -m 5 http://127.0.0.1:${port}/ 2>&1 | head -c 200; echo`,
  ]

  beforeAll(async () => {
    root = scratchDir('autocoder-sbx-cc-')
    project = join(root.path, 'project')
    mkdirSync(project)
    host = await countingServer('autocoder-server')
    const list = commands(host.port)
    const scenario: DynamicScenario = {
      kind: 'dynamic',
      name: 'probe',
      respond: (context) => {
        seenOnHost[context.position] = hostPids(marker).length
        const command = list[context.position]
        return command === undefined
          ? { text: 'done' }
          : { tools: [{ name: 'Bash', input: { command, description: 'probe' } }] }
      },
    }
    model = await startScriptedModel({ scenarios: [scenario], defaultScenario: 'probe' })
    sandbox = await openWorkSandbox('claude-code', project, {
      env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    })
  }, 60_000)
  afterAll(async () => {
    await sandbox.close()
    await model.close()
    await host.close()
    root[Symbol.dispose]()
  })

  it("Claude Code's sandbox: the API key is in Bash's environment and background processes die", async () => {
    const results = await bashResults(model, project, {
      sandbox: {
        enabled: true,
        failIfUnavailable: true,
        autoAllowBashIfSandboxed: false,
        allowUnsandboxedCommands: false,
        filesystem: { allowWrite: [project] },
      },
    })
    expect(results).toHaveLength(3)
    expect(lastLine(results[0])).toBe('1')
    // Right after the call that started it, the background process is already gone.
    expect(lastLine(results[1])).toBe('started')
    expect(seenOnHost[2]).toBe(0)
    expect(host.connections).toBe(0)
  }, 120_000)

  it('our launcher through the PreToolUse hook: no key, background processes stay', async () => {
    const results = await bashResults(model, project, {
      hooks: {
        PreToolUse: [
          {
            matcher: 'Bash',
            hooks: [
              (input) => {
                const command =
                  input.hook_event_name === 'PreToolUse'
                    ? (input.tool_input as { command: string }).command
                    : ''
                return Promise.resolve({
                  hookSpecificOutput: {
                    hookEventName: 'PreToolUse' as const,
                    permissionDecision: 'allow' as const,
                    updatedInput: { command: sandbox.wrapShellCommand(command, project) },
                  },
                })
              },
            ],
          },
        ],
      },
    })
    expect(results).toHaveLength(3)
    expect(lastLine(results[0])).toBe('0')
    expect(seenOnHost[2]).toBe(1)
    expect(host.connections).toBe(0)
  }, 120_000)
})
