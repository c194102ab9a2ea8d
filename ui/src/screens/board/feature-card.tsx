import { AlertTriangle, Bot, GitBranch } from 'lucide-react'
import { memo } from 'react'
import { Link } from 'react-router'

import type { BoardFeature } from '../../api/board-model.js'
import { cn } from '../../lib/cn.js'
import { formatUsd } from '../../lib/format.js'
import { STATE_ACCENT } from '../../components/state-badge.js'

/** Card height in pixels (fixed, so streaming events never shift the layout). */
export const CARD_HEIGHT = 96
export const CARD_GAP = 8

function ids(list: readonly number[], max = 4): string {
  const shown = list
    .slice(0, max)
    .map((id) => `#${id}`)
    .join(', ')
  return list.length > max ? `${shown} +${list.length - max}` : shown
}

/** One feature on the board: category, name, dependencies and blockers, agent, attempts, cost. */
export const FeatureCard = memo(function FeatureCard({ feature }: { feature: BoardFeature }) {
  const deps = feature.dependencies.length
  const done = deps - feature.blockingDependencies.length
  return (
    <Link
      to={`features/${feature.id}`}
      data-testid="feature-card"
      data-feature-id={feature.id}
      data-state={feature.state}
      className={cn(
        'flex h-full flex-col gap-1 overflow-hidden rounded-md border border-l-4 border-border bg-surface p-2 text-left hover:border-accent focus-visible:border-accent',
        STATE_ACCENT[feature.state],
      )}
    >
      <div className="flex items-center gap-2 text-xs">
        <span className="max-w-[60%] truncate rounded bg-surface-2 px-1.5 py-0.5 text-muted">
          {feature.category}
        </span>
        <span className="text-muted">#{feature.id}</span>
        {feature.costUsd > 0 && (
          <span className="ml-auto text-muted">{formatUsd(feature.costUsd)}</span>
        )}
      </div>
      <p className="line-clamp-2 text-sm leading-snug font-medium">{feature.name}</p>
      <div className="mt-auto flex items-center gap-2 overflow-hidden text-xs whitespace-nowrap text-muted">
        {feature.blocked ? (
          <span
            className="inline-flex min-w-0 items-center gap-1 text-blocked"
            title={`Waits on ${ids(feature.blockingDependencies, 20)}`}
          >
            <AlertTriangle aria-hidden className="size-3 shrink-0" />
            <span className="truncate">waits on {ids(feature.blockingDependencies)}</span>
          </span>
        ) : deps > 0 ? (
          <span
            className="inline-flex items-center gap-1"
            title={`Depends on ${ids(feature.dependencies, 20)}`}
          >
            <GitBranch aria-hidden className="size-3" />
            {done}/{deps}
          </span>
        ) : null}
        {feature.heldBy && (
          <span
            className="inline-flex min-w-0 items-center gap-1 text-progress"
            title={`Held by ${feature.heldBy}`}
          >
            <Bot aria-hidden className="size-3 shrink-0" />
            <span className="truncate">{feature.heldBy}</span>
          </span>
        )}
        {feature.attempts > 0 && (
          <span className="ml-auto shrink-0">
            {feature.attempts} {feature.attempts === 1 ? 'attempt' : 'attempts'}
          </span>
        )}
      </div>
    </Link>
  )
})
