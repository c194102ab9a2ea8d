import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import type { PreToolUseHookInput } from '@anthropic-ai/claude-agent-sdk'
import { beforeAll, describe, expect, it } from 'vitest'

import { EventBody } from '../../../src/core/events.js'
import { unwrap } from '../../../src/core/index.js'
import {
  createBashPolicy,
  createSecurityHook,
  resolvePathOnDisk,
  securityHookMatchers,
  toPolicyDecisionEvent,
  type BashPolicy,
  type DecisionRecord,
} from '../../../src/security/index.js'
import { openTestSandbox } from '../../helpers/containment.js'
import { tempDir } from '../../helpers/tmp.js'
import { scratchDir } from '../sandbox/helpers.js'

// The hook is called exactly as the Agent SDK calls a PreToolUse callback: (input, toolUseID,
// { signal }). A refusal must reach the model as permissionDecision 'deny' with the reason.
let policy: BashPolicy

beforeAll(async () => {
  policy = unwrap(await createBashPolicy())
})

function preToolUse(cwd: string, toolName: string, toolInput: unknown): PreToolUseHookInput {
  return {
    hook_event_name: 'PreToolUse',
    session_id: 'session-1',
    transcript_path: join(cwd, 'transcript.jsonl'),
    cwd,
    permission_mode: 'bypassPermissions',
    tool_name: toolName,
    tool_input: toolInput,
    tool_use_id: 'toolu_01',
  }
}

const options = { signal: new AbortController().signal }

/** Stands in for a sandbox's wrapping where a test looks only at decisions. */
const wrap = (command: string, cwd: string): string => `inside ${cwd}: ${command}`

describe('the PreToolUse security hook', () => {
  it('denies a forbidden Bash command with the reason the model sees', async () => {
    using project = tempDir()
    const records: DecisionRecord[] = []
    const hook = createSecurityHook(
      policy,
      { cwd: project.path, projectDir: project.path },
      (record) => records.push(record),
      wrap,
    )
    const output = await hook(
      preToolUse(project.path, 'Bash', { command: 'bash -c "sudo rm -rf /"' }),
      'toolu_01',
      options,
    )
    expect(output).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: expect.stringContaining('sudo is blocked'),
      },
    })
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      tool: 'Bash',
      command: 'bash -c "sudo rm -rf /"',
      decision: { allowed: false },
    })
  })

  it('lets an allowed command through only inside the sandbox, where it then runs', async () => {
    using project = scratchDir('autocoder-hook-')
    const sandbox = await openTestSandbox(project.path)
    try {
      const hook = createSecurityHook(
        policy,
        { cwd: project.path, projectDir: project.path, resolvePath: resolvePathOnDisk },
        undefined,
        (command, cwd) => sandbox.wrapShellCommand(command, cwd),
      )
      const command =
        'mkdir -p out && echo built > out/result.txt && cat out/result.txt | grep built'
      const input = { command, description: 'build', timeout: 5000 }
      const output = await hook(preToolUse(project.path, 'Bash', input), 'toolu_02', options)
      expect(output).toEqual({
        hookSpecificOutput: {
          hookEventName: 'PreToolUse',
          permissionDecision: 'allow',
          // The other fields of the call stay as the model sent them.
          updatedInput: {
            command: sandbox.wrapShellCommand(command, project.path),
            description: 'build',
            timeout: 5000,
          },
        },
      })
      // The command that runs is the wrapped one asserted above.
      const wrapped = sandbox.wrapShellCommand(command, project.path)
      const run = spawnSync('bash', ['-c', wrapped], { cwd: project.path, encoding: 'utf8' })
      expect(run.status).toBe(0)
      expect(readFileSync(join(project.path, 'out', 'result.txt'), 'utf8')).toBe('built\n')
    } finally {
      await sandbox.close()
    }
  })

  it('refuses an allowed Bash command when the session has no sandbox to run it in', async () => {
    using project = tempDir()
    const hook = createSecurityHook(
      policy,
      { cwd: project.path, projectDir: project.path },
      undefined,
      null,
    )
    const output = await hook(
      preToolUse(project.path, 'Bash', { command: 'ls' }),
      'toolu_08',
      options,
    )
    expect(output).toMatchObject({
      hookSpecificOutput: {
        permissionDecision: 'deny',
        permissionDecisionReason: expect.stringContaining('inside the OS sandbox'),
      },
    })
  })

  it('guards the file tools and logs only their path, not the content', async () => {
    using project = tempDir()
    const records: DecisionRecord[] = []
    const hook = createSecurityHook(
      policy,
      { cwd: project.path, projectDir: project.path },
      (record) => records.push(record),
      wrap,
    )
    const denied = await hook(
      preToolUse(project.path, 'Write', { file_path: '/etc/cron.d/x', content: 'SECRET' }),
      'toolu_03',
      options,
    )
    expect(denied).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } })
    const allowed = await hook(
      preToolUse(project.path, 'Read', { file_path: join(project.path, 'a.txt') }),
      'toolu_04',
      options,
    )
    expect(allowed).toEqual({})
    expect(records.map((record) => record.command)).toEqual([
      '/etc/cron.d/x',
      join(project.path, 'a.txt'),
    ])
  })

  it('ignores tools it does not guard and other hook events', async () => {
    using project = tempDir()
    const records: DecisionRecord[] = []
    const hook = createSecurityHook(
      policy,
      { cwd: project.path, projectDir: project.path },
      (record) => records.push(record),
      wrap,
    )
    expect(
      await hook(
        preToolUse(project.path, 'mcp__features__feature_get_next', {}),
        'toolu_05',
        options,
      ),
    ).toEqual({})
    const stop = {
      hook_event_name: 'Stop',
      session_id: 's',
      transcript_path: 't',
      cwd: project.path,
      stop_hook_active: false,
    } as const
    expect(await hook(stop as never, undefined, options)).toEqual({})
    expect(records).toEqual([])
  })

  it('denies a Bash call whose input has no command string', async () => {
    using project = tempDir()
    const hook = createSecurityHook(
      policy,
      { cwd: project.path, projectDir: project.path },
      undefined,
      wrap,
    )
    const output = await hook(preToolUse(project.path, 'Bash', { cmd: 'ls' }), 'toolu_06', options)
    expect(output).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } })
  })

  it('produces policy.decision events that match the event schema', async () => {
    using project = tempDir()
    const records: DecisionRecord[] = []
    const hook = createSecurityHook(
      policy,
      { cwd: project.path, projectDir: project.path },
      (record) => records.push(record),
      wrap,
    )
    await hook(preToolUse(project.path, 'Bash', { command: 'node -e "1"' }), 'toolu_07', options)
    const event = toPolicyDecisionEvent('agent-1', records[0]!)
    expect(EventBody.parse(event)).toEqual({
      type: 'policy.decision',
      agentId: 'agent-1',
      command: 'node -e "1"',
      allowed: true,
      reason: expect.stringContaining('node-eval'),
    })
    expect(records[0]!.decision.flags).toEqual(['node-eval'])
  })

  it('offers matchers for the SDK hooks option that block when the hook fails', () => {
    const [matcher] = securityHookMatchers(policy, { cwd: '/w', projectDir: '/w' }, undefined, wrap)
    expect(matcher).toMatchObject({ onFailure: 'block' })
    expect(matcher!.hooks).toHaveLength(1)
  })
})
