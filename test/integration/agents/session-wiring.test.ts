// One wiring for every model session: whoever starts an agent (`autocoder run --agent`, the
// orchestrator's launcher) or a chat, its role decides its tools, hooks, policy scope and sandbox.
// The runtime is the only fake (it records the spec it is given and runs what its hooks let
// through); the policy, store, hooks and sandboxes (real bubblewrap) are real.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import {
  ASK_USER_TOOL,
  COMPACT_INSTRUCTIONS,
  containmentFor,
  openAgentSandbox,
  PLAYWRIGHT_TOOLS,
  prepareAgent,
  runSingleAgent,
  wireSession,
  WRITE_SPEC_TOOL,
} from '../../../src/agents/index.js'
import type { AgentSetup, SessionRole, SessionSpec } from '../../../src/agents/index.js'
import { systemClock } from '../../../src/core/clock.js'
import { unwrap } from '../../../src/core/result.js'
import { createSdkLauncher } from '../../../src/orchestrator/index.js'
import type { Sandbox } from '../../../src/sandbox/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { FakeRuntime } from '../../fakes/fake-runtime.js'
import type { FakeStep } from '../../fakes/fake-runtime.js'
import { testContainment } from '../../helpers/containment.js'
import { scratchDir } from '../sandbox/helpers.js'

let dir: { path: string } & Disposable
let project: string
let home: string
let store: ProjectStore
let sandbox: Sandbox

beforeEach(async () => {
  dir = scratchDir('autocoder-wiring-')
  project = join(dir.path, 'project')
  home = join(dir.path, 'home')
  mkdirSync(project)
  mkdirSync(join(home, '.ssh'), { recursive: true })
  writeFileSync(join(home, '.npmrc'), '//registry/:_authToken=canary\n')
  writeFileSync(join(home, '.ssh', 'id_rsa'), 'canary key\n')
  store = unwrap(ProjectStore.open(project))
  // Looking at decisions and specs only: the same interface without a pod.
  sandbox = unwrap(
    await openAgentSandbox(testContainment(project, { unsandboxed: true }), 'c1', project),
  )
})

afterEach(async () => {
  await sandbox.close()
  store.close()
  dir[Symbol.dispose]()
})

function addFeature(): number {
  const [feature] = unwrap(
    store.features.create(
      [{ category: 'c', name: 'f', description: 'd', steps: ['s'], dependencies: [] }],
      { by: 'test' },
    ),
  )
  return feature!.id
}

async function agentSpec(over: Partial<AgentSetup> = {}): Promise<SessionSpec> {
  const run = prepareAgent({
    store,
    projectDir: project,
    agentId: 'c1',
    role: 'coding',
    featureIds: [1],
    model: 'm',
    port: 4100,
    yolo: false,
    env: { PATH: '/bin', HOME: home },
    // Any existing file stands in for the browser binary.
    chromiumPath: process.execPath,
    verifyPasses: false,
    sandbox,
    ...over,
  })
  const spec = await run.session(1)
  return 'ok' in spec ? unwrap(spec) : spec
}

type Probe = { tool: string; input: Record<string, unknown> }

/** Asks the session's PreToolUse hooks about a tool call: 'allow' or 'deny'. */
async function decide(spec: SessionSpec, probe: Probe): Promise<'allow' | 'deny'> {
  for (const matcher of spec.hooks.PreToolUse ?? []) {
    for (const hook of matcher.hooks) {
      const output = await hook(
        {
          hook_event_name: 'PreToolUse',
          tool_name: probe.tool,
          tool_input: probe.input,
          tool_use_id: 't',
          session_id: 's',
          transcript_path: '',
          cwd: spec.cwd,
        } as never,
        't',
        { signal: new AbortController().signal },
      )
      if (JSON.stringify(output).includes('"permissionDecision":"deny"')) return 'deny'
    }
  }
  return 'allow'
}

