import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useRef } from 'react'

import type { BoardFeature } from '../../api/board-model.js'
import { cn } from '../../lib/cn.js'
import { CARD_GAP, CARD_HEIGHT, FeatureCard } from './feature-card.js'

/**
 * A board column: a header with the count, then the cards, virtualised so a column of a thousand
 * features renders only what is on screen.
 */
export const BoardColumn = memo(function BoardColumn({
  id,
  title,
  features,
  accent,
}: {
  id: string
  title: string
  features: readonly BoardFeature[]
  accent: string
}) {
  const scroller = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: features.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => CARD_HEIGHT + CARD_GAP,
    getItemKey: (index) => features[index]?.id ?? index,
    overscan: 3,
    initialRect: { width: 280, height: 800 },
  })
  const headingId = `column-${id}`
  return (
    <section
      aria-labelledby={headingId}
      data-testid={`column-${id}`}
      className="flex min-h-0 min-w-64 flex-1 flex-col rounded-lg border border-border bg-surface-2/60"
    >
      <header className={cn('flex items-center gap-2 rounded-t-lg border-t-4 px-3 py-2', accent)}>
        <h2 id={headingId} className="text-sm font-semibold">
          {title}
        </h2>
        <span
          // Fixed width (up to four digits), text from the left: a count that grows moves nothing.
          className="ml-auto w-12 rounded-full bg-surface pl-2 text-xs font-medium tabular-nums"
          data-testid="column-count"
        >
          {features.length}
        </span>
      </header>
      <div
        ref={scroller}
        tabIndex={-1}
        className="min-h-0 flex-1 overflow-y-auto px-2 pb-2"
        style={{ contain: 'strict' }}
      >
        {features.length === 0 ? (
          <p className="p-3 text-center text-xs text-muted">None</p>
        ) : (
          <ul
            className="relative w-full"
            style={{ height: virtualizer.getTotalSize() }}
            aria-label={`${title}: ${features.length}`}
          >
            {virtualizer.getVirtualItems().map((item) => {
              const feature = features[item.index]
              if (!feature) return null
              return (
                <li
                  key={item.key}
                  aria-setsize={features.length}
                  aria-posinset={item.index + 1}
                  className="absolute top-0 left-0 w-full"
                  style={{ transform: `translateY(${item.start}px)`, height: CARD_HEIGHT }}
                >
                  <FeatureCard feature={feature} />
                </li>
              )
            })}
          </ul>
        )}
      </div>
    </section>
  )
})
