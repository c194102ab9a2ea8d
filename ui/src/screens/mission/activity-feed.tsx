import { describeEvent, eventTone } from '../../api/describe-event.js'
import { isNoteworthy } from '../../api/live-events.js'
import type { LiveState } from '../../api/live-state.js'
import { useEvents } from '../../api/queries.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { cn } from '../../lib/cn.js'
import { formatTime } from '../../lib/format.js'
import { mergeEvents } from './merge-events.js'

const TONE: Record<ReturnType<typeof eventTone>, string> = {
  good: 'bg-passing',
  bad: 'bg-failing',
  neutral: 'bg-pending',
}

/** What happened lately: runs, agents, state changes, merges, refusals; newest first. */
export function ActivityFeed({ project, live }: { project: string; live: LiveState }) {
  const recent = useEvents(project, {}, 300)
  const events = mergeEvents((recent.data?.events ?? []).filter(isNoteworthy), live.activity, 100)
  return (
    <section
      aria-labelledby="activity-heading"
      className="flex min-h-0 flex-col rounded-lg border border-border bg-surface"
    >
      <h2 id="activity-heading" className="border-b border-border px-3 py-2 text-sm font-semibold">
        Activity
      </h2>
      {recent.error && (
        <ErrorPanel
          compact
          className="m-2"
          error={recent.error}
          retry={() => void recent.refetch()}
        />
      )}
      <ol
        tabIndex={0}
        className="min-h-0 flex-1 overflow-y-auto px-3 py-2 text-sm"
        aria-label="Recent activity"
        data-testid="activity"
      >
        {events.length === 0 && <li className="text-muted">Nothing yet.</li>}
        {events.map((event) => (
          <li key={event.id} className="flex items-start gap-2 py-0.5">
            <span
              aria-hidden
              className={cn('mt-1.5 size-2 shrink-0 rounded-full', TONE[eventTone(event)])}
            />
            <span className="shrink-0 text-xs leading-5 text-muted">{formatTime(event.at)}</span>
            <span className="min-w-0 break-words">{describeEvent(event)}</span>
          </li>
        ))}
      </ol>
    </section>
  )
}
