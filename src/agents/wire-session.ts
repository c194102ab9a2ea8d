import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

import type { HookCallback } from '@anthropic-ai/claude-agent-sdk'

import { ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import {
  createSecurityHook,
  denyToolUse,
  linkedNodeModules,
  loadPolicy,
  resolvePathOnDisk,
  toPolicyDecisionEvent,
} from '../security/index.js'
import type { PolicyScope } from '../security/index.js'
import type { Sandbox } from '../sandbox/index.js'
import type { ProjectStore } from '../store/index.js'
import { createFeatureToolServer, FEATURE_SERVER_NAME, qualifiedToolNames } from '../tools/index.js'
import type { AgentHooks, AgentMcpServer } from './runtime.js'
import { isAgentRole, SESSION_ROLES } from './session-roles.js'
import type { SessionRole } from './session-roles.js'
import { PLAYWRIGHT_TOOLS, playwrightServer } from './playwright.js'
import type { AgentError } from './error-codes.js'

/** Everything that decides what a session may do; the same for a role whoever starts it. */
export interface SessionWiringInput {
  role: SessionRole
  agentId: string
  store: ProjectStore
  projectDir: string
  /** The session's checkout: the agent's worktree, or the project directory. */
  cwd: string
  /** The complete model-process environment; its HOME is the home the policy protects. */
  env: Readonly<Record<string, string>>
  /** `$AUTOCODER_HOME`, for the organisation's policy file. */
  autocoderHome?: string | undefined
  /** Lease of claims made through the feature tools. */
  leaseMs: number
  /** True under the orchestrator: passes are reported and confirmed after merge. */
  verifyPasses: boolean
  /** The features an agent may claim (its batch); none for the initializer and the chats. */
  assignedFeatureIds?: readonly number[] | undefined
  /** Chromium for the browser tools (agents only); null: no browser (fast mode, not installed). */
  chromiumPath?: string | null | undefined
  /** The caller's own MCP servers by name (a chat's `ask_user`); their tools come from the role. */
  ownServers?: Readonly<Record<string, AgentMcpServer>> | undefined
  /**
   * The agent's OS sandbox (its pod): Bash and the browser run only inside it. Null for sessions
   * without either (the chats); an agent without one gets Bash refused and no browser.
   */
  sandbox: Sandbox | null
}

/** The tools, servers, hooks and policy scope of one session. */
export interface SessionWiring {
  /** Exactly the tools the model may see and use. */
  tools: string[]
  mcpServers: Record<string, AgentMcpServer>
  hooks: AgentHooks
  /** Where the policy lets the session read and write. */
  scope: PolicyScope
  /** Whether the browser tools are on. */
  browser: boolean
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

/**
 * The policy scope of a session: it writes only in its own checkout (an orchestrated agent's
 * worktree, never the project's checkout next to it), reads there and in the dependencies its
 * checkout links to, and never in the home's credential folders.
 */
export function sessionScope(cwd: string, env: Readonly<Record<string, string>>): PolicyScope {
  const linkedModules = linkedNodeModules(cwd)
  return {
    cwd,
    projectDir: cwd,
    homeDir: env['HOME'] ?? homedir(),
    resolvePath: resolvePathOnDisk,
    ...(linkedModules ? { readOnlyRoots: [linkedModules] } : {}),
  }
}

/**
 * The one wiring of a model session, for every role and whoever starts it (single agent,
 * orchestrator, chats): the role's tools and nothing else, the project's policy (reloaded per
 * session, so packages the agent declares count) behind one PreToolUse guard that runs allowed
 * Bash commands inside the agent's sandbox, the browser in that sandbox too, the policy scope,
 * and every decision recorded as a `policy.decision` event.
 */
export async function wireSession(
  input: SessionWiringInput,
): Promise<Result<SessionWiring, AgentError>> {
  const { role, store, agentId } = input
  const tools = SESSION_ROLES[role]
  const policy = await loadPolicy({
    projectDir: input.projectDir,
    cwd: input.cwd,
    autocoderHome: input.autocoderHome,
  })
  if (!policy.ok) return policy
  const scope = sessionScope(input.cwd, input.env)
  const { sandbox } = input
  const browser =
    tools.browser &&
    sandbox !== null &&
    input.chromiumPath !== null &&
    input.chromiumPath !== undefined &&
    existsSync(input.chromiumPath)
  const mcpServers: Record<string, AgentMcpServer> = { ...input.ownServers }
  if (tools.featureTools.length > 0)
    mcpServers[FEATURE_SERVER_NAME] = createFeatureToolServer(
      {
        store,
        callerId: agentId,
        role: tools.toolRole,
        leaseMs: input.leaseMs,
        verifyPasses: input.verifyPasses,
        ...(input.assignedFeatureIds ? { assignedFeatureIds: input.assignedFeatureIds } : {}),
      },
      tools.featureTools,
    )
  if (browser && sandbox)
    mcpServers['playwright'] = playwrightServer(
      input.chromiumPath!,
      join(input.cwd, '.autocoder', 'screenshots'),
      sandbox,
      input.cwd,
    )
  const allowed = [
    ...tools.builtins,
    ...qualifiedToolNames(tools.featureTools),
    ...tools.ownTools,
    ...(browser ? PLAYWRIGHT_TOOLS : []),
  ]
  const allowedSet = new Set(allowed)
  const security = createSecurityHook(
    policy.value,
    scope,
    (record) => {
      store.events.append(toPolicyDecisionEvent(agentId, record))
    },
    sandbox ? (command, cwd) => sandbox.wrapShellCommand(command, cwd) : null,
  )
  const guard: HookCallback = (hookInput, toolUseId, options) => {
    if (hookInput.hook_event_name !== 'PreToolUse') return Promise.resolve({})
    if (!allowedSet.has(hookInput.tool_name))
      return Promise.resolve(
        denyToolUse(`${hookInput.tool_name} is not one of the tools of this ${role} session.`),
      )
    return security(hookInput, toolUseId, options)
  }
  return ok({
    tools: allowed,
    mcpServers,
    hooks: {
      PreToolUse: [{ hooks: [guard], onFailure: 'block' }],
      ...(isAgentRole(role) ? { PreCompact: [{ hooks: [preCompact] }] } : {}),
    },
    scope,
    browser,
  })
}
