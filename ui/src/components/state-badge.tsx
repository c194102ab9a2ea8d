import type { FeatureState } from '@core/feature.js'

import { cn } from '../lib/cn.js'

export const STATE_LABEL: Record<FeatureState, string> = {
  pending: 'Pending',
  in_progress: 'In progress',
  needs_human: 'Needs human',
  passing: 'Passing',
  failing: 'Failing',
  skipped: 'Skipped',
}

export const STATE_TEXT: Record<FeatureState, string> = {
  pending: 'text-pending',
  in_progress: 'text-progress',
  needs_human: 'text-human',
  passing: 'text-passing',
  failing: 'text-failing',
  skipped: 'text-skipped',
}

export const STATE_BORDER: Record<FeatureState, string> = {
  pending: 'border-pending',
  in_progress: 'border-progress',
  needs_human: 'border-human',
  passing: 'border-passing',
  failing: 'border-failing',
  skipped: 'border-skipped',
}

/** Left accent of a card in its state's colour. */
export const STATE_ACCENT: Record<FeatureState, string> = {
  pending: 'border-l-pending',
  in_progress: 'border-l-progress',
  needs_human: 'border-l-human',
  passing: 'border-l-passing',
  failing: 'border-l-failing',
  skipped: 'border-l-skipped',
}

export function StateBadge({ state, className }: { state: FeatureState; className?: string }) {
  return (
    <span
      className={cn(
        'inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium',
        STATE_TEXT[state],
        STATE_BORDER[state],
        className,
      )}
    >
      <span aria-hidden className="size-1.5 rounded-full bg-current" />
      {STATE_LABEL[state]}
    </span>
  )
}
