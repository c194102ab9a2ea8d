import type {
  SDKAssistantMessageError,
  SDKMessage,
  SDKResultMessage,
} from '@anthropic-ai/claude-agent-sdk'

import type { Usage } from '../core/index.js'
import { ZERO_USAGE } from './runtime.js'
import type { FailureKind, SessionEnd, SessionFailure, SessionMessage } from './runtime.js'

export const DEFAULT_TOOL_RESULT_LIMIT = 2000

const errorKinds: Record<SDKAssistantMessageError, FailureKind> = {
  authentication_failed: 'auth',
  oauth_org_not_allowed: 'auth',
  account_on_hold: 'auth',
  verification_required: 'auth',
  cloud_credential_error: 'auth',
  billing_error: 'billing',
  rate_limit: 'rate_limit',
  overloaded: 'overloaded',
  invalid_request: 'invalid_request',
  model_not_found: 'model_not_found',
  server_error: 'server',
  unknown: 'unknown',
  max_output_tokens: 'unknown',
}

/** Failure kind from an HTTP status (when the SDK gave no typed error). */
export function kindOfStatus(status: number | null): FailureKind {
  if (status === null) return 'connection'
  if (status === 429) return 'rate_limit'
  if (status === 529) return 'overloaded'
  if (status === 401 || status === 403) return 'auth'
  if (status === 402) return 'billing'
  if (status === 404) return 'model_not_found'
  if (status >= 500) return 'server'
  if (status >= 400) return 'invalid_request'
  return 'unknown'
}

/** Cuts a tool result for events and logs, saying how much was dropped. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text
  return `${text.slice(0, limit)}… [${text.length - limit} more characters]`
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .map((part: unknown) => {
      if (typeof part !== 'object' || part === null) return ''
      if ('text' in part && typeof part.text === 'string') return part.text
      if ('type' in part && part.type === 'image') return '[image]'
      return ''
    })
    .filter((text) => text !== '')
    .join('\n')
}

/** Claude Code appends `<system-reminder>` notes for the model to tool results; people need not see them. */
function withoutReminders(text: string): string {
  return text.replace(/\s*<system-reminder>[\s\S]*?<\/system-reminder>\s*/g, '\n').trim()
}

/**
 * Turns the SDK's messages of one session into our typed messages, keeping what the end of the
 * session needs (usage, the typed failure, the last retry-after the API asked for).
 */
export class SdkTranslator {
  #result: SDKResultMessage | undefined
  #failure: SessionFailure | null = null
  #retryAfterMs: number | null = null

