import { useMemo, useState } from 'react'
import { useParams } from 'react-router'

import { useLive } from '../../api/live-provider.js'
import { useBoard, useSessions } from '../../api/queries.js'
import { Loading } from '../../components/spinner.js'
import { useNow } from '../../lib/use-now.js'
import { ActivityFeed } from './activity-feed.js'
import { AgentCard, agentUsage } from './agent-card.js'
import { AgentLogDialog } from './agent-log-dialog.js'
import { OrchestratorCard } from './orchestrator-card.js'

/** Mission control: the orchestrator, one card per running agent, the activity feed, agent logs. */
export default function MissionView() {
  const project = useParams()['project'] ?? ''
  const live = useLive(project)
  const board = useBoard(project)
  const sessions = useSessions(project, live?.run.runId ?? null)
  const now = useNow(1000)
  const [logOf, setLogOf] = useState<string | null>(null)
  const features = useMemo(
    () => new Map((board.features ?? []).map((feature) => [feature.id, feature])),
    [board.features],
  )
  if (!live) return <Loading label="Connecting to the project…" />
  const agents = [...live.agents.values()].sort((a, b) => a.startedAt - b.startedAt)
  const sessionList = sessions.data?.sessions ?? []
  return (
    <div className="grid min-h-0 flex-1 gap-3 overflow-y-auto p-3 lg:grid-cols-[1fr_24rem] lg:overflow-hidden">
      <div className="flex min-h-0 flex-col gap-3 lg:overflow-y-auto">
        <OrchestratorCard live={live} now={now} />
        <section aria-labelledby="agents-heading">
          <h2 id="agents-heading" className="mb-2 text-sm font-semibold">
            Agents at work ({agents.length})
          </h2>
          {agents.length === 0 ? (
            <p className="rounded-lg border border-dashed border-border p-6 text-center text-sm text-muted">
              No agent is running.{' '}
              {live.run.mode === 'idle' ? 'Start a run to put agents to work.' : ''}
            </p>
          ) : (
            <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
              {agents.map((agent) => (
                <AgentCard
                  key={agent.agentId}
                  agent={agent}
                  usage={agentUsage(agent, sessionList)}
                  features={features}
                  now={now}
                  onLogs={setLogOf}
                />
              ))}
            </div>
          )}
        </section>
      </div>
      <ActivityFeed project={project} live={live} />
      {logOf !== null && (
        <AgentLogDialog project={project} agentId={logOf} onClose={() => setLogOf(null)} />
      )}
    </div>
  )
}
