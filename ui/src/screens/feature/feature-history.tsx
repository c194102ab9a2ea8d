import type { FeatureDetail } from '@core/api/index.js'
import type { AppEvent } from '@core/events.js'

import { describeEvent } from '../../api/describe-event.js'
import { useEvents } from '../../api/queries.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { formatDuration, formatTime, formatTokens, formatUsd } from '../../lib/format.js'

const TIMELINE = new Set<AppEvent['type']>([
  'feature.created',
  'feature.updated',
  'feature.state',
  'feature.claimed',
  'feature.released',
  'agent.started',
  'agent.finished',
  'merge.succeeded',
  'merge.conflict',
  'check.finished',
])

/** Who worked on the feature (sessions: agent, model, tokens, cost) and what happened to it. */
export function FeatureHistory({ project, detail }: { project: string; detail: FeatureDetail }) {
  const events = useEvents(project, { featureId: detail.feature.id })
  const lines = (events.data?.events ?? [])
    .filter((event) => TIMELINE.has(event.type))
    .map((event) => ({ id: event.id, at: event.at, line: describeEvent(event) }))
  return (
    <section className="flex flex-col gap-2" aria-labelledby="history-heading">
      <h3 id="history-heading" className="text-sm font-semibold">
        Attempts and agents
      </h3>
      {detail.sessions.length === 0 ? (
        <p className="text-sm text-muted">No agent has worked on it yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-xs">
            <caption className="sr-only">Agent sessions on this feature</caption>
            <thead className="text-muted">
              <tr>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Agent
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Model
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Started
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Took
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Outcome
                </th>
                <th scope="col" className="py-1 pr-2 text-right font-medium">
                  Tokens
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {detail.sessions.map((session) => {
                const usage = session.usage
                const tokens =
                  usage.inputTokens +
                  usage.outputTokens +
                  usage.cacheReadTokens +
                  usage.cacheWriteTokens
                return (
                  <tr key={session.id} className="border-t border-border">
                    <td className="py-1 pr-2">
                      {session.agentId} <span className="text-muted">({session.role})</span>
                    </td>
                    <td className="py-1 pr-2">{session.model}</td>
                    <td className="py-1 pr-2">{formatTime(session.startedAt)}</td>
                    <td className="py-1 pr-2">
                      {session.finishedAt === null
                        ? 'running'
                        : formatDuration(session.finishedAt - session.startedAt)}
                    </td>
                    <td className="py-1 pr-2">{session.outcome ?? '—'}</td>
                    <td className="py-1 pr-2 text-right">{formatTokens(tokens)}</td>
                    <td className="py-1 text-right">{formatUsd(usage.costUsd)}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          <p className="mt-1 text-xs text-muted">
            A session's cost is shared by the features of its batch: {formatUsd(detail.costUsd)}{' '}
            counts for this one.
          </p>
        </div>
      )}
      {events.error && (
        <ErrorPanel compact error={events.error} retry={() => void events.refetch()} />
      )}
      {lines.length > 0 && (
        <ol className="flex flex-col gap-0.5 text-xs" aria-label="Timeline">
          {lines.map((item) => (
            <li key={item.id} className="flex gap-2">
              <span className="shrink-0 text-muted">{formatTime(item.at)}</span>
              <span className="min-w-0 break-words">{item.line}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
