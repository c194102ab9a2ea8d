import { FeatureDetail } from '@core/api/index.js'
import { useQueries } from '@tanstack/react-query'
import { useParams } from 'react-router'

import { request } from '../../api/http.js'
import { keys, projectPath } from '../../api/keys.js'
import { useBoard } from '../../api/queries.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { Loading } from '../../components/spinner.js'
import { useNow } from '../../lib/use-now.js'
import { QuestionCard } from './question-card.js'

/** Every feature waiting for a person, with the agent's question, answerable here. */
export default function InboxView() {
  const project = useParams()['project'] ?? ''
  const board = useBoard(project)
  const now = useNow(30_000)
  const waiting = (board.features ?? []).filter((feature) => feature.state === 'needs_human')
  const details = useQueries({
    queries: waiting.map((feature) => ({
      queryKey: keys.feature(project, feature.id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        request(
          `load the question of #${feature.id}`,
          projectPath(project, `/features/${feature.id}`),
          FeatureDetail,
          {
            signal,
          },
        ),
      staleTime: Infinity,
    })),
  })
  if (!board.features)
    return board.error ? (
      <ErrorPanel className="m-4" error={board.error} retry={board.refetch} />
    ) : (
      <Loading label="Loading questions…" />
    )
  return (
    <div className="mx-auto flex w-full max-w-3xl flex-col gap-3 overflow-y-auto p-4">
      <h2 className="text-lg font-semibold">Questions ({waiting.length})</h2>
      {waiting.length === 0 && (
        <p className="rounded-lg border border-dashed border-border p-6 text-center text-sm text-muted">
          No agent is waiting for an answer.
        </p>
      )}
      {details.map((detail, index) => {
        const feature = waiting[index]
        if (!feature) return null
        if (detail.error)
          return (
            <ErrorPanel key={feature.id} error={detail.error} retry={() => void detail.refetch()} />
          )
        if (!detail.data) return <Loading key={feature.id} label={`Loading #${feature.id}…`} />
        return <QuestionCard key={feature.id} project={project} detail={detail.data} now={now} />
      })}
    </div>
  )
}
