import type {
  HookCallbackMatcher,
  HookEvent,
  McpServerConfig,
} from '@anthropic-ai/claude-agent-sdk'

import type { EventOf, Usage } from '../core/index.js'

/**
 * The model runtime the session loop and the orchestrator use: start a session, read its typed
 * messages, interrupt or close it. The default implementation (`sdkRuntime`) wraps the Claude
 * Agent SDK's `query()`; tests use a fake. Nothing behind this interface leaks SDK message types.
 */
export interface ModelRuntime {
  start(spec: SessionSpec): AgentSession
}

/** A running session: an async stream of messages that always ends with one `session.end`. */
export interface AgentSession extends AsyncIterable<SessionMessage> {
  /** Asks the model to stop the current turn; the stream then ends with status `interrupted`. */
  interrupt(): Promise<void>
  /** Ends the session at once (kills the process); the stream ends. */
  close(): void
}

/** An MCP server for a session: the in-process feature server or a stdio server (Playwright). */
export type AgentMcpServer = McpServerConfig
/** Hooks by event (PreToolUse security hook, PreCompact instructions). */
export type AgentHooks = Partial<Record<HookEvent, HookCallbackMatcher[]>>

/** Everything one session needs. Built by `buildSessionSpec` from a role and the settings. */
export interface SessionSpec {
  agentId: string
  featureIds: readonly number[]
  prompt: string
  systemPrompt: string
  model: string
  cwd: string
  /** The complete environment of the model process (it does not inherit ours). */
  env: Readonly<Record<string, string>>
  /** Exactly the tools the model may see and use (built-ins and `mcp__server__tool` names). */
  tools: readonly string[]
  mcpServers: Readonly<Record<string, AgentMcpServer>>
  hooks: AgentHooks
  maxTurns: number
  /** Characters of a tool result kept in `agent.tool_result` events. */
  toolResultLimit?: number
  /** Path of the `claude` executable; default: the one bundled with the SDK. */
  claudePath?: string | undefined
  signal?: AbortSignal | undefined
}

/** Why a session failed, from typed SDK errors and HTTP status codes (never from model text). */
export type FailureKind =
  | 'rate_limit'
  | 'overloaded'
  | 'auth'
  | 'billing'
  | 'invalid_request'
  | 'model_not_found'
  | 'server'
  | 'connection'
  | 'max_turns'
  | 'process'
  | 'unknown'

export interface SessionFailure {
  kind: FailureKind
  /** HTTP status of the failed API call, if there was one. */
  status: number | null
  message: string
  /** The wait the API asked for (retry-after), if known. */
  retryAfterMs: number | null
}

/** The session is up: what the model process reports at start. */
export interface SessionReady {
  type: 'session.ready'
  model: string
  tools: string[]
  mcpServers: Array<{ name: string; status: string }>
}

/** The model process is alive (progress of a running tool, status): resets the idle watchdog only. */
export interface SessionAlive {
  type: 'session.alive'
}

/** The last message of every session. */
export interface SessionEnd {
  type: 'session.end'
  status: 'success' | 'failed' | 'interrupted'
  failure: SessionFailure | null
  usage: Usage
  numTurns: number
  durationMs: number
}

export type SessionMessage =
  | SessionReady
  | SessionAlive
  | SessionEnd
  | EventOf<'agent.text'>
  | EventOf<'agent.thinking'>
  | EventOf<'agent.tool_use'>
  | EventOf<'agent.tool_result'>
  | EventOf<'agent.rate_limited'>
  | EventOf<'agent.error'>
  | EventOf<'agent.usage'>

export const ZERO_USAGE: Usage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0,
})

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    costUsd: a.costUsd + b.costUsd,
  }
}