  constructor(
    private readonly agentId: string,
    private readonly featureIds: readonly number[],
    private readonly toolResultLimit = DEFAULT_TOOL_RESULT_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  get hasResult(): boolean {
    return this.#result !== undefined
  }

  translate(message: SDKMessage): SessionMessage[] {
    const agentId = this.agentId
    switch (message.type) {
      case 'assistant':
        return this.#assistant(message)
      case 'user':
        return this.#user(message)
      case 'system':
        return this.#system(message)
      case 'rate_limit_event': {
        const info = message.rate_limit_info
        if (info.status !== 'rejected') return []
        const retryAfterMs =
          info.resetsAt === undefined ? 0 : Math.max(0, info.resetsAt * 1000 - this.now())
        this.#retryAfterMs = retryAfterMs
        return [{ type: 'agent.rate_limited', agentId, status: null, retryAfterMs }]
      }
      case 'result':
        this.#result = message
        return [
          {
            type: 'agent.usage',
            agentId,
            featureIds: [...this.featureIds],
            usage: usageOf(message),
          },
        ]
      case 'auth_status':
      case 'conversation_reset':
      case 'prompt_suggestion':
      case 'stream_event':
      case 'tool_progress':
      case 'tool_use_summary':
        return []
      default:
        return []
    }
  }

  /** The model's text, thinking and tool calls; an API error it reports becomes the failure. */
  #assistant(message: Extract<SDKMessage, { type: 'assistant' }>): SessionMessage[] {
    const agentId = this.agentId
    if (message.error !== undefined) {
      const status =
        'api_error_status' in message && typeof message.api_error_status === 'number'
          ? message.api_error_status
          : null
      const text = resultText(message.message.content)
      this.#failure = {
        kind: errorKinds[message.error] ?? kindOfStatus(status),
        status,
        message: text,
        retryAfterMs: this.#retryAfterMs,
      }
      return [
        {
          type: 'agent.error',
          agentId,
          code: `API_${message.error.toUpperCase()}`,
          message: text,
        },
      ]
    }
    if (message.parent_tool_use_id !== null) return []
    const out: SessionMessage[] = []
    for (const block of message.message.content) {
      if (block.type === 'text' && block.text !== '')
        out.push({ type: 'agent.text', agentId, text: block.text })
      else if (block.type === 'thinking' && block.thinking !== '')
        out.push({ type: 'agent.thinking', agentId, text: block.thinking })
      else if (block.type === 'tool_use')
        out.push({
          type: 'agent.tool_use',
          agentId,
          toolUseId: block.id,
          tool: block.name,
          input: block.input,
        })
    }
    return out
  }

  /** The results of the agent's own tool calls (a subagent's are not shown). */
  #user(message: Extract<SDKMessage, { type: 'user' }>): SessionMessage[] {
    const agentId = this.agentId
    if (message.parent_tool_use_id !== null || typeof message.message.content === 'string')
      return []
    const out: SessionMessage[] = []
    for (const block of message.message.content) {
      if (block.type !== 'tool_result') continue
      const output = truncate(withoutReminders(resultText(block.content)), this.toolResultLimit)
      out.push({
        type: 'agent.tool_result',
        agentId,
        toolUseId: block.tool_use_id,
        isError: block.is_error === true,
        output,
      })
    }
    return out
  }

  #system(message: Extract<SDKMessage, { type: 'system' }>): SessionMessage[] {
    const agentId = this.agentId
    if (message.subtype === 'init') {
      const failed = message.mcp_servers.filter((server) => server.status !== 'connected')
      return [
        {
          type: 'session.ready',
          model: message.model,
          tools: message.tools,
          mcpServers: message.mcp_servers.map(({ name, status }) => ({ name, status })),
        },
        ...failed.map((server) => ({
          type: 'agent.error' as const,
          agentId,
          code: 'MCP_SERVER_UNAVAILABLE',
          message: `MCP server "${server.name}" is ${server.status}; its tools are missing from this session.`,
        })),
      ]
    }
    if (message.subtype === 'api_retry') {
      const kind = errorKinds[message.error] ?? kindOfStatus(message.error_status)
      this.#retryAfterMs = message.retry_delay_ms
      if (kind === 'rate_limit' || kind === 'overloaded') {
        return [
          {
            type: 'agent.rate_limited',
            agentId,
            status: message.error_status ?? (kind === 'rate_limit' ? 429 : 529),
            retryAfterMs: message.retry_delay_ms,
          },
        ]
      }
      const status = message.error_status === null ? 'no response' : `HTTP ${message.error_status}`
      return [
        {
          type: 'agent.error',
          agentId,
          code: 'API_RETRY',
          message: `API call failed (${message.error}, ${status}); retry ${message.attempt}/${message.max_retries} in ${Math.round(message.retry_delay_ms / 100) / 10} s.`,
        },
      ]
    }
    return []
  }

  /** The closing message. `thrown` is what the SDK iterator threw, if anything. */
  end(options: { thrown?: unknown; interrupted: boolean; startedAt: number }): SessionEnd {
    const result = this.#result
    const usage = result ? usageOf(result) : ZERO_USAGE
    const numTurns = result?.num_turns ?? 0
    const durationMs = result?.duration_ms ?? this.now() - options.startedAt
    const base = { type: 'session.end' as const, usage, numTurns, durationMs }
    if (options.interrupted) return { ...base, status: 'interrupted', failure: null }
    if (result && result.subtype === 'success' && !result.is_error)
      return { ...base, status: 'success', failure: null }
    return { ...base, status: 'failed', failure: this.#failureOf(result, options.thrown) }
  }

  #failureOf(result: SDKResultMessage | undefined, thrown: unknown): SessionFailure {
    if (this.#failure) return this.#failure
    const retryAfterMs = this.#retryAfterMs
    if (result && result.subtype === 'error_max_turns') {
      return {
        kind: 'max_turns',
        status: null,
        message: `The session used all its ${result.num_turns} turns.`,
        retryAfterMs: null,
      }
    }
    if (result?.subtype === 'success' && typeof result.api_error_status === 'number') {
      const status = result.api_error_status
      return { kind: kindOfStatus(status), status, message: result.result, retryAfterMs }
    }
    if (result)
      return {
        kind: 'unknown',
        status: null,
        message: `The session ended with ${result.subtype}.`,
        retryAfterMs,
      }
    const text =
      thrown instanceof Error
        ? thrown.message
        : thrown === undefined
          ? 'the model process ended without a result'
          : JSON.stringify(thrown)
    return { kind: 'process', status: null, message: text, retryAfterMs }
  }
}

/** Tokens of every model call of the session (main loop, subagents, compaction) and its cost. */
export function usageOf(result: SDKResultMessage): Usage {
  const models = Object.values(result.modelUsage ?? {})
  if (models.length === 0) {
    return {
      inputTokens: result.usage.input_tokens,
      outputTokens: result.usage.output_tokens,
      cacheReadTokens: result.usage.cache_read_input_tokens ?? 0,
      cacheWriteTokens: result.usage.cache_creation_input_tokens ?? 0,
      costUsd: result.total_cost_usd,
    }
  }
  return models.reduce<Usage>(
    (sum, model) => ({
      inputTokens: sum.inputTokens + model.inputTokens,
      outputTokens: sum.outputTokens + model.outputTokens,
      cacheReadTokens: sum.cacheReadTokens + model.cacheReadInputTokens,
      cacheWriteTokens: sum.cacheWriteTokens + model.cacheCreationInputTokens,
      costUsd: sum.costUsd,
    }),
    { ...ZERO_USAGE, costUsd: result.total_cost_usd },
  )
}