/** Calls every agent may or may not make, relative to its own checkout. */
function probes(cwd: string): Probe[] {
  return [
    { tool: 'Bash', input: { command: 'cat ~/.npmrc' } },
    { tool: 'Bash', input: { command: `cat ${home}/.ssh/id_rsa` } },
    { tool: 'Bash', input: { command: 'ls -la' } },
    { tool: 'Bash', input: { command: 'git status' } },
    { tool: 'Bash', input: { command: `echo x > ${join(dir.path, 'outside.txt')}` } },
    { tool: 'Read', input: { file_path: join(home, '.ssh', 'id_rsa') } },
    { tool: 'Read', input: { file_path: join(cwd, 'app.js') } },
    { tool: 'Write', input: { file_path: join(cwd, 'app.js'), content: 'x' } },
    { tool: 'Write', input: { file_path: join(dir.path, 'outside.txt'), content: 'x' } },
    { tool: 'Write', input: { file_path: join(cwd, '.git', 'hooks', 'pre-commit'), content: 'x' } },
    { tool: 'mcp__playwright__browser_run_code', input: { code: '1' } },
    { tool: 'WebFetch', input: { url: 'http://127.0.0.1:8888/api/projects' } },
  ]
}

describe('one wiring for every session', () => {
  it('gives an agent exactly the built-ins, its role tools and the browser tools', async () => {
    const spec = await agentSpec()
    expect(spec.tools.slice(0, 6)).toEqual(['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash'])
    expect(spec.tools).toContain('mcp__features__feature_claim_and_get')
    expect(spec.tools).toEqual(expect.arrayContaining(PLAYWRIGHT_TOOLS))
    expect(spec.tools).not.toContain('mcp__playwright__browser_run_code')
    expect(spec.maxTurns).toBe(300)
    expect(Object.keys(spec.mcpServers).sort()).toEqual(['features', 'playwright'])
  })

  it("runs Playwright headless and isolated on the configured Chromium, inside the agent's sandbox", async () => {
    const server = (await agentSpec()).mcpServers['playwright'] as {
      command: string
      args: string[]
    }
    expect(server.command).toBe('/bin/bash')
    const line = server.args.at(-1)!
    // The sandbox's own entry, from the agent's checkout, with the server's command line.
    const entry = sandbox.wrapShellCommand('', project).replace(/''$/, '')
    expect(line.startsWith(entry)).toBe(true)
    for (const word of [
      '--executable-path',
      process.execPath,
      '--headless',
      '--isolated',
      '--no-sandbox',
    ])
      expect(line).toContain(word)
  })

  it('leaves the browser out in yolo mode and when Chromium is missing, and says so in the prompt', async () => {
    for (const spec of [
      await agentSpec({ yolo: true }),
      await agentSpec({ chromiumPath: '/no/such/chromium' }),
    ]) {
      expect(spec.mcpServers['playwright']).toBeUndefined()
      expect(spec.tools.some((tool) => tool.includes('playwright'))).toBe(false)
      expect(spec.prompt).toContain('Browser tools are off')
    }
  })

  it('gives testing agents 100 turns', async () => {
    expect((await agentSpec({ role: 'testing', featureIds: [1, 2] })).maxTurns).toBe(100)
  })

  it('tells the summariser what to keep when an agent context is compacted', async () => {
    const hook = (await agentSpec()).hooks.PreCompact?.[0]?.hooks[0]
    const output = await hook!(
      { hook_event_name: 'PreCompact', trigger: 'auto', custom_instructions: null } as never,
      undefined,
      { signal: new AbortController().signal },
    )
    expect(JSON.stringify(output)).toContain(COMPACT_INSTRUCTIONS.slice(0, 40))
  })

  it('gives the chats only reading tools and their own, and refuses anything else', async () => {
    const wired = async (role: SessionRole) =>
      unwrap(
        await wireSession({
          role,
          agentId: `chat-${role}`,
          store,
          projectDir: project,
          cwd: project,
          env: { HOME: home },
          leaseMs: 60_000,
          verifyPasses: false,
          chromiumPath: process.execPath,
          sandbox: null,
        }),
      )
    const spec = await wired('spec')
    expect(spec.tools).toEqual(['Read', 'Glob', 'Grep', ASK_USER_TOOL, WRITE_SPEC_TOOL])
    expect((await wired('expand')).tools).toContain('mcp__features__feature_create_bulk')
    expect((await wired('assistant')).tools).not.toContain('mcp__features__feature_create_bulk')
    const asSpec = { ...spec, cwd: project } as unknown as SessionSpec
    expect(await decide(asSpec, { tool: 'Bash', input: { command: 'ls' } })).toBe('deny')
    expect(await decide(asSpec, { tool: 'Read', input: { file_path: join(home, '.npmrc') } })).toBe(
      'deny',
    )
    expect(
      await decide(asSpec, { tool: 'Read', input: { file_path: join(project, 'a.txt') } }),
    ).toBe('allow')
  })

  it('keeps an orchestrated agent out of the project checkout next to its worktree', async () => {
    const worktree = join(project, '.autocoder', 'worktrees', 'c1')
    mkdirSync(join(project, 'node_modules', 'pkg'), { recursive: true })
    mkdirSync(worktree, { recursive: true })
    symlinkSync(join(project, 'node_modules'), join(worktree, 'node_modules'))
    const spec = await agentSpec({ cwd: worktree })
    const write = (path: string): Probe => ({
      tool: 'Write',
      input: { file_path: path, content: 'x' },
    })
    expect(await decide(spec, write(join(worktree, 'a.js')))).toBe('allow')
    expect(await decide(spec, write(join(project, 'a.js')))).toBe('deny')
    expect(await decide(spec, write(join(worktree, 'node_modules', 'pkg', 'index.js')))).toBe(
      'deny',
    )
    const read = { tool: 'Read', input: { file_path: join(worktree, 'node_modules', 'pkg', 'x') } }
    expect(await decide(spec, read)).toBe('allow')
  })

  it('gives a role the same tools, hooks, scope and sandbox whether one agent or the orchestrator runs it', async () => {
    const featureId = addFeature()
    const env = { PATH: process.env['PATH'], HOME: home, ANTHROPIC_API_KEY: 'sk-canary-key' }
    const outside = join(dir.path, 'outside')
    mkdirSync(outside)
    /** What each session's Bash calls did, run as Claude Code runs them (hook first). */
    const ran: string[][] = []
    const runBash: FakeStep = {
      effect: async (spec) => {
        // The agent's own scripts (the policy refuses such code in node -e, not in a file).
        for (const [file, code] of Object.entries(agentScripts(outside)))
          writeFileSync(join(spec.cwd, file), code)
        const results: string[] = []
        for (const command of containedProbes(outside))
          results.push(await bashThroughHooks(spec, command))
        ran.push(results)
      },
    }
    const single = new FakeRuntime([[runBash]])
    unwrap(
      await runSingleAgent({
        store,
        role: 'coding',
        featureIds: [featureId],
        model: 'm',
        yolo: true,
        port: 4100,
        maxIterations: 1,
        env,
        runtime: single,
        clock: systemClock,
      }),
    )
    const worktree = join(project, '.autocoder', 'worktrees', 'c2')
    mkdirSync(worktree, { recursive: true })
    const orchestrated = new FakeRuntime([[runBash]])
    const launch = createSdkLauncher({
      store,
      projectDir: project,
      clock: systemClock,
      provider: { kind: 'anthropic_api_key', env: { ANTHROPIC_API_KEY: 'test' }, description: 'k' },
      models: { initializer: 'm', coding: 'm', testing: 'm' },
      env,
      isRoot: false,
      leaseMs: 60_000,
      yolo: true,
      runtime: orchestrated,
      maxSessions: { coding: 1 },
      autoContinueDelayMs: 0,
      containment: await containmentFor({
        projectDir: project,
        autocoderHome: join(dir.path, 'autocoder-home'),
        env,
        homes: [home],
        otherProjects: [],
        allowedHosts: [],
        unsandboxed: false,
      }),
    })
    await launch({
      agentId: 'c2',
      role: 'coding',
      featureIds: [featureId],
      cwd: worktree,
      branch: 'autocoder/c2',
      port: 4101,
      runId: 'run-1',
      signal: new AbortController().signal,
      isDone: () => false,
    })
    const [a] = single.started
    const [b] = orchestrated.started
    expect(a!.cwd).toBe(project)
    expect(b!.cwd).toBe(worktree)
    expect(b!.tools).toEqual(a!.tools)
    expect(Object.keys(b!.hooks).sort()).toEqual(Object.keys(a!.hooks).sort())
    const decisions = async (spec: SessionSpec) =>
      Promise.all(probes(spec.cwd).map((probe) => decide(spec, probe)))
    const expected = await decisions(a!)
    expect(await decisions(b!)).toEqual(expected)
    // The home's credentials are refused in both, by Bash and by the file tools.
    expect(expected.slice(0, 2)).toEqual(['deny', 'deny'])
    expect(expected[5]).toBe('deny')
    // The same sandbox contains both: what the policy lets through runs inside, where the
    // model's key, the home and everything outside the checkout are out of reach.
    expect(ran).toHaveLength(2)
    expect(ran[1]).toEqual(ran[0])
    expect(ran[0]).toEqual(['keys: 0', 'no key', 'no write outside', 'wrote inside'])
    expect(readdirSync(outside)).toEqual([])
    expect(existsSync(join(project, 'inside.txt'))).toBe(true)
    expect(existsSync(join(worktree, 'inside.txt'))).toBe(true)
  })
})

