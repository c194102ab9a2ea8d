import type { AppEvent, EventOf, EventType } from '../core/index.js'

const MAX_LINE = 200

function clip(text: string, max = MAX_LINE): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

function describeInput(input: unknown): string {
  if (input && typeof input === 'object') {
    const record = input as Record<string, unknown>
    for (const key of ['command', 'file_path', 'path', 'pattern', 'url', 'feature_id']) {
      const value = record[key]
      if (typeof value === 'string' || typeof value === 'number') return clip(String(value), 120)
    }
  }
  return clip(JSON.stringify(input) ?? '', 120)
}

type Formatters = {
  [T in EventType]?: (event: EventOf<T> & { id: number; at: number }) => string | null
}

const formatters: Formatters = {
  'agent.started': (event) =>
    `[${event.agentId}] started ${event.role}${event.featureIds.length ? ` on #${event.featureIds.join(', #')}` : ''} (${event.model})`,
  'agent.text': (event) => `[${event.agentId}] ${clip(event.text)}`,
  'agent.tool_use': (event) =>
    `[${event.agentId}]   → ${event.tool.replace(/^mcp__\w+?__/, '')} ${describeInput(event.input)}`,
  'agent.tool_result': (event) => {
    if (!event.isError) return null
    // A policy refusal reaches the model as a hook error; show it as what it is.
    const refusal = /^PreToolUse:\w+ hook error: ([\s\S]*)/.exec(event.output)
    return refusal
      ? `[${event.agentId}]   refused: ${clip(refusal[1] ?? '')}`
      : `[${event.agentId}]   ✗ ${clip(event.output)}`
  },
  'agent.usage': (event) =>
    `[${event.agentId}] usage: ${event.usage.inputTokens + event.usage.cacheReadTokens + event.usage.cacheWriteTokens} in, ${event.usage.outputTokens} out, $${event.usage.costUsd.toFixed(4)}`,
  'agent.rate_limited': (event) =>
    `[${event.agentId}] rate limited${event.status ? ` (HTTP ${event.status})` : ''}; waiting ${(event.retryAfterMs / 1000).toFixed(1)} s`,
  'agent.error': (event) => `[${event.agentId}] ! ${event.code}: ${clip(event.message)}`,
  'agent.finished': (event) => `[${event.agentId}] finished: ${event.outcome} (${event.message})`,
  'feature.created': (event) => `features created: ${event.featureIds.length}`,
  'run.unsandboxed': (event) => `WARNING: ${event.message}`,
  'feature.state': (event) =>
    `feature #${event.featureId}: ${event.from} → ${event.to} (${event.by})`,
}

/** One line for a person watching a run (the CLI prints the same events the UI shows), or null. */
export function formatEvent(event: AppEvent): string | null {
  const format = formatters[event.type] as ((event: AppEvent) => string | null) | undefined
  return format ? format(event) : null
}
