import type { SessionView } from '@core/api/index.js'
import type { Usage } from '@core/events.js'
import { Bot, Clock, ScrollText } from 'lucide-react'
import { memo } from 'react'
import { Link } from 'react-router'

import type { BoardFeature } from '../../api/board-model.js'
import type { LiveAgent } from '../../api/live-state.js'
import { Button } from '../../components/button.js'
import { cn } from '../../lib/cn.js'
import { formatDuration, formatTokens, formatUsd } from '../../lib/format.js'

const ROLE_STYLE: Record<string, string> = {
  coding: 'text-progress border-progress',
  testing: 'text-passing border-passing',
  initializer: 'text-human border-human',
}

export function tokensOf(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens
}

/** What an agent's sessions used as the server counted it, or what this page saw live. */
export function agentUsage(agent: LiveAgent, sessions: readonly SessionView[]): Usage {
  const own = sessions.filter((session) => session.agentId === agent.agentId)
  if (own.length === 0) return agent.usage
  return own.reduce(
    (sum, session) => ({
      inputTokens: sum.inputTokens + session.usage.inputTokens,
      outputTokens: sum.outputTokens + session.usage.outputTokens,
      cacheReadTokens: sum.cacheReadTokens + session.usage.cacheReadTokens,
      cacheWriteTokens: sum.cacheWriteTokens + session.usage.cacheWriteTokens,
      costUsd: sum.costUsd + session.usage.costUsd,
    }),
    { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 },
  )
}

/** One running agent: role, batch, current tool, latest thought, elapsed, tokens and cost. */
export const AgentCard = memo(function AgentCard({
  agent,
  usage,
  features,
  now,
  onLogs,
}: {
  agent: LiveAgent
  usage: Usage
  features: ReadonlyMap<number, BoardFeature>
  now: number
  onLogs: (agentId: string) => void
}) {
  const limited = agent.rateLimitedUntil !== null && agent.rateLimitedUntil > now
  return (
    <article
      aria-label={`Agent ${agent.agentId}`}
      data-testid="agent-card"
      data-agent-id={agent.agentId}
      className="flex h-56 flex-col gap-2 overflow-hidden rounded-lg border border-border bg-surface p-3"
    >
      <header className="flex items-center gap-2">
        <Bot aria-hidden className="size-4 text-muted" />
        <h3 className="truncate text-sm font-semibold">{agent.agentId}</h3>
        <span
          className={cn(
            'rounded-full border px-2 text-xs',
            ROLE_STYLE[agent.role] ?? 'border-border text-muted',
          )}
        >
          {agent.role}
        </span>
        {agent.phase !== 'running' && <span className="text-xs text-muted">{agent.phase}</span>}
        <span className="ml-auto inline-flex items-center gap-1 text-xs text-muted">
          <Clock aria-hidden className="size-3" />
          {formatDuration(now - agent.startedAt)}
        </span>
      </header>
      <ul className="flex flex-wrap gap-1 text-xs" aria-label="Features of its batch">
        {agent.featureIds.length === 0 && <li className="text-muted">no features (setup work)</li>}
        {agent.featureIds.map((id) => (
          <li key={id}>
            <Link
              to={`features/${id}`}
              className="inline-block max-w-56 truncate rounded bg-surface-2 px-1.5 py-0.5 hover:underline"
            >
              #{id} {features.get(id)?.name ?? ''}
            </Link>
          </li>
        ))}
      </ul>
      <p
        className="truncate font-mono text-xs"
        title={agent.tool ?? undefined}
        data-testid="agent-tool"
      >
        <span className="text-muted">tool </span>
        {agent.tool ?? '—'}
      </p>
      <p className="line-clamp-3 text-sm text-muted italic" title={agent.thought ?? undefined}>
        {limited
          ? `Rate limited: waiting ${Math.ceil(((agent.rateLimitedUntil ?? now) - now) / 1000)} s`
          : (agent.thought ?? 'Starting…')}
      </p>
      <footer className="mt-auto flex items-center gap-3 text-xs">
        {tokensOf(usage) > 0 || usage.costUsd > 0 ? (
          <span data-testid="agent-usage" className="flex gap-3">
            <span>{formatTokens(tokensOf(usage))} tokens</span>
            <span>{formatUsd(usage.costUsd)}</span>
          </span>
        ) : (
          <span
            data-testid="agent-usage"
            className="text-muted"
            title="Claude Code reports a session's tokens and cost when the session ends."
          >
            — tokens
          </span>
        )}
        {agent.model && <span className="truncate text-muted">{agent.model}</span>}
        <Button size="sm" variant="ghost" className="ml-auto" onClick={() => onLogs(agent.agentId)}>
          <ScrollText aria-hidden className="size-3.5" /> Logs
        </Button>
      </footer>
    </article>
  )
})