/** Scripts the agent wrote: the policy cannot see what they do, only the sandbox contains them. */
function agentScripts(outside: string): Record<string, string> {
  return {
    'keys.cjs':
      "console.log('keys: ' + Object.keys(process.env).filter((name) => name.startsWith('ANTHROPIC')).length)\n",
    'read-key.cjs': `try { require('fs').readFileSync(${JSON.stringify(join(home, '.ssh', 'id_rsa'))}); console.log('read the key') } catch { console.log('no key') }\n`,
    'write-outside.cjs': `try { require('fs').writeFileSync(${JSON.stringify(join(outside, 'x'))}, 'x'); console.log('wrote outside') } catch { console.log('no write outside') }\n`,
  }
}

/** Bash calls the policy lets through and only the sandbox contains (each prints one verdict). */
function containedProbes(outside: string): string[] {
  return [
    ...Object.keys(agentScripts(outside)).map((file) => `node ${file}`),
    'touch inside.txt && echo "wrote inside"',
  ]
}

/** A Bash call as Claude Code makes it: the hooks decide, then the (updated) command runs. */
async function bashThroughHooks(spec: SessionSpec, command: string): Promise<string> {
  let input: Record<string, unknown> = { command }
  for (const matcher of spec.hooks.PreToolUse ?? []) {
    for (const hook of matcher.hooks) {
      const output = (await hook(
        {
          hook_event_name: 'PreToolUse',
          tool_name: 'Bash',
          tool_input: input,
          tool_use_id: 't',
          session_id: 's',
          transcript_path: '',
          cwd: spec.cwd,
        } as never,
        't',
        { signal: new AbortController().signal },
      )) as {
        hookSpecificOutput?: { permissionDecision?: string; updatedInput?: Record<string, unknown> }
      }
      if (output.hookSpecificOutput?.permissionDecision === 'deny') return 'denied'
      input = output.hookSpecificOutput?.updatedInput ?? input
    }
  }
  const run = spawnSync('bash', ['-c', String(input['command'])], {
    cwd: spec.cwd,
    encoding: 'utf8',
    env: { ...spec.env },
  })
  return `${run.stdout}${run.stderr}`.trim()
}
