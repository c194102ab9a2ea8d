import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

import type { HookCallback, HookCallbackMatcher } from '@anthropic-ai/claude-agent-sdk'

import { ok } from '../core/result.js'
import type { Result } from '../core/result.js'
import { buildPrompt } from './prompts.js'
import type { AgentRoleName, PromptSources } from './prompts.js'
import type { AgentMcpServer, SessionSpec } from './runtime.js'

/** Built-in Claude Code tools every agent gets. */
export const BUILTIN_TOOLS = ['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash'] as const

/** Browser tools of the Playwright MCP server (`browser_run_code` deliberately left out). */
export const PLAYWRIGHT_TOOLS = [
  'navigate',
  'navigate_back',
  'take_screenshot',
  'snapshot',
  'click',
  'type',
  'fill_form',
  'select_option',
  'press_key',
  'drag',
  'hover',
  'file_upload',
  'evaluate',
  'console_messages',
  'network_requests',
  'resize',
  'wait_for',
  'handle_dialog',
  'install',
  'close',
  'tabs',
].map((name) => `mcp__playwright__browser_${name}`)

export const MAX_TURNS: Readonly<Record<AgentRoleName, number>> = {
  initializer: 300,
  coding: 300,
  testing: 100,
}

/** What the summariser keeps and drops when a long session's context is compacted. */
export const COMPACT_INSTRUCTIONS = [
  'KEEP: the feature ids, names and states you work on; files you created or changed; the last test,',
  'lint and type-check results; the current workflow step; dependency information; git operations and',
  'commits; feature tool results; key decisions and why.',
  'DROP: screenshot data, long search listings, repeated file reads, full file contents, install logs,',
  'passing lint output, console dumps, "[Done]" markers.',
].join(' ')

/** Claude Code adds a PreCompact callback hook's `systemMessage` to the summary request as "Additional Instructions". */
const preCompact: HookCallback = () => Promise.resolve({ systemMessage: COMPACT_INSTRUCTIONS })

/** The `@playwright/mcp` command line (stdio), with a given Chromium, headless, isolated, no sandbox. */
export function playwrightServer(chromiumPath: string, outputDir: string): AgentMcpServer {
  const require = createRequire(import.meta.url)
  const packageDir = dirname(require.resolve('@playwright/mcp/package.json'))
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    bin?: Record<string, string> | string
  }
  const bin = typeof pkg.bin === 'string' ? pkg.bin : (Object.values(pkg.bin ?? {})[0] ?? 'cli.js')
  return {
    type: 'stdio',
    command: process.execPath,
    args: [
      join(packageDir, bin),
      '--browser',
      'chromium',
      '--executable-path',
      chromiumPath,
      '--headless',
      '--isolated',
      '--no-sandbox',
      '--viewport-size',
      '1280x720',
      '--output-dir',
      outputDir,
    ],
  }
}

export interface RoleSessionInput {
  agentId: string
  role: AgentRoleName
  featureIds: readonly number[]
  model: string
  /** The agent's working directory (worktree or project). */
  cwd: string
  port: number
  branch?: string | undefined
  yolo: boolean
  featureCount?: number | undefined
  /** The complete model-process environment (see `modelProcessEnv`). */
  env: Readonly<Record<string, string>>
  /** The in-process feature tool server and the qualified names of the tools it exposes. */
  features: { server: AgentMcpServer; toolNames: readonly string[] }
  /** PreToolUse matchers (the security hook). */
  securityHooks: HookCallbackMatcher[]
  /** Chromium for browser verification; null or missing: no browser tools. */
  chromiumPath: string | null
  prompts?: PromptSources
  claudePath?: string | undefined
  maxTurns?: number | undefined
  /** Text appended to the prompt (e.g. routing markers for the scripted model). */
  promptSuffix?: string | undefined
}

/**
 * The session spec of one agent role: its prompt, exactly its tools (built-ins, its feature tools,
 * the browser tools unless in fast mode or without Chromium), its MCP servers and hooks.
 */
export function buildSessionSpec(input: RoleSessionInput): Result<SessionSpec> {
  const browser = !input.yolo && input.chromiumPath !== null && existsSync(input.chromiumPath)
  const prompt = buildPrompt(
    {
      role: input.role,
      featureIds: input.featureIds,
      port: input.port,
      workdir: input.cwd,
      branch: input.branch,
      yolo: !browser,
      featureCount: input.featureCount,
    },
    input.prompts,
  )
  if (!prompt.ok) return prompt
  const mcpServers: Record<string, AgentMcpServer> = { features: input.features.server }
  if (browser)
    mcpServers['playwright'] = playwrightServer(
      input.chromiumPath!,
      join(input.cwd, '.autocoder', 'screenshots'),
    )
  return ok({
    agentId: input.agentId,
    featureIds: input.featureIds,
    prompt: input.promptSuffix
      ? `${prompt.value.prompt}\n${input.promptSuffix}\n`
      : prompt.value.prompt,
    systemPrompt: prompt.value.system,
    model: input.model,
    cwd: input.cwd,
    env: input.env,
    tools: [...BUILTIN_TOOLS, ...input.features.toolNames, ...(browser ? PLAYWRIGHT_TOOLS : [])],
    mcpServers,
    hooks: { PreToolUse: input.securityHooks, PreCompact: [{ hooks: [preCompact] }] },
    maxTurns: input.maxTurns ?? MAX_TURNS[input.role],
    claudePath: input.claudePath,
  })
}
